import { requestFilter } from './filters.js';
import { MEM0_SEARCHES } from './protocol-support.js';
import { conclude, judgeAnswers, requestOf } from './results.js';
import type { Check, CheckOutcome, FindingDraft, StepResult } from './types.js';

/**
 * Returned items satisfy the request's filter, for the filter forms memconform can evaluate: MemOS
 * create_time/update_time bounds and tags contains (M-FLT in docs/sources.md:
 * "returned create_time ms >= the date"), MemMachine `metadata.k = v` AND chains on episodes (MM-FLT), Mem0
 * `categories` and `metadata` equality (Z-OAS). Other forms make the check not applicable for that step.
 */
export const filterNarrowsResults: Check = {
  id: 'filter-narrows-results',
  title: 'Filter narrows results',
  description:
    'Every returned item satisfies the request filter where memconform can evaluate it: MemOS time bounds and tags, MemMachine metadata equalities, Mem0 categories and metadata.',
  severity: 'error',
  category: 'behaviour',
  sources: ['M-FLT', 'Z-OAS', 'MM-FLT'],
  operations: ['memos.searchMemory', 'memos.getMemory', ...MEM0_SEARCHES, 'memmachine.searchMemories'],
  run(context): CheckOutcome {
    const api = context.target.api;
    const applies = (applicable: readonly StepResult[]) =>
      applicable.some((result) => requestFilter(api, requestOf(result)));
    return judgeAnswers(context, this.operations, applies, (answers) => {
      const findings: FindingDraft[] = [];
      let judged = false;
      for (const answer of answers) {
        const filter = requestFilter(api, answer.request);
        if (filter === undefined) continue;
        for (const list of answer.lists) {
          if (!filter.lists.includes(list.name)) continue;
          const failing: { pointer: string; condition: string; actual: unknown }[] = [];
          for (const item of list.items) {
            const verdict = filter.test(item);
            if (verdict.holds !== undefined) judged = true;
            if (verdict.holds === false) {
              failing.push({
                pointer: `${item.pointer}${verdict.path ?? ''}`,
                condition: verdict.condition ?? 'the filter',
                actual: verdict.actual,
              });
            }
          }
          const first = failing[0];
          if (first === undefined) continue;
          findings.push({
            step: answer.name,
            pointer: first.pointer,
            message: `Expected every ${list.name} item to satisfy ${first.condition} / Received ${JSON.stringify(first.actual) ?? 'no value'}`,
            expected: first.condition,
            actual: first.actual,
            count: failing.length,
          });
        }
      }
      return conclude(findings, judged, 'no returned item could be tested against the filter');
    });
  },
};
