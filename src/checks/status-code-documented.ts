import { checked, notApplicable } from './outcome.js';
import { ALL_OPERATIONS, answeredSteps } from './protocol-support.js';
import type { Check, FindingDraft } from './types.js';

/**
 * The status of every answer is documented for its operation (exactly, by range or by `default`). MemOS
 * reports errors as a body code and the HTTP status beside it is unverified (M-ERR, M-ISS1317), so the
 * error statuses its spec lists are inferred: another 4xx/5xx there is a warning, not an error. Whether
 * a documented 5xx is acceptable is not this check's question: `valid-request-accepted` and
 * `invalid-input-rejected` judge 5xx answers, so a documented 500 (MemOS, Mem0) passes here.
 */
export const statusCodeDocumented: Check = {
  id: 'status-code-documented',
  title: 'Status code documented',
  description:
    "Every response status is one the spec documents for the operation (exact, range or 'default').",
  severity: 'error',
  category: 'protocol',
  sources: ['M-API', 'Z-OAS', 'MM-PLAT', 'MM-OSS'],
  operations: ALL_OPERATIONS,
  run(context) {
    const answered = answeredSteps(context);
    if (answered.length === 0) return notApplicable();
    const findings: FindingDraft[] = [];
    for (const { step, response } of answered) {
      if (context.spec.responseKeyFor(step.operation, response.status) !== undefined) continue;
      const documented = context.spec.documentedStatuses(step.operation);
      findings.push({
        step: step.name,
        ...(context.target.api === 'memos' && response.status >= 400 ? { severity: 'warning' as const } : {}),
        message:
          `Expected one of the statuses documented for ${step.operation} (${documented.join(', ')}) / ` +
          `Received ${response.status}`,
        expected: documented,
        actual: response.status,
      });
    }
    return checked(findings);
  },
};
