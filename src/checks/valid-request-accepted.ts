import { checked, notApplicable } from './outcome.js';
import {
  ALL_OPERATIONS,
  answeredSteps,
  describeAnswer,
  isAuthenticated,
  memosCode,
} from './protocol-support.js';
import type { Check, FindingDraft } from './types.js';

/**
 * A request that keeps the contract (no `invalid`, valid credentials — or any credentials against a target
 * without auth) gets a 2xx answer. MemOS reports errors in the body, so an HTTP 200 whose `code` is not 0 is
 * a rejection too (M-ERR, M-ISS1317 in docs/sources.md).
 */
export const validRequestAccepted: Check = {
  id: 'valid-request-accepted',
  title: 'Valid request accepted',
  description:
    'A request that keeps the request contract, with valid credentials, gets a 2xx success answer.',
  severity: 'error',
  category: 'protocol',
  sources: ['M-API', 'M-CLI', 'Z-OAS', 'MM-PLAT', 'MM-SPEC'],
  operations: ALL_OPERATIONS,
  run(context) {
    const judged = answeredSteps(context).filter(
      (result) => result.step.invalid === undefined && isAuthenticated(context, result),
    );
    if (judged.length === 0) return notApplicable();
    const findings: FindingDraft[] = [];
    for (const { step, response } of judged) {
      const { status } = response;
      if (status < 200 || status > 299) {
        findings.push({
          step: step.name,
          message: `Expected a 2xx answer to a valid request / Received ${describeAnswer(context, response)}`,
          expected: '2xx',
          actual: status,
        });
        continue;
      }
      const code = memosCode(context, response.json);
      if (code !== undefined && code !== 0) {
        findings.push({
          step: step.name,
          message: `Expected code 0 (success) for a valid request / Received ${describeAnswer(context, response)}`,
          pointer: '/code',
          expected: 0,
          actual: code,
        });
      }
    }
    return checked(findings);
  },
};
