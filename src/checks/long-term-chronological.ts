import { conclude, judgeAnswers, listNamed, type ResultItem } from './results.js';
import type { Check, CheckOutcome, FindingDraft } from './types.js';

/**
 * MemMachine's default declarative backend returns long-term episodes in chronological order (`created_at`,
 * then `uid`), not by score (MM-DECL `_unify_scored_anchored_episode_contexts`; Platform description "sorted
 * by timestamp"). Warn-level: the optional `event` backend keeps ranking order (MM-LTM).
 */
export const longTermChronological: Check = {
  id: 'long-term-chronological',
  title: 'Long-term episodes in chronological order',
  description:
    'MemMachine long-term episodes come back ordered by created_at, then uid (warn-level: the optional event backend ranks instead).',
  severity: 'warning',
  category: 'behaviour',
  sources: [],
  operations: ['memmachine.searchMemories'],
  run(context): CheckOutcome {
    return judgeAnswers(context, this.operations, (answers) => {
      const findings: FindingDraft[] = [];
      let judged = false;
      for (const answer of answers) {
        const dated = (listNamed(answer, 'long-term')?.items ?? []).filter(
          (item): item is ResultItem & { createdAt: number } => item.createdAt !== undefined,
        );
        if (dated.length < 2) continue;
        judged = true;
        const late = dated.slice(1).filter((item, i) => {
          const previous = dated[i];
          return previous !== undefined && comesBefore(item, previous);
        });
        const first = late[0];
        if (first === undefined) continue;
        const previous = dated[dated.indexOf(first) - 1];
        findings.push({
          step: answer.name,
          pointer: `${first.pointer}/created_at`,
          message: `Expected long-term episodes ordered by created_at then uid (not before ${String(previous?.createdAtRaw)} / ${previous?.id}) / Received ${String(first.createdAtRaw)} / ${first.id}`,
          expected: `>= ${String(previous?.createdAtRaw)}`,
          actual: first.createdAtRaw,
          count: late.length,
        });
      }
      return conclude(findings, judged, 'no answer held two dated long-term episodes to compare');
    });
  },
};

/** True when `item` must sort strictly before `previous` by (created_at, uid). */
function comesBefore(
  item: ResultItem & { createdAt: number },
  previous: ResultItem & { createdAt: number },
): boolean {
  if (item.createdAt !== previous.createdAt) return item.createdAt < previous.createdAt;
  // Equal at ms precision: the uid decides only when the times are literally equal, since the text may
  // hold microseconds that milliseconds cannot order.
  if (item.createdAtRaw !== previous.createdAtRaw) return false;
  return item.id !== undefined && previous.id !== undefined && item.id < previous.id;
}
