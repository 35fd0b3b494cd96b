import { checked, notApplicable } from './outcome.js';
import { ALL_OPERATIONS, answeredSteps } from './protocol-support.js';
import type { Check, FindingDraft } from './types.js';

/**
 * Headers the spec marks `required` for the answered status are present. None of the three specs marks a
 * response header required today (Mem0 documents its 429 rate-limit headers as optional), so the check
 * reports not-applicable unless a spec starts to.
 */
export const requiredHeadersPresent: Check = {
  id: 'required-headers-present',
  title: 'Required headers present',
  description: 'Every response carries the headers the spec marks required for its status.',
  severity: 'error',
  category: 'protocol',
  sources: ['M-API', 'Z-OAS', 'MM-PLAT', 'MM-OSS'],
  operations: ALL_OPERATIONS,
  run(context) {
    const findings: FindingDraft[] = [];
    let judged = 0;
    for (const { step, response } of answeredSteps(context)) {
      const required = context.spec
        .responseHeaders(step.operation, response.status)
        .filter((header) => header.required);
      if (required.length === 0) continue;
      judged += 1;
      for (const { name } of required) {
        // Header names are case-insensitive (RFC 9110 §5.1); the exchange stores them in lower case.
        if (response.headers[name.toLowerCase()] !== undefined) continue;
        findings.push({
          step: step.name,
          message: `Expected header ${name} (required for status ${response.status}) / Received no ${name} header`,
          expected: name,
          actual: null,
        });
      }
    }
    return judged === 0 ? notApplicable() : checked(findings);
  },
};
