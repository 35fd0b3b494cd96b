import { conclude, judgeAnswers, requestOf, thresholdOf } from './results.js';
import type { Check, CheckOutcome, FindingDraft, StepResult } from './types.js';

/** Tolerance for scores rounded by the server (e.g. 0.4499999999 shown as 0.45). */
const EPSILON = 1e-9;

/** Items scored below the request's relevance threshold are not returned. */
export const relevanceThresholdRespected: Check = {
  id: 'relevance-threshold-respected',
  title: 'Relevance threshold respected',
  description:
    'No returned item scores below the request threshold: MemOS relativity (default 0.45, 0 disables) on every list, MemMachine score_threshold on long-term episodes.',
  severity: 'error',
  category: 'behaviour',
  operations: ['memos.searchMemory', 'memmachine.searchMemories'],
  run(context): CheckOutcome {
    const api = context.target.api;
    const applies = (applicable: readonly StepResult[]) =>
      applicable.some((result) =>
        thresholdOf(context.spec, api, { operation: result.step.operation, request: requestOf(result) }),
      );
    return judgeAnswers(context, this.operations, applies, (answers) => {
      const findings: FindingDraft[] = [];
      let judged = false;
      for (const answer of answers) {
        const threshold = thresholdOf(context.spec, api, answer);
        if (threshold === undefined) continue;
        for (const list of answer.lists) {
          if (!threshold.lists.includes(list.name)) continue;
          const scored = list.items.filter((item) => item.score !== undefined);
          if (scored.length > 0) judged = true;
          const below = scored.filter((item) => (item.score ?? 0) < threshold.value - EPSILON);
          const first = below[0];
          if (first === undefined) continue;
          findings.push({
            step: answer.name,
            pointer: first.scorePointer,
            message: `Expected every ${list.name} item to score >= ${threshold.field} ${threshold.value} / Received ${first.score}`,
            expected: `>= ${threshold.value}`,
            actual: first.score,
            count: below.length,
          });
        }
      }
      return conclude(findings, judged, 'no item under a threshold carried a score');
    });
  },
};
