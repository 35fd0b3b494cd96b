import {
  type Answer,
  concludeEach,
  effectiveLimit,
  effectiveNumber,
  judgeAnswers,
  listNamed,
  requestOf,
  thresholdOf,
} from './results.js';
import type { CaseContext, Check, CheckOutcome, FindingDraft } from './types.js';

/**
 * MemMachine `expand_context` with the default declarative backend (MM-DECL `search_scored` and
 * `_unify_scored_anchored_episode_contexts` in docs/sources.md): expand_context is clamped to [0, top_k - 1];
 * each long-term match (anchor) becomes a context of itself, up to expand_context // 3 earlier episodes and
 * the rest later ones (all passing the filter); every episode of a context carries the context's one score;
 * the best context always fits whole in top_k. So once expand_context // 3 >= 1, the best context holds at
 * least 1 + min(expand_context // 3, episodes - 1) episodes that share a score.
 *
 * What hides them: short-term episodes win over long-term ones after the cut (MM-EPI), and top_k leaves room
 * for other contexts. The check judges an answer only when the long-term list must still hold two episodes of
 * the best context whatever the short-term list took (no score_threshold: a threshold also cuts whole
 * contexts) or whatever other contexts took, so it never blames a server for data it cannot see.
 *
 * Warn-level: the optional event backend returns only the matched episodes, their context shaping the score
 * alone (MM-LTM `_search_scored_event`), so a vendor server configured that way answers without shared scores.
 */
export const expandContextHonoured: Check = {
  id: 'expand-context-honoured',
  title: 'expand_context adds neighbours',
  description:
    "MemMachine expand_context of 3 or more (declarative backend, the default): where the answer leaves room for them, at least two long-term episodes share one score, because neighbours carry their anchor context's score (warn-level).",
  severity: 'warning',
  category: 'behaviour',
  sources: [],
  operations: ['memmachine.searchMemories'],
  run(context): CheckOutcome {
    return judgeAnswers(
      context,
      this.operations,
      (applicable) =>
        applicable.some((r) => (windowOf(context, r.step.operation, requestOf(r))?.before ?? 0) >= 1),
      (answers) =>
        concludeEach(
          answers,
          (answer) => judge(context, answer),
          'no answer left room to see neighbours: short-term episodes may hold them (short-term wins) or fewer than two episodes passed the filter',
        ),
    );
  },
};

interface Window {
  readonly topK: number;
  readonly expand: number;
  /** Earlier neighbours per anchor: expand_context // 3 (MM-DECL). */
  readonly before: number;
}

/** top_k and the clamped expand_context a request asks for, or undefined when top_k is not a positive integer. */
function windowOf(
  context: CaseContext,
  operation: string,
  request: Readonly<Record<string, unknown>>,
): Window | undefined {
  const topK = effectiveLimit(context.spec, operation, request, 'top_k');
  const asked = effectiveNumber(context.spec, operation, request, 'expand_context') ?? 0;
  if (topK === undefined || !Number.isInteger(asked)) return undefined;
  const expand = Math.max(0, Math.min(asked, topK - 1));
  return { topK, expand, before: Math.floor(expand / 3) };
}

/** undefined: the answer cannot show the best context; else a finding unless two long-term scores coincide. */
function judge(context: CaseContext, answer: Answer): FindingDraft[] | undefined {
  const window = windowOf(context, answer.operation, answer.request);
  const longTerm = listNamed(answer, 'long-term');
  if (window === undefined || window.before < 1 || longTerm === undefined || !longTerm.present)
    return undefined;
  const items = longTerm.items;
  // More than top_k is result-limit-respected's finding, and voids the bound below.
  if (items.length > window.topK) return undefined;
  const scores = items.map((item) => item.score);
  if (scores.some((score) => score === undefined)) return undefined; // schema checks report a missing score
  const shortTerm = listNamed(answer, 'short-term')?.items ?? [];
  const seen = new Set([...items, ...shortTerm].map((item) => item.id ?? item.pointer)).size;
  // The best context holds at least this many episodes, all sharing its score.
  const bestContext = 1 + Math.min(window.before, seen - 1);
  const thresholded = thresholdOf(context.spec, 'memmachine', answer) !== undefined;
  // At most |short-term| of them were removed as duplicates; at most top_k - bestContext others were added.
  const afterShortTerm = thresholded ? Number.NEGATIVE_INFINITY : bestContext - shortTerm.length;
  const afterOthers = items.length - (window.topK - bestContext);
  if (Math.max(afterShortTerm, afterOthers) < 2) return undefined;
  if (new Set(scores).size < scores.length) return [];
  return [
    {
      step: answer.name,
      pointer: longTerm.pointer,
      message: `Expected at least two long-term episodes sharing one score (expand_context ${window.expand} with top_k ${window.topK}: an anchor's neighbours carry its context's score) / Received ${items.length} episodes with ${items.length} different scores`,
      expected: 'two or more equal scores',
      actual: scores,
    },
  ];
}
