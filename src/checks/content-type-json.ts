import { checked, notApplicable } from './outcome.js';
import { ALL_OPERATIONS, answeredSteps, quote } from './protocol-support.js';
import type { Check, FindingDraft } from './types.js';

/** `application/json` or a structured `+json` type (RFC 6839), e.g. `application/problem+json`. */
const JSON_MEDIA_TYPE = /^application\/(?:json|[a-z0-9!#$&^_.-]+\+json)$/;

/** The media type of a Content-Type value, lower case, parameters (`; charset=utf-8`) dropped. */
function mediaTypeOf(contentType: string): string {
  return (contentType.split(';')[0] ?? '').trim().toLowerCase();
}

/** True when `received` matches one of the documented media types (which may be ranges like `application/*`). */
function matchesDocumented(received: string, documented: readonly string[]): boolean {
  return documented.some((entry) => {
    const type = mediaTypeOf(entry);
    if (type === '*/*' || type === received) return true;
    return type.endsWith('/*') && received.startsWith(type.slice(0, -1));
  });
}

/**
 * A response with a body declares a JSON media type the spec documents for its status, and the body parses
 * as JSON. An empty body where the spec documents content is a finding too; a body the runner cut at its
 * size limit is reported as a warning (it could not be judged, which is not proof it is broken).
 */
export const contentTypeJson: Check = {
  id: 'content-type-json',
  title: 'JSON content type',
  description:
    'Every response body is declared as JSON (application/json or +json, as documented) and parses as JSON.',
  severity: 'error',
  category: 'protocol',
  sources: ['M-API', 'Z-OAS', 'MM-PLAT', 'MM-OSS'],
  operations: ALL_OPERATIONS,
  run(context) {
    const answered = answeredSteps(context);
    if (answered.length === 0) return notApplicable();
    const findings: FindingDraft[] = [];
    for (const { step, response } of answered) {
      const documented = context.spec.responseMediaTypes(step.operation, response.status);
      const expectedTypes = documented.length > 0 ? documented.join(' or ') : 'application/json';
      if (response.bodyBytes === 0 && response.body === '') {
        if (documented.length > 0) {
          findings.push({
            step: step.name,
            message: `Expected a ${expectedTypes} body for status ${response.status} / Received an empty body`,
            expected: documented,
            actual: '',
          });
        }
        continue;
      }
      const header = response.headers['content-type'];
      const parses = response.json !== undefined;
      const parseNote = parses || response.truncated ? '' : '; the body does not parse as JSON either';
      if (header === undefined || header.trim() === '') {
        findings.push({
          step: step.name,
          message: `Expected a Content-Type header declaring ${expectedTypes} / Received no Content-Type${parseNote}`,
          expected: expectedTypes,
          actual: null,
        });
        continue;
      }
      const mediaType = mediaTypeOf(header);
      if (!JSON_MEDIA_TYPE.test(mediaType)) {
        findings.push({
          step: step.name,
          message: `Expected Content-Type ${expectedTypes} / Received ${quote(header)}${parseNote}`,
          expected: expectedTypes,
          actual: quote(header),
        });
        continue;
      }
      if (documented.length > 0 && !matchesDocumented(mediaType, documented)) {
        findings.push({
          step: step.name,
          message: `Expected Content-Type ${expectedTypes} (documented for status ${response.status}) / Received ${quote(header)}`,
          expected: documented,
          actual: quote(header),
        });
      }
      if (response.truncated) {
        findings.push({
          step: step.name,
          severity: 'warning',
          message:
            `Expected a JSON body the runner can read / Received a body cut at the size limit ` +
            `(${response.bodyBytes} bytes or more), so it was not parsed or schema-checked`,
          expected: 'a complete body',
          actual: response.bodyBytes,
        });
      } else if (!parses) {
        findings.push({
          step: step.name,
          message:
            `Expected a body that parses as JSON / Received ${quote(response.jsonError ?? 'unparseable JSON')}` +
            ` (body starts: ${quote(response.body, 80)})`,
          expected: 'valid JSON',
          actual: quote(response.body, 80),
        });
      }
    }
    return checked(findings);
  },
};
