import type { MemosRecordBase, Scalar } from '../dataset.js';
import type { FaultSwitches } from '../faults.js';

/**
 * The MemOS filter object (M-FLT in docs/sources.md, source M-FLT), compiled to a predicate over stored
 * memories. Filtering narrows the candidate set before ranking; it never changes scores.
 *
 *   root      := { "and": [cond…] } | { "or": [cond…] } | { "user"|"agent"|"public"|"knowledgebase": group, … }
 *   group     := { "and": [cond…] } | { "or": [cond…] }
 *   cond      := group | { field: value, … }             (several fields in one object: all must hold)
 *   field     := agent_id | app_id | related_id | tags | create_time | update_time | <info key by bare name>
 */

/** A compiled filter: true when the memory (owned by user `owner`) passes. */
export type MemosPredicate = (record: MemosRecordBase, owner: string) => boolean;

/** The filter or the reason it is invalid (answered as error 40000). */
export type CompiledFilter =
  | { readonly ok: true; readonly test: MemosPredicate }
  | { readonly ok: false; readonly error: string };

const SOURCES = ['user', 'agent', 'public', 'knowledgebase'] as const;
type Source = (typeof SOURCES)[number];
const RANGE_OPERATORS = ['gte', 'gt', 'lte', 'lt'] as const;

class FilterError extends Error {}

/** Compiles a filter object; `undefined` (absent or null) passes everything. */
export function compileMemosFilter(filter: Record<string, unknown> | undefined): CompiledFilter {
  if (filter === undefined) return { ok: true, test: () => true };
  try {
    return { ok: true, test: compileRoot(filter) };
  } catch (error) {
    if (error instanceof FilterError) return { ok: false, error: error.message };
    throw error;
  }
}

function compileRoot(filter: Record<string, unknown>): MemosPredicate {
  const sourceKeys = Object.keys(filter).filter((key): key is Source =>
    (SOURCES as readonly string[]).includes(key),
  );
  if (sourceKeys.length === 0) return compileCondition(filter, 'filter');
  if (sourceKeys.length !== Object.keys(filter).length) {
    throw new FilterError(
      'filter: source groups (user, agent, public, knowledgebase) cannot be mixed with other keys',
    );
  }
  const groups = new Map<Source, MemosPredicate>();
  for (const source of sourceKeys)
    groups.set(source, compileCondition(asObject(filter[source], `filter.${source}`), `filter.${source}`));
  // The reference holds no public or knowledge-base memories: a memory is an agent's when it carries an
  // agent_id, else the user's. A source the filter does not name gets no extra condition (M-FLT).
  return (record, owner) => {
    const group = groups.get(record.agent_id === undefined ? 'user' : 'agent');
    return group === undefined || group(record, owner);
  };
}

function compileCondition(condition: Record<string, unknown>, where: string): MemosPredicate {
  const parts = Object.entries(condition).map(([key, value]) => compileField(key, value, `${where}.${key}`));
  return (record, owner) => parts.every((part) => part(record, owner));
}

function compileField(key: string, value: unknown, where: string): MemosPredicate {
  switch (key) {
    case 'and':
    case 'or': {
      if (!Array.isArray(value) || value.length === 0)
        throw new FilterError(`${where} must be a non-empty array`);
      const parts = value.map((entry, index) =>
        compileCondition(asObject(entry, `${where}[${index}]`), `${where}[${index}]`),
      );
      return key === 'and'
        ? (record, owner) => parts.every((part) => part(record, owner))
        : (record, owner) => parts.some((part) => part(record, owner));
    }
    case 'tags': {
      const contains = asObject(value, where).contains;
      if (typeof contains !== 'string') throw new FilterError(`${where} must be {"contains": "<tag>"}`);
      return (record) => record.tags.includes(contains);
    }
    case 'related_id': {
      const ids: unknown[] = Array.isArray(value) ? value : [value];
      if (!ids.every((id): id is string => typeof id === 'string'))
        throw new FilterError(`${where} must be a list of ids`);
      // Related to the owning user or to the agent that produced the memory (OR of ids, M-FLT).
      return (record, owner) =>
        ids.includes(owner) || (record.agent_id !== undefined && ids.includes(record.agent_id));
    }
    case 'create_time':
    case 'update_time':
      return compileRange(key, asObject(value, where), where);
    case 'agent_id':
    case 'app_id':
      if (typeof value !== 'string') throw new FilterError(`${where} must be a string`);
      return (record) => record[key] === value;
    default:
      // Any other key is metadata written via `info`, referenced by bare name (M-FLT; M-FLT in docs/sources.md).
      if (!isScalar(value)) throw new FilterError(`${where} must be a string, number or boolean`);
      return (record) => record.info[key] === value;
  }
}

function compileRange(
  field: 'create_time' | 'update_time',
  range: Record<string, unknown>,
  where: string,
): MemosPredicate {
  const bounds: [(typeof RANGE_OPERATORS)[number], number][] = [];
  for (const [operator, raw] of Object.entries(range)) {
    if (!(RANGE_OPERATORS as readonly string[]).includes(operator)) {
      throw new FilterError(`${where}: unknown operator "${operator}" (use gte, gt, lte or lt)`);
    }
    bounds.push([operator as (typeof RANGE_OPERATORS)[number], toMillis(raw, `${where}.${operator}`)]);
  }
  if (bounds.length === 0) throw new FilterError(`${where} needs gte, gt, lte or lt`);
  return (record) =>
    bounds.every(([operator, bound]) => {
      const time = record[field];
      if (operator === 'gte') return time >= bound;
      if (operator === 'gt') return time > bound;
      if (operator === 'lte') return time <= bound;
      return time < bound;
    });
}

/** Dates as documented ("2025-12-01", read as UTC midnight) or date-times; ms epochs are accepted too. */
function toMillis(value: unknown, where: string): number {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string') {
    const millis = Date.parse(value);
    if (!Number.isNaN(millis)) return millis;
  }
  throw new FilterError(`${where} must be a date such as "2025-12-01"`);
}

function asObject(value: unknown, where: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new FilterError(`${where} must be an object`);
  return value as Record<string, unknown>;
}

function isScalar(value: unknown): value is Scalar {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
}

/** Applies a compiled filter; the `ignore-filter` fault is read only here for MemOS. */
export function passes(
  filter: MemosPredicate,
  record: MemosRecordBase,
  owner: string,
  faults: FaultSwitches,
): boolean {
  return faults.on('ignore-filter') || filter(record, owner);
}
