import { isRecord } from '../json.js';
import { conclude, effectiveNumber, judgeAnswers } from './results.js';
import type { Check, CheckOutcome, FindingDraft } from './types.js';

/**
 * MemOS get/memory pages: `current` echoes `page` (default 1), `size` echoes the request's `size` (default
 * 10), `total` is the largest count across memory types so it is never below a list's length (M-API field
 * descriptions). `pages == ceil(total / size)` is inferred from the field names, not stated: warn-level
 * (M-API in docs/sources.md).
 */
export const paginationConsistent: Check = {
  id: 'pagination-consistent',
  title: 'Pagination fields consistent',
  description:
    'MemOS get/memory: current echoes page, size echoes size, total is at least every list length, and pages == ceil(total / size) (warn-level).',
  severity: 'error',
  category: 'behaviour',
  sources: ['M-API'],
  operations: ['memos.getMemory'],
  run(context): CheckOutcome {
    return judgeAnswers(context, this.operations, (answers) => {
      const findings: FindingDraft[] = [];
      let judged = false;
      for (const answer of answers) {
        const data = isRecord(answer.body) && isRecord(answer.body.data) ? answer.body.data : {};
        const number = (key: string) => (Number.isInteger(data[key]) ? (data[key] as number) : undefined);
        const page = effectiveNumber(context.spec, answer.operation, answer.request, 'page');
        const size = effectiveNumber(context.spec, answer.operation, answer.request, 'size');
        const { current, total, pages } = {
          current: number('current'),
          total: number('total'),
          pages: number('pages'),
        };
        const echoed = number('size');
        const add = (
          pointer: string,
          what: string,
          expected: number,
          actual: number,
          severity?: 'warning',
        ) => {
          findings.push({
            step: answer.name,
            pointer,
            message: `Expected ${what} ${expected} / Received ${actual}`,
            expected,
            actual,
            ...(severity === undefined ? {} : { severity }),
          });
        };
        if (current !== undefined && page !== undefined) {
          judged = true;
          if (current !== page) add('/data/current', 'current to echo page', page, current);
        }
        if (echoed !== undefined && size !== undefined) {
          judged = true;
          if (echoed !== size) add('/data/size', 'size to echo the requested size', size, echoed);
        }
        if (total !== undefined) {
          const longest = Math.max(0, ...answer.lists.map((list) => list.items.length));
          judged = true;
          if (total < longest)
            add('/data/total', 'total to be at least the longest list length', longest, total);
          if (pages !== undefined && size !== undefined && size > 0) {
            const expected = Math.ceil(total / size);
            if (pages !== expected)
              add('/data/pages', `pages == ceil(${total} / ${size}) =`, expected, pages, 'warning');
          }
        }
      }
      return conclude(findings, judged, 'no answer carried current, size or total to compare');
    });
  },
};
