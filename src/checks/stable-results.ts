import { notApplicable } from './outcome.js';
import { MEM0_SEARCHES } from './protocol-support.js';
import { type Answer, canonicalBody, caseAnswers, conclude, groupSteps, requestOf } from './results.js';
import type { Check, CheckOutcome, FindingDraft } from './types.js';

/**
 * Asking the same thing twice gives the same answer: steps of a case with identical bodies return the same
 * ids in the same order. Warn-level: no vendor promises it; clients that page, cache or diff results rely on
 * it, and a memory store that nothing writes to between the requests has no reason to differ.
 */
export const stableResults: Check = {
  id: 'stable-results',
  title: 'Stable results',
  description:
    'Steps of a case with identical request bodies return the same ids in the same order (warn-level: relied on, not promised).',
  severity: 'warning',
  category: 'behaviour',
  sources: [],
  operations: ['memos.searchMemory', 'memos.getMemory', ...MEM0_SEARCHES, 'memmachine.searchMemories'],
  run(context): CheckOutcome {
    const { applicable, answers } = caseAnswers(context, this.operations);
    const key = (operation: string, request: Readonly<Record<string, unknown>>) =>
      `${operation} ${canonicalBody(request)}`;
    const repeated = groupSteps(applicable, (result) => key(result.step.operation, requestOf(result))).some(
      (group) => group.length > 1,
    );
    if (!repeated) return notApplicable();
    const findings: FindingDraft[] = [];
    let judged = false;
    for (const group of groupSteps(answers, (answer) => key(answer.operation, answer.request))) {
      const [first, ...rest] = group;
      if (first === undefined) continue;
      for (const later of rest) {
        const result = compare(first, later);
        judged ||= result.judged;
        findings.push(...result.findings);
      }
    }
    return conclude(findings, judged, 'no two identical requests were both answered with results');
  },
};

function compare(first: Answer, later: Answer): { judged: boolean; findings: FindingDraft[] } {
  let judged = false;
  const findings: FindingDraft[] = [];
  for (const list of later.lists) {
    const before = first.lists.find((l) => l.name === list.name);
    const was = (before?.items ?? []).map((item) => item.id ?? null);
    const now = list.items.map((item) => item.id ?? null);
    if (was.length === 0 && now.length === 0) continue;
    judged = true;
    const at = now.findIndex((id, i) => id !== was[i]);
    const index = at === -1 ? (now.length < was.length ? now.length : -1) : at;
    if (index === -1) continue;
    const item = list.items[index];
    findings.push({
      step: later.name,
      pointer: item ? item.idPointer : list.pointer,
      message: `Expected the ${list.name} list of step ${first.name} (same request): ${JSON.stringify(was)} / Received ${JSON.stringify(now)}`,
      expected: was,
      actual: now,
    });
  }
  return { judged, findings };
}
