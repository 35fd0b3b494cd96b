import type { ApiName } from '../apis.js';
import { isRecord } from '../json.js';
import { conclude, judgeAnswers, type ResultItem, requestOf, thresholdOf } from './results.js';
import type { Check, CheckOutcome, FindingDraft, StepResult } from './types.js';

/** Tolerance for scores rounded by the server (e.g. 0.4499999999 shown as 0.45). */
const EPSILON = 1e-9;

/** Items scored below the request's relevance threshold are not returned. */
export const relevanceThresholdRespected: Check = {
  id: 'relevance-threshold-respected',
  title: 'Relevance threshold respected',
  description:
    'No returned item scores below the request threshold: MemOS relativity (default 0.45, 0 disables) on every list, MemMachine score_threshold on long-term episodes, Mem0 v2/v3 threshold (warning).',
  severity: 'error',
  category: 'behaviour',
  sources: ['M-API', 'M-SRCH', 'MM-LTM', 'MM-SVC'],
  operations: [
    'memos.searchMemory',
    'mem0.searchMemoriesV2',
    'mem0.searchMemoriesV3',
    'memmachine.searchMemories',
  ],
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
          const scored = list.items.flatMap((item) => {
            const score = thresholdScore(api, item);
            return score === undefined ? [] : [{ ...score, item }];
          });
          if (scored.length > 0) judged = true;
          const below = scored.filter(({ value }) => value < threshold.value - EPSILON);
          const first = below[0];
          if (first === undefined) continue;
          findings.push({
            step: answer.name,
            pointer: first.pointer,
            message: `Expected every ${list.name} item to score >= ${threshold.field} ${threshold.value} / Received ${first.value}`,
            expected: `>= ${threshold.value}`,
            actual: first.value,
            count: below.length,
            // Mem0 documents the threshold as a minimum *semantic* score, while `score` fuses several signals
            // (Z-OAS v3, Z-DOCS): the semantic part is judged when sent, else `score`, and only as a warning.
            ...(api === 'mem0' ? { severity: 'warning' as const } : {}),
          });
        }
      }
      return conclude(findings, judged, 'no item under a threshold carried a score');
    });
  },
};

/** The score a threshold is compared with: Mem0's `score_breakdown.semantic` when sent, else the item score. */
function thresholdScore(api: ApiName, item: ResultItem): { value: number; pointer: string } | undefined {
  const breakdown = item.value.score_breakdown;
  if (api === 'mem0' && isRecord(breakdown) && typeof breakdown.semantic === 'number') {
    return { value: breakdown.semantic, pointer: `${item.pointer}/score_breakdown/semantic` };
  }
  return item.score === undefined ? undefined : { value: item.score, pointer: item.scorePointer };
}
