import { notApplicable } from './outcome.js';
import {
  type Answer,
  canonicalBody,
  caseAnswers,
  conclude,
  effectiveNumber,
  groupSteps,
  type ListName,
  listNamed,
  requestOf,
} from './results.js';
import type { CaseContext, Check, CheckOutcome, FindingDraft } from './types.js';

/**
 * The request field that sets the threshold and the lists it cuts: MemOS `relativity` on every list (M-API
 * 2026, M-SRCH), MemMachine `score_threshold` on long-term episodes only (MM-LTM, MM-MAIN), Mem0 v2/v3
 * `threshold` on the results (Z-OAS; v1 has none).
 */
const THRESHOLDS: Readonly<
  Record<string, { field: string; lists: readonly ListName[]; untouched: readonly ListName[] }>
> = {
  memos: { field: 'relativity', lists: ['memory', 'preference', 'tool', 'skill'], untouched: [] },
  // Short-term episodes carry no score and semantic features are not thresholded (MM-LTM, MM-MAIN).
  memmachine: { field: 'score_threshold', lists: ['long-term'], untouched: ['short-term', 'semantic'] },
  mem0: { field: 'threshold', lists: ['results'], untouched: [] },
};

/**
 * Raising the threshold can only drop results: within a case, steps whose bodies differ only in the
 * threshold return, for the higher threshold, a subset of the ids returned for the lower one. Warn-level:
 * inferred from "results with lower relevance are dropped" and assumes equal requests rank alike.
 */
export const thresholdNarrowsResults: Check = {
  id: 'threshold-narrows-results',
  title: 'A higher threshold narrows results',
  description:
    'Steps that differ only in the relevance threshold: ids returned with the higher threshold are a subset of those returned with the lower one (MemOS relativity, MemMachine score_threshold, which leaves short-term and semantic lists as they are, Mem0 v2/v3 threshold).',
  severity: 'warning',
  category: 'behaviour',
  sources: [],
  operations: [
    'memos.searchMemory',
    'mem0.searchMemoriesV2',
    'mem0.searchMemoriesV3',
    'memmachine.searchMemories',
  ],
  run(context): CheckOutcome {
    const threshold = THRESHOLDS[context.target.api];
    const { applicable, answers } = caseAnswers(context, this.operations);
    if (threshold === undefined || applicable.length < 2) return notApplicable();
    const level = (operation: string, request: Readonly<Record<string, unknown>>) =>
      levelOf(context, threshold.field, operation, request);
    const key = (operation: string, request: Readonly<Record<string, unknown>>) =>
      `${operation} ${canonicalBody(request, [threshold.field])}`;
    // The case is of this kind when some steps differ only in the threshold.
    const pairsExist = groupSteps(applicable, (result) => key(result.step.operation, requestOf(result))).some(
      (group) => new Set(group.map((result) => level(result.step.operation, requestOf(result)))).size > 1,
    );
    if (!pairsExist) return notApplicable();
    const findings: FindingDraft[] = [];
    let judged = false;
    for (const group of groupSteps(answers, (answer) => key(answer.operation, answer.request))) {
      for (const higher of group) {
        for (const lower of group) {
          if (level(lower.operation, lower.request) >= level(higher.operation, higher.request)) continue;
          for (const name of threshold.lists) {
            const result = compare(lower, higher, name);
            if (result.compared) judged = true;
            if (result.finding) findings.push(result.finding);
          }
          for (const name of threshold.untouched) {
            const result = unchanged(lower, higher, name, threshold.field);
            if (result.compared) judged = true;
            if (result.finding) findings.push(result.finding);
          }
        }
      }
    }
    return conclude(
      findings,
      judged,
      'no pair of answered steps differing only in the threshold returned any item at the higher threshold',
    );
  },
};

/** The effective threshold: MemOS null/absent = spec default, 0 = off; MemMachine null/absent = off. */
function levelOf(
  context: CaseContext,
  field: string,
  operation: string,
  request: Readonly<Record<string, unknown>>,
): number {
  const value =
    context.target.api === 'memos'
      ? effectiveNumber(context.spec, operation, request, field)
      : typeof request[field] === 'number'
        ? (request[field] as number)
        : undefined;
  return value === undefined || value === 0 ? Number.NEGATIVE_INFINITY : value;
}

function compare(
  lower: Answer,
  higher: Answer,
  name: ListName,
): { compared: boolean; finding?: FindingDraft } {
  const high = listNamed(higher, name);
  const low = listNamed(lower, name);
  const highItems = (high?.items ?? []).filter((item) => item.id !== undefined);
  if (high === undefined || highItems.length === 0) return { compared: false };
  const lowIds = new Set((low?.items ?? []).map((item) => item.id));
  const extra = highItems.filter((item) => !lowIds.has(item.id));
  const first = extra[0];
  if (first === undefined) return { compared: true };
  return {
    compared: true,
    finding: {
      step: higher.name,
      pointer: first.idPointer,
      message: `Expected ${name} items returned at the higher threshold to be among those of step ${lower.name} (lower threshold) / Received ${first.id}, absent there`,
      expected: `subset of ${lower.name}`,
      actual: first.id,
      count: extra.length,
    },
  };
}

/** A list the threshold does not apply to holds the same ids at both thresholds. */
function unchanged(
  lower: Answer,
  higher: Answer,
  name: ListName,
  field: string,
): { compared: boolean; finding?: FindingDraft } {
  const ids = (answer: Answer) => (listNamed(answer, name)?.items ?? []).map((item) => item.id ?? '(no id)');
  const [low, high] = [ids(lower), ids(higher)];
  if (low.length + high.length === 0) return { compared: false };
  const missing = low.filter((id) => !high.includes(id));
  if (missing.length === 0 && high.length === low.length) return { compared: true };
  return {
    compared: true,
    finding: {
      step: higher.name,
      pointer: listNamed(higher, name)?.pointer ?? '',
      message: `Expected the same ${name} items as step ${lower.name} (${field} cuts long-term episodes only) / Received ${high.length} items, ${missing.length} of its ${low.length} missing`,
      expected: low.length,
      actual: high.length,
      count: Math.max(1, missing.length),
    },
  };
}
