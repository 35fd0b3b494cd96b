import { notApplicable } from './outcome.js';
import {
  type Answer,
  canonicalBody,
  caseAnswers,
  conclude,
  effectiveLimit,
  groupSteps,
  type ListName,
  listNamed,
  requestOf,
} from './results.js';
import type { Check, CheckOutcome, FindingDraft } from './types.js';

/**
 * MemMachine `top_k` is a limit per memory list, not over the whole answer (MM-MAIN "limit per memory"):
 * with a smaller top_k each list still holds as many items as it can. Compared on
 * short-term episodes and semantic features only: long-term episodes are deduplicated against short-term
 * ones after the cut (MM-EPI), so their count may legitimately fall below top_k. Warn-level: that a list is
 * filled up to the limit when more match is inferred from "top k", not stated.
 */
const FILLED_LISTS: readonly ListName[] = ['short-term', 'semantic'];

/** Steps that differ only in top_k: the lower one fills each list up to its limit. */
export const limitFilledPerList: Check = {
  id: 'limit-filled-per-list',
  title: 'Limit filled per list',
  description:
    'MemMachine steps that differ only in top_k: with the lower top_k, short-term episodes and semantic features each hold min(top_k, what the higher top_k returned) items, so top_k caps each list, not the answer (warn-level).',
  severity: 'warning',
  category: 'behaviour',
  operations: ['memmachine.searchMemories'],
  run(context): CheckOutcome {
    const { applicable, answers } = caseAnswers(context, this.operations);
    const key = (operation: string, request: Readonly<Record<string, unknown>>) =>
      `${operation} ${canonicalBody(request, ['top_k'])}`;
    const limit = (operation: string, request: Readonly<Record<string, unknown>>) =>
      effectiveLimit(context.spec, operation, request, 'top_k');
    const pairsExist = groupSteps(applicable, (r) => key(r.step.operation, requestOf(r))).some(
      (group) => new Set(group.map((r) => limit(r.step.operation, requestOf(r)))).size > 1,
    );
    if (!pairsExist) return notApplicable();
    const findings: FindingDraft[] = [];
    let judged = false;
    for (const group of groupSteps(answers, (answer) => key(answer.operation, answer.request))) {
      for (const lower of group) {
        for (const higher of group) {
          const [low, high] = [
            limit(lower.operation, lower.request),
            limit(higher.operation, higher.request),
          ];
          if (low === undefined || high === undefined || low >= high) continue;
          for (const name of FILLED_LISTS) {
            const result = compare(lower, higher, name, low);
            if (result.compared) judged = true;
            if (result.finding) findings.push(result.finding);
          }
        }
      }
    }
    return conclude(
      findings,
      judged,
      'no pair of answered steps differing only in top_k returned items to compare',
    );
  },
};

function compare(
  lower: Answer,
  higher: Answer,
  name: ListName,
  limit: number,
): { compared: boolean; finding?: FindingDraft } {
  const available = listNamed(higher, name)?.items.length ?? 0;
  if (available === 0) return { compared: false };
  const list = listNamed(lower, name);
  const held = list?.items.length ?? 0;
  const expected = Math.min(limit, available);
  if (held >= expected) return { compared: true };
  return {
    compared: true,
    finding: {
      step: lower.name,
      pointer: list?.pointer ?? '',
      message: `Expected ${expected} ${name} items (top_k ${limit} per list; step ${higher.name} found ${available}) / Received ${held}`,
      expected,
      actual: held,
    },
  };
}
