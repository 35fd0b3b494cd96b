import { isDeepStrictEqual } from 'node:util';
import type { Mem0Memory } from '../dataset.js';

/**
 * The `filters` object of Mem0 v2 and v3 search (Z-OAS `MemorySearchInputV2.filters` and the v3 search
 * operation; Z-DOCS `search-memories.mdx`): keys are ANDed; `AND`/`OR` take a list of filters (v3 adds
 * `NOT`); a field takes a value (equality, `"*"` = any non-null value) or an object of operators
 * `in, gte, lte, gt, lt, ne, contains, icontains`. Fields: the entity ids, `created_at`, `updated_at`,
 * `categories`, `keywords` (the memory text), `metadata` (key equality) and any other name, read as a
 * metadata key (the vendor's `additionalProperties`).
 */

/** The entity ids; a search must be positively scoped by at least one of them. */
export const ENTITY_FIELDS = ['user_id', 'agent_id', 'app_id', 'run_id'] as const;
type EntityField = (typeof ENTITY_FIELDS)[number];

const OPERATORS = ['in', 'gte', 'lte', 'gt', 'lt', 'ne', 'contains', 'icontains'] as const;
const WILDCARD = '*';

/** Which logical keys a version accepts: v2 documents AND/OR, v3 also NOT. */
export type FilterVersion = 'v2' | 'v3';

/** Which conditions to skip while matching (for the reference's deliberate faults). */
export interface MatchOptions {
  /** Treat entity conditions as true (`leak-other-users`). */
  readonly ignoreEntities: boolean;
  /** Treat every other condition as true (`ignore-filter`). */
  readonly ignoreOthers: boolean;
}

type Json = Record<string, unknown>;

function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const isEntity = (key: string): key is EntityField => (ENTITY_FIELDS as readonly string[]).includes(key);

function logicalKeys(version: FilterVersion): readonly string[] {
  return version === 'v3' ? ['AND', 'OR', 'NOT'] : ['AND', 'OR'];
}

/** Why a filter cannot be read, or undefined when it is well-formed. */
export function filterProblem(node: unknown, version: FilterVersion, path = 'filters'): string | undefined {
  if (!isRecord(node)) return `${path} must be an object.`;
  for (const [key, value] of Object.entries(node)) {
    if (key === 'AND' || key === 'OR' || key === 'NOT') {
      if (!logicalKeys(version).includes(key)) return `${path}: unsupported logical operator "${key}".`;
      const children = key === 'NOT' && isRecord(value) ? [value] : value;
      if (!Array.isArray(children) || children.length === 0) {
        return `${path}.${key} must be a non-empty list of filters.`;
      }
      for (const [i, child] of children.entries()) {
        const problem = filterProblem(child, version, `${path}.${key}[${i}]`);
        if (problem !== undefined) return problem;
      }
      continue;
    }
    if (key === 'metadata') {
      if (!isRecord(value)) return `${path}.metadata must be an object.`;
      continue;
    }
    if (isRecord(value)) {
      for (const [operator, operand] of Object.entries(value)) {
        if (!(OPERATORS as readonly string[]).includes(operator)) {
          return `${path}.${key}: unsupported operator "${operator}".`;
        }
        if (operator === 'in' && !Array.isArray(operand)) return `${path}.${key}.in must be a list.`;
      }
    } else if (Array.isArray(value)) {
      return `${path}.${key} must be a value or an object of operators.`;
    }
  }
  return undefined;
}

/**
 * True when the filter names at least one entity positively (an id or an `in` list, not `"*"`, `ne` or
 * anything under NOT): keys and AND children are conjuncts, so one scoped conjunct scopes the whole; an OR
 * is scoped only when every branch is (v3: "no positively-scoped entity ID" is a 400).
 */
export function isScoped(node: Json): boolean {
  return Object.entries(node).some(([key, value]) => {
    if (key === 'AND')
      return Array.isArray(value) && value.some((child) => isRecord(child) && isScoped(child));
    if (key === 'OR')
      return (
        Array.isArray(value) && value.length > 0 && value.every((child) => isRecord(child) && isScoped(child))
      );
    if (!isEntity(key)) return false;
    if (typeof value === 'string') return value !== '' && value !== WILDCARD;
    return isRecord(value) && Array.isArray(value.in) && value.in.length > 0;
  });
}

/** True when `memory` satisfies the (well-formed) filter. */
export function matchesFilter(memory: Mem0Memory, node: Json, options: MatchOptions): boolean {
  return Object.entries(node).every(([key, value]) => {
    if (key === 'AND') return (value as Json[]).every((child) => matchesFilter(memory, child, options));
    if (key === 'OR') return (value as Json[]).some((child) => matchesFilter(memory, child, options));
    if (key === 'NOT') {
      const children = isRecord(value) ? [value] : (value as Json[]);
      return !children.every((child) => matchesFilter(memory, child, options));
    }
    if (isEntity(key) ? options.ignoreEntities : options.ignoreOthers) return true;
    if (key === 'metadata') {
      return Object.entries(value as Json).every(([name, expected]) =>
        isDeepStrictEqual(memory.metadata?.[name], expected),
      );
    }
    if (key === 'categories') return matchesCategories(memory.categories, value);
    if (key === 'keywords') return matchesText(memory.memory, value);
    return matchesValue(fieldValue(memory, key), value, key === 'created_at' || key === 'updated_at');
  });
}

function fieldValue(memory: Mem0Memory, key: string): unknown {
  if (isEntity(key) || key === 'created_at' || key === 'updated_at') return memory[key];
  return memory.metadata?.[key];
}

/** A field against a value or an operator object. */
function matchesValue(actual: unknown, condition: unknown, isTime: boolean): boolean {
  if (!isRecord(condition)) {
    if (condition === WILDCARD) return actual !== undefined && actual !== null;
    return isDeepStrictEqual(actual, condition);
  }
  return Object.entries(condition).every(([operator, operand]) => {
    switch (operator) {
      case 'in':
        return (operand as unknown[]).some((candidate) => isDeepStrictEqual(actual, candidate));
      case 'ne':
        return !isDeepStrictEqual(actual, operand);
      case 'contains':
        return typeof actual === 'string' && typeof operand === 'string' && actual.includes(operand);
      case 'icontains':
        return (
          typeof actual === 'string' &&
          typeof operand === 'string' &&
          actual.toLowerCase().includes(operand.toLowerCase())
        );
      default: {
        const order = compare(actual, operand, isTime);
        if (order === undefined) return false;
        if (operator === 'gte') return order >= 0;
        if (operator === 'gt') return order > 0;
        if (operator === 'lte') return order <= 0;
        return order < 0;
      }
    }
  });
}

/** Order of two values: times by instant, numbers by value, strings by code point; else undefined. */
function compare(actual: unknown, operand: unknown, isTime: boolean): number | undefined {
  if (isTime) {
    const a = typeof actual === 'string' ? Date.parse(actual) : Number.NaN;
    const b = typeof operand === 'string' || typeof operand === 'number' ? timeOf(operand) : Number.NaN;
    return Number.isNaN(a) || Number.isNaN(b) ? undefined : Math.sign(a - b);
  }
  if (typeof actual === 'number' && typeof operand === 'number') return Math.sign(actual - operand);
  if (typeof actual === 'string' && typeof operand === 'string')
    return actual < operand ? -1 : actual > operand ? 1 : 0;
  return undefined;
}

/** A filter time: a date-time or date string, or a Unix epoch in seconds. */
function timeOf(value: string | number): number {
  return typeof value === 'number' ? value * 1000 : Date.parse(value);
}

/** `categories`: a name (listed), `in` (any listed), `contains`/`icontains` (any category containing it). */
function matchesCategories(categories: readonly string[], condition: unknown): boolean {
  if (!isRecord(condition)) return typeof condition === 'string' && categories.includes(condition);
  return Object.entries(condition).every(([operator, operand]) => {
    if (operator === 'in') return (operand as unknown[]).some((name) => categories.includes(String(name)));
    if (operator === 'ne') return !categories.includes(String(operand));
    return categories.some((category) => matchesValue(category, { [operator]: operand }, false));
  });
}

/** `keywords`: the memory text contains (`contains`) or case-insensitively contains (`icontains`) a word. */
function matchesText(text: string, condition: unknown): boolean {
  if (!isRecord(condition)) return typeof condition === 'string' && text.includes(condition);
  return matchesValue(text, condition, false);
}
