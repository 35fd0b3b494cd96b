import { isRecord } from '../json.js';
import { notApplicable } from './outcome.js';
import {
  type Answer,
  canonicalBody,
  caseAnswers,
  conclude,
  effectiveNumber,
  groupSteps,
  idsOf,
  requestOf,
} from './results.js';
import type { Check, CheckOutcome, FindingDraft } from './types.js';

/**
 * MemOS get/memory pages split one listing: two pages of the same request share no memory, and a page past
 * the last is empty with the same `total` as the other pages. Warn-level: M-API in docs/sources.md calls the
 * past-the-end answer expected but
 * unverified, and the listing order is undocumented (Behaviour 4).
 */
export const pagesDoNotOverlap: Check = {
  id: 'pages-do-not-overlap',
  title: 'Pages do not overlap',
  description:
    'MemOS get/memory: pages of the same request share no ids, and a page past the last one is empty and keeps the total (warn-level).',
  severity: 'warning',
  category: 'behaviour',
  sources: [],
  operations: ['memos.getMemory'],
  run(context): CheckOutcome {
    const { applicable, answers } = caseAnswers(context, this.operations);
    const pageOf = (operation: string, request: Readonly<Record<string, unknown>>) =>
      effectiveNumber(context.spec, operation, request, 'page') ?? 1;
    const key = (operation: string, request: Readonly<Record<string, unknown>>) =>
      `${operation} ${canonicalBody(request, ['page'])}`;
    const paged = groupSteps(applicable, (result) => key(result.step.operation, requestOf(result))).some(
      (group) => new Set(group.map((result) => pageOf(result.step.operation, requestOf(result)))).size > 1,
    );
    const pastLast = answers.filter((answer) => isPastLast(answer, pageOf(answer.operation, answer.request)));
    if (!paged && pastLast.length === 0) return notApplicable();
    const findings: FindingDraft[] = [];
    let judged = false;
    for (const group of groupSteps(answers, (answer) => key(answer.operation, answer.request))) {
      for (const [i, later] of group.entries()) {
        for (const earlier of group.slice(0, i)) {
          if (pageOf(earlier.operation, earlier.request) === pageOf(later.operation, later.request)) continue;
          const earlierIds = new Set(idsOf(earlier.lists));
          if (earlierIds.size === 0 || idsOf(later.lists).length === 0) continue;
          judged = true;
          const shared = later.lists.flatMap((list) =>
            list.items.filter((item) => item.id !== undefined && earlierIds.has(item.id)),
          );
          const first = shared[0];
          if (first === undefined) continue;
          findings.push({
            step: later.name,
            pointer: first.idPointer,
            message: `Expected page ${pageOf(later.operation, later.request)} to share no memory with page ${pageOf(earlier.operation, earlier.request)} (step ${earlier.name}) / Received ${first.id} on both`,
            expected: 'no shared ids',
            actual: first.id,
            count: shared.length,
          });
        }
      }
    }
    for (const answer of pastLast) {
      judged = true;
      const total = numberAt(answer, 'total');
      const other = answers.find(
        (a) =>
          a !== answer &&
          key(a.operation, a.request) === key(answer.operation, answer.request) &&
          numberAt(a, 'total') !== undefined,
      );
      const otherTotal = other && numberAt(other, 'total');
      if (other !== undefined && total !== undefined && otherTotal !== total) {
        findings.push({
          step: answer.name,
          pointer: '/data/total',
          message: `Expected total ${otherTotal} on page ${pageOf(answer.operation, answer.request)}, past the last page, as on page ${pageOf(other.operation, other.request)} (step ${other.name}) / Received ${total}`,
          expected: otherTotal,
          actual: total,
        });
      }
      const filled = answer.lists.filter((list) => list.items.length > 0);
      const first = filled[0];
      if (first === undefined) continue;
      findings.push({
        step: answer.name,
        pointer: first.pointer,
        message: `Expected every list to be empty on page ${pageOf(answer.operation, answer.request)}, past the last page ${pagesOf(answer)} / Received ${first.items.length} items in ${first.name} list`,
        expected: 0,
        actual: first.items.length,
        count: filled.length,
      });
    }
    return conclude(findings, judged, 'no two answered pages of one request both held memories');
  },
};

/** An integer field of an answer's `data` (`pages`, `total`), if it is one. */
function numberAt(answer: Answer, key: string): number | undefined {
  const data = isRecord(answer.body) && isRecord(answer.body.data) ? answer.body.data : {};
  return Number.isInteger(data[key]) ? (data[key] as number) : undefined;
}

/** The `pages` an answer reports, if it is an integer. */
function pagesOf(answer: Answer): number | undefined {
  return numberAt(answer, 'pages');
}

/** True when the answer's own `pages` says the requested page lies past the last one. */
function isPastLast(answer: Answer, page: number): boolean {
  const pages = pagesOf(answer);
  return pages !== undefined && page > Math.max(pages, 1);
}
