import type { ErrorObject, ValidateFunction } from 'ajv';
import type { SchemaViolation } from '../checks/types.js';
import { escapePointer, isRecord } from '../json.js';
import { WARN_KEYWORD } from './ajv.js';

/** Finds the validator of one `oneOf`/`anyOf` branch (a schema object inside the spec document). */
export type BranchValidator = (branch: unknown) => ValidateFunction | undefined;

/** Identity of an ajv error independent of where its schema was compiled. */
export function errorKey(error: ErrorObject): string {
  return `${error.instancePath}\u0000${error.keyword}\u0000${JSON.stringify(error.params)}`;
}

/**
 * With allErrors, a failed `oneOf`/`anyOf` reports the errors of every branch, most of them noise ("must be
 * null" from the error-envelope branch of a success body). Each failed composite is replaced by the errors
 * of the branch that came closest: the branch is re-validated on its own, and the best one is the one that
 * did not fail at its root on `type`/`const`/`enum`, then the one with the fewest errors.
 */
export function reduceCompositeErrors(
  errors: readonly ErrorObject[],
  branchValidator: BranchValidator,
): ErrorObject[] {
  let current = [...errors];
  const done = new Set<ErrorObject>();
  for (;;) {
    const composite = current
      .filter((e) => !done.has(e) && isFailedComposite(e))
      .sort((a, b) => a.instancePath.length - b.instancePath.length)[0];
    if (!composite) return current;
    done.add(composite);
    const branches = Array.isArray(composite.schema) ? (composite.schema as unknown[]) : [];
    const results: ErrorObject[][] = [];
    // Raw keys of every branch error: these are the noise to remove from the outer list.
    const noise = new Set<string>();
    let resolvable = branches.length > 0;
    for (const branch of branches) {
      const validate = branchValidator(branch);
      if (!validate) {
        resolvable = false;
        break;
      }
      validate(composite.data);
      const prefixed = (validate.errors ?? []).map((e) => ({
        ...e,
        instancePath: composite.instancePath + e.instancePath,
      }));
      for (const e of prefixed) noise.add(errorKey(e));
      results.push(reduceCompositeErrors(prefixed, branchValidator));
    }
    if (!resolvable || results.length === 0) continue;
    let best = results[0] ?? [];
    let bestScore = branchScore(best, composite.instancePath);
    for (const candidate of results.slice(1)) {
      const score = branchScore(candidate, composite.instancePath);
      if (score < bestScore) {
        best = candidate;
        bestScore = score;
      }
    }
    if (best.length === 0) continue; // Matches more than one branch: keep the oneOf error itself.
    const kept = current.filter((e) => e !== composite && !noise.has(errorKey(e)));
    const keptKeys = new Set(kept.map(errorKey));
    current = [...kept, ...best.filter((e) => !keptKeys.has(errorKey(e)))];
  }
}

function isFailedComposite(error: ErrorObject): boolean {
  if (error.keyword === 'anyOf') return true;
  return error.keyword === 'oneOf' && (error.params as { passingSchemas?: unknown }).passingSchemas == null;
}

function branchScore(errors: readonly ErrorObject[], root: string): number {
  const shallow = errors.some(
    (e) => e.instancePath === root && ['type', 'const', 'enum', 'not'].includes(e.keyword),
  );
  // Broken rules, not errors, are what make a branch far: one field broken in 1,000 items is one rule, so a
  // long list of items with one flaw still reads as the success envelope rather than as an error envelope.
  const rules = (list: readonly ErrorObject[]): number => new Set(list.map(ruleKey)).size;
  const strong = rules(errors.filter((e) => !isWarnError(e)));
  return (shallow ? 1_000_000 : 0) + strong * 1_000 + rules(errors);
}

/** A broken rule at an array-index-free location: errors with the same key are the same problem, repeated. */
function ruleKey(error: ErrorObject): string {
  return [
    pointerPattern(error.instancePath),
    error.keyword,
    error.schemaPath,
    JSON.stringify(error.params),
  ].join('\u0000');
}

/** True when the error comes from inside an `x-memconform-warn` schema. */
export function isWarnError(error: ErrorObject): boolean {
  return error.keyword === WARN_KEYWORD || error.schemaPath.includes(`/${WARN_KEYWORD}`);
}

/** The most distinct broken rules described for one body; a hostile body cannot make describing unbounded. */
export const MAX_DESCRIBED_RULES = 200;
/** Errors described per broken rule; further ones only add to the count of the last one described. */
export const MAX_DESCRIBED_PER_RULE = 10;

/**
 * Turns reduced ajv errors into violations with readable "Expected … / Received …" messages. Errors are first
 * grouped by broken rule (keyword, schema location and parameters) at an array-index-free location, so the
 * same broken field in 1,000 items is one group; only the first MAX_DESCRIBED_PER_RULE errors of a group, in at
 * most MAX_DESCRIBED_RULES groups, are described, and the last one described carries the rest as its count.
 * Describing every error of a body full of them was most of the cost of validating it.
 */
export function toViolations(
  errors: readonly ErrorObject[],
  severity: 'error' | 'warning',
): SchemaViolation[] {
  const hasInner = new Set(errors.filter((e) => e.keyword !== WARN_KEYWORD).map((e) => e.instancePath));
  const groups = new Map<string, { described: ErrorObject[]; more: number }>();
  const shown: { error: ErrorObject; group: { described: ErrorObject[]; more: number } }[] = [];
  for (const error of errors) {
    // The macro wrapper repeats what its inner errors already say; keep it only when it stands alone.
    if (error.keyword === WARN_KEYWORD && hasInner.has(error.instancePath)) continue;
    const key = ruleKey(error);
    let group = groups.get(key);
    if (group === undefined) {
      if (groups.size >= MAX_DESCRIBED_RULES) continue;
      group = { described: [], more: 0 };
      groups.set(key, group);
    }
    if (group.described.length < MAX_DESCRIBED_PER_RULE) {
      group.described.push(error);
      shown.push({ error, group });
    } else group.more += 1;
  }
  return shown.map(({ error, group }) => ({
    ...describe(error, severity),
    ...(group.more > 0 && group.described.at(-1) === error ? { count: group.more + 1 } : {}),
  }));
}

function describe(error: ErrorObject, severity: 'error' | 'warning'): SchemaViolation {
  const p = error.params as Record<string, unknown>;
  const data: unknown = error.data;
  const base = { keyword: error.keyword, severity };
  const at = error.instancePath;
  switch (error.keyword) {
    case 'type':
      return {
        ...base,
        pointer: at,
        message:
          `Expected ${String(p.type).replace(/,/g, ' or ')} / Received ${typeName(data)} ${preview(data)}`.trim(),
        expected: p.type,
        ...actual(data),
      };
    case 'required': {
      const name = String(p.missingProperty);
      return {
        ...base,
        pointer: `${at}/${escapePointer(name)}`,
        message: `Expected required property "${name}" / Received an object without it`,
        expected: name,
      };
    }
    case 'dependentRequired':
      return {
        ...base,
        pointer: `${at}/${escapePointer(String(p.missingProperty))}`,
        message: `Expected property "${String(p.missingProperty)}" when "${String(p.property)}" is present / Received an object without it`,
        expected: p.missingProperty,
      };
    case 'additionalProperties':
    case 'unevaluatedProperties': {
      const name = String(p.additionalProperty ?? p.unevaluatedProperty);
      const value = isRecord(data) ? data[name] : undefined;
      return {
        ...base,
        pointer: `${at}/${escapePointer(name)}`,
        message:
          `Expected no property "${name}" (not allowed here) / Received ${typeName(value)} ${preview(value)}`.trim(),
        ...actual(value),
      };
    }
    case 'enum':
      return {
        ...base,
        pointer: at,
        message: `Expected one of ${listPreview(p.allowedValues)} / Received ${preview(data)}`,
        expected: p.allowedValues,
        ...actual(data),
      };
    case 'const':
      return {
        ...base,
        pointer: at,
        message: `Expected ${preview(p.allowedValue)} / Received ${preview(data)}`,
        expected: p.allowedValue,
        ...actual(data),
      };
    case 'format':
      return {
        ...base,
        pointer: at,
        message: `Expected a string in format "${String(p.format)}" / Received ${preview(data)}`,
        expected: p.format,
        ...actual(data),
      };
    case 'pattern':
      return {
        ...base,
        pointer: at,
        message: `Expected a string matching /${String(p.pattern)}/ / Received ${preview(data)}`,
        expected: p.pattern,
        ...actual(data),
      };
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
      return {
        ...base,
        pointer: at,
        message: `Expected a number ${String(p.comparison)} ${String(p.limit)} / Received ${preview(data)}`,
        expected: `${String(p.comparison)} ${String(p.limit)}`,
        ...actual(data),
      };
    case 'multipleOf':
      return {
        ...base,
        pointer: at,
        message: `Expected a multiple of ${String(p.multipleOf)} / Received ${preview(data)}`,
        expected: p.multipleOf,
        ...actual(data),
      };
    case 'minLength':
    case 'maxLength': {
      const length = typeof data === 'string' ? [...data].length : undefined;
      return {
        ...base,
        pointer: at,
        message: `Expected a string of ${error.keyword === 'minLength' ? 'at least' : 'at most'} ${String(p.limit)} characters / Received ${String(length)} characters`,
        expected: p.limit,
        actual: length,
      };
    }
    case 'minItems':
    case 'maxItems': {
      const count = Array.isArray(data) ? data.length : undefined;
      return {
        ...base,
        pointer: at,
        message: `Expected ${error.keyword === 'minItems' ? 'at least' : 'at most'} ${String(p.limit)} items / Received ${String(count)} items`,
        expected: p.limit,
        actual: count,
      };
    }
    case 'minProperties':
    case 'maxProperties': {
      const count = isRecord(data) ? Object.keys(data).length : undefined;
      return {
        ...base,
        pointer: at,
        message: `Expected ${error.keyword === 'minProperties' ? 'at least' : 'at most'} ${String(p.limit)} properties / Received ${String(count)} properties`,
        expected: p.limit,
        actual: count,
      };
    }
    case 'uniqueItems':
      return {
        ...base,
        pointer: at,
        message: `Expected unique items / Received duplicates at items ${String(p.j)} and ${String(p.i)}`,
      };
    case 'oneOf':
      return {
        ...base,
        pointer: at,
        message: Array.isArray(p.passingSchemas)
          ? `Expected exactly one of the oneOf alternatives to match / Received a value matching ${p.passingSchemas.length} of them`
          : `Expected a value matching one of the oneOf alternatives / Received ${typeName(data)} ${preview(data)}`.trim(),
        ...actual(data),
      };
    case 'anyOf':
      return {
        ...base,
        pointer: at,
        message:
          `Expected a value matching at least one anyOf alternative / Received ${typeName(data)} ${preview(data)}`.trim(),
        ...actual(data),
      };
    case 'not':
      return {
        ...base,
        pointer: at,
        message: `Expected a value the "not" schema rejects / Received ${preview(data)}`,
        ...actual(data),
      };
    case WARN_KEYWORD:
      return {
        ...base,
        pointer: at,
        message: `Expected a value matching ${preview(error.schema)} / Received ${preview(data)}`,
        expected: error.schema,
        ...actual(data),
      };
    default:
      return {
        ...base,
        pointer: at,
        message: `Expected the value to satisfy "${error.keyword}" (${error.message ?? 'failed'}) / Received ${preview(data)}`,
        ...actual(data),
      };
  }
}

/** A violation with how many array items showed it. */
export interface CollapsedViolation {
  readonly violation: SchemaViolation;
  readonly count: number;
}

/**
 * Collapses repeats over array items: the same keyword and severity at `/data/list/0/x` and `/data/list/3/x`
 * become one violation (the first one seen) with a count.
 */
export function collapseViolations(violations: readonly SchemaViolation[]): CollapsedViolation[] {
  const groups = new Map<string, { violation: SchemaViolation; count: number }>();
  for (const violation of violations) {
    const key = `${pointerPattern(violation.pointer)}\u0000${violation.keyword}\u0000${violation.severity}`;
    const group = groups.get(key);
    if (group) group.count += violation.count ?? 1;
    else groups.set(key, { violation, count: violation.count ?? 1 });
  }
  return [...groups.values()];
}

/** The pointer with array indices replaced by `*` (`/data/list/3/x` -> `/data/list/* /x` without the space). */
export function pointerPattern(pointer: string): string {
  return pointer.replace(/\/\d+(?=\/|$)/g, '/*');
}

const MAX_PREVIEW = 80;
const MAX_ACTUAL_STRING = 200;

function actual(value: unknown): { actual?: unknown } {
  // Containers can be megabytes of target data: the report keeps scalars only.
  if (value === null || typeof value === 'number' || typeof value === 'boolean') return { actual: value };
  if (typeof value === 'string') {
    return { actual: value.length > MAX_ACTUAL_STRING ? `${value.slice(0, MAX_ACTUAL_STRING)}…` : value };
  }
  return {};
}

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  if (value === undefined) return 'nothing';
  return typeof value;
}

function preview(value: unknown): string {
  if (value === undefined) return '';
  if (Array.isArray(value)) return `(${value.length} items)`;
  if (isRecord(value)) {
    const text = JSON.stringify(value);
    return text.length > MAX_PREVIEW ? `${text.slice(0, MAX_PREVIEW)}…` : text;
  }
  const text = JSON.stringify(value) ?? String(value);
  return text.length > MAX_PREVIEW ? `${text.slice(0, MAX_PREVIEW)}…` : text;
}

function listPreview(values: unknown): string {
  if (!Array.isArray(values)) return preview(values);
  const shown = values.slice(0, 12).map((v) => JSON.stringify(v));
  return values.length > 12 ? `${shown.join(', ')}, … (${values.length} values)` : shown.join(', ');
}
