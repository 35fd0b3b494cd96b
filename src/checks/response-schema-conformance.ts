import type { ItemsCut } from '../http/exchange.js';
import { isRecord } from '../json.js';
import { collapseViolations, pointerPattern } from '../spec/violations.js';
import { checked, notApplicable, vacuous } from './outcome.js';
import { ALL_OPERATIONS, answeredSteps, memosCode } from './protocol-support.js';
import type { CaseContext, Check, FindingDraft, SchemaViolation } from './types.js';

/** The first numeric 4xx status documented for the operation (where MemOS documents its ErrorResponse). */
function documentedErrorStatus(context: CaseContext, operationId: string): number | undefined {
  for (const key of context.spec.documentedStatuses(operationId)) {
    if (/^4\d\d$/.test(key)) return Number(key);
  }
  return undefined;
}

const sameViolation = (a: SchemaViolation, b: SchemaViolation): boolean =>
  a.pointer === b.pointer && a.keyword === b.keyword && a.message === b.message;

/**
 * MemOS documents its 200 body as `oneOf` [success envelope, ErrorResponse] because the HTTP status of an
 * error is unverified (M-ERR, M-ISS1317 in docs/sources.md). For a success body (`code: 0`) only the envelope branch
 * matters. The spec layer reports the branch that came closest; when that was the ErrorResponse branch (a
 * badly broken envelope), its complaints (`code` must not be 0, `data` must be null) say nothing useful.
 * They are recognised by validating the same body against a documented error status alone: a violation at
 * `/code` or `/data` (the keys where the branches disagree by design) that the error schema also produces
 * belongs to that branch. If nothing else is left, one finding says the envelope does not match.
 */
function successBranchViolations(
  context: CaseContext,
  operationId: string,
  body: unknown,
  violations: readonly SchemaViolation[],
): readonly SchemaViolation[] {
  const errorStatus = documentedErrorStatus(context, operationId);
  if (errorStatus === undefined || violations.length === 0) return violations;
  const errorBranch = context.spec.validateResponse(operationId, errorStatus, body) ?? [];
  const fromErrorBranch = (violation: SchemaViolation): boolean =>
    (violation.pointer === '/code' || violation.pointer === '/data') &&
    errorBranch.some((other) => sameViolation(other, violation));
  const kept = violations.filter((violation) => !fromErrorBranch(violation));
  const specific = kept.filter((violation) => !isRootCombinator(violation));
  if (specific.length > 0) return specific;
  if (kept.length === violations.length) return kept;
  return [
    {
      pointer: '',
      keyword: 'oneOf',
      severity: 'error',
      message:
        'Expected the success envelope documented for code 0 / Received a body too far from it to match ' +
        'either the success envelope or the error response',
    },
  ];
}

const isRootCombinator = (violation: SchemaViolation): boolean =>
  violation.pointer === '' && (violation.keyword === 'oneOf' || violation.keyword === 'anyOf');

/** Items of a Mem0 search answer: `/0`, `/0/id`, `/results/3`, `/results/3/memory`. */
const MEM0_ITEM_POINTER = /^\/(?:results\/)?\d+(?:\/[^/]+)?$/;

/**
 * A Mem0 request naming `fields` gets items restricted to those keys, so missing required item keys are
 * expected (Z-OAS in docs/sources.md) and not reported.
 */
function requestNamesFields(requestJson: unknown): boolean {
  return isRecord(requestJson) && Array.isArray(requestJson.fields);
}

/** Collapses repeats of one violation across array items into one finding with a count. */
function collapse(step: string, violations: readonly SchemaViolation[], note: string): FindingDraft[] {
  return collapseViolations(violations).map(({ violation, count }) => ({
    step,
    message: `${violation.message}${count > 1 ? ` (every ${pointerPattern(violation.pointer)})` : ''}${note}`,
    pointer: violation.pointer,
    severity: violation.severity,
    ...(violation.expected === undefined ? {} : { expected: violation.expected }),
    ...(violation.actual === undefined ? {} : { actual: violation.actual }),
    ...(count > 1 ? { count } : {}),
  }));
}

/**
 * A list longer than memconform judges was cut to its first items (bounded work per answer, see
 * http/bounded-json.ts): every check saw only those, so the verdict covers only them and says so.
 */
function cutFindings(step: string, cuts: readonly ItemsCut[]): FindingDraft[] {
  return cuts.map((cut) => ({
    step,
    severity: 'warning',
    message: `Expected at most ${cut.kept} entries in one list or object, the most memconform judges / Received ${cut.total}: judged the first ${cut.kept} of ${cut.total} items`,
    pointer: cut.pointer,
    expected: cut.kept,
    actual: cut.total,
  }));
}

/**
 * Every JSON body validates against the schema documented for its status. Findings point at the first
 * place a rule broke (a real JSON pointer into the body) and carry the count of array items that broke it
 * the same way; warn-level rules (`x-memconform-warn`) stay warnings.
 */
export const responseSchemaConformance: Check = {
  id: 'response-schema-conformance',
  title: 'Response matches schema',
  description: 'Every JSON response body validates against the schema the spec documents for its status.',
  severity: 'error',
  category: 'schema',
  sources: ['M-API', 'M-MM', 'Z-OAS', 'MM-PLAT', 'MM-SPEC'],
  operations: ALL_OPERATIONS,
  run(context) {
    const answered = answeredSteps(context);
    if (answered.length === 0) return notApplicable();
    const findings: FindingDraft[] = [];
    let judged = 0;
    for (const { step, exchange, response } of answered) {
      if (response.truncated || response.json === undefined) continue;
      findings.push(...cutFindings(step.name, response.itemsCut ?? []));
      const body = response.json;
      const code = memosCode(context, body);
      let status = response.status;
      let note = '';
      // A MemOS error body is validated as an error response whatever the HTTP status (M-API, M-SRCH in docs/sources.md).
      if (code !== undefined && code !== 0 && status >= 200 && status < 300) {
        const errorStatus = documentedErrorStatus(context, step.operation);
        if (errorStatus !== undefined) {
          status = errorStatus;
          note = ` (body code ${code} on HTTP ${response.status}: judged as the documented error response)`;
        }
      }
      let violations = context.spec.validateResponse(step.operation, status, body);
      if (violations === undefined) continue;
      judged += 1;
      if (code === 0 && response.status >= 200 && response.status < 300) {
        violations = successBranchViolations(context, step.operation, body, violations);
      }
      if (context.target.api === 'mem0' && requestNamesFields(exchange.request.json)) {
        violations = violations.filter(
          (v) => !(v.keyword === 'required' && MEM0_ITEM_POINTER.test(v.pointer)),
        );
      }
      findings.push(...collapse(step.name, violations, note));
    }
    if (judged === 0) return vacuous('no response had a JSON body with a schema documented for its status');
    return checked(findings);
  },
};
