/**
 * Test helpers for the protocol and schema checks: a SpecView built from a small table (so a check's own
 * logic is tested apart from the spec loader) and the reduction of an outcome to what a test asserts.
 */
import type { ApiName } from '../apis.js';
import type { Check, CheckOutcome, SchemaViolation, SpecView } from '../checks/types.js';

/** What a fake spec documents for one response key (`200`, `4XX`, `default`). */
export interface FakeResponse {
  /** Media types of the response content; none means no content is documented. */
  readonly mediaTypes?: readonly string[];
  readonly headers?: readonly { name: string; required: boolean }[];
  /** The violations of a body; omit for "no schema documented". */
  readonly validate?: (body: unknown) => readonly SchemaViolation[];
}

/** One operation of a fake spec: its responses by key, in document order. */
export type FakeOperation = Readonly<Record<string, FakeResponse>>;

/** A SpecView over a table of operations, resolving keys like the real one: exact, then range, then default. */
export function fakeSpecView(api: ApiName, operations: Readonly<Record<string, FakeOperation>>): SpecView {
  const operation = (operationId: string): FakeOperation => {
    const found = operations[operationId];
    if (!found) throw new Error(`fake spec has no operation ${operationId}`);
    return found;
  };
  const keyFor = (operationId: string, status: number): string | undefined => {
    const responses = operation(operationId);
    const exact = String(status);
    const range = `${exact[0] ?? ''}XX`;
    return [exact, range, 'default'].find((key) => responses[key] !== undefined);
  };
  const responseFor = (operationId: string, status: number): FakeResponse | undefined => {
    const key = keyFor(operationId, status);
    return key === undefined ? undefined : operation(operationId)[key];
  };
  return {
    api,
    documentedStatuses: (operationId) => Object.keys(operation(operationId)),
    responseKeyFor: keyFor,
    responseMediaTypes: (operationId, status) => responseFor(operationId, status)?.mediaTypes ?? [],
    validateResponse: (operationId, status, body) => responseFor(operationId, status)?.validate?.(body),
    responseHeaders: (operationId, status) => responseFor(operationId, status)?.headers ?? [],
    requestProperty: () => undefined,
  };
}

/** One finding as a table-driven test asserts it. */
export interface ReducedFinding {
  readonly check: string;
  readonly severity: string;
  readonly step: string;
  readonly pointer?: string;
  readonly count?: number;
}

/** An outcome reduced to its status, or to its findings (check id, severity, step, pointer, count). */
export type ReducedOutcome = 'not-applicable' | 'vacuous' | readonly ReducedFinding[];

/** Reduces `outcome` (produced by `check`) for assertions; severities fall back to the check's default. */
export function reduceOutcome(check: Check, outcome: CheckOutcome): ReducedOutcome {
  if (outcome.status !== 'checked') return outcome.status;
  return outcome.findings.map((finding) => ({
    check: check.id,
    severity: finding.severity ?? check.severity,
    step: finding.step,
    ...(finding.pointer === undefined ? {} : { pointer: finding.pointer }),
    ...(finding.count === undefined ? {} : { count: finding.count }),
  }));
}

/** A JSON body of a given status answered with `application/json`, the common case of the fake specs. */
export const json = (validate?: FakeResponse['validate']): FakeResponse => ({
  mediaTypes: ['application/json'],
  ...(validate ? { validate } : {}),
});
