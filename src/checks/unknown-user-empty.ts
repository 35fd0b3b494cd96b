import type { ApiName } from '../apis.js';
import { isRecord } from '../json.js';
import { notApplicable } from './outcome.js';
import { MEM0_SEARCHES } from './protocol-support.js';
import { conclude, isSuccess, type ListName, meantToSucceed, resultLists } from './results.js';
import type { Check, CheckOutcome, FindingDraft } from './types.js';

/** The case tag that marks requests for a user holding no data (the suites use `${unknownUser}`). */
export const UNKNOWN_USER_TAG = 'unknown-user';

/** Lists an unknown user must find empty; MemMachine semantic features are per set, not per user filter. */
const USER_LISTS: Readonly<Record<ApiName, readonly ListName[]>> = {
  memos: ['memory', 'preference', 'tool', 'skill'],
  mem0: ['results'],
  memmachine: ['short-term', 'long-term'],
};

/**
 * A user id that holds no data is not an error: 200 with empty results. Mem0 asserts `200 []` in its own live
 * test (Z-TSIT); for MemOS and MemMachine it is the expected answer but unverified, so warning level
 * (Z-TSIT in docs/sources.md).
 */
export const unknownUserEmpty: Check = {
  id: 'unknown-user-empty',
  title: 'Unknown user gets empty results',
  description:
    'A request for a user that holds no data (cases tagged unknown-user) gets a success with empty results, not an error (Mem0: error level; MemOS, MemMachine: warning).',
  severity: 'error',
  category: 'behaviour',
  sources: ['Z-TSIT'],
  operations: ['memos.searchMemory', 'memos.getMemory', ...MEM0_SEARCHES, 'memmachine.searchMemories'],
  run(context): CheckOutcome {
    if (!context.suiteCase.tags.includes(UNKNOWN_USER_TAG)) return notApplicable();
    const api = context.target.api;
    const steps = context.steps.filter((result) => meantToSucceed(context, result, this.operations));
    if (steps.length === 0) return notApplicable();
    const severity = api === 'mem0' ? {} : { severity: 'warning' as const };
    const findings: FindingDraft[] = [];
    let judged = false;
    for (const result of steps) {
      const response = result.exchange.response;
      if (response === undefined) continue;
      judged = true;
      if (!isSuccess(api, result.exchange)) {
        const code = isRecord(response.json) ? response.json.code : undefined;
        findings.push({
          step: result.step.name,
          message: `Expected a success with empty results for a user that holds no data / Received HTTP ${response.status}${code === undefined ? '' : ` code ${String(code)}`}`,
          expected: 'success, empty results',
          actual: response.status,
          ...severity,
        });
        continue;
      }
      for (const list of resultLists(api, response.json)) {
        if (!USER_LISTS[api].includes(list.name) || list.items.length === 0) continue;
        findings.push({
          step: result.step.name,
          pointer: list.pointer,
          message: `Expected no ${list.name} items for a user that holds no data / Received ${list.items.length}`,
          expected: 0,
          actual: list.items.length,
          ...severity,
        });
      }
    }
    return conclude(findings, judged, 'no unknown-user request got an answer');
  },
};
