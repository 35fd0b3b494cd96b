/**
 * The request filters memconform can evaluate against a result item, per vendor: MemOS time ranges and tags
 * (M-FLT), MemMachine `metadata.k = v` AND chains read by the vendor's parser (MM-FLT), Mem0 categories and metadata equality (Z-OAS).
 * A filter it cannot read soundly is left alone: memconform never guesses what a filter means.
 */
import type { ApiName } from '../apis.js';
import { escapePointer, isRecord } from '../json.js';
import {
  type FilterExpr,
  FilterParseError,
  formatFilterValue,
  metadataKeyOf,
  parseFilter,
} from '../spec/memmachine-filter.js';
import { type ListName, type ResultItem, timeOf } from './results.js';

/** One equality condition `metadata.<key> = <value>` of a MemMachine filter, its value typed as the vendor reads it. */
export interface MetadataEquality {
  readonly key: string;
  readonly value: string | number | boolean;
}

/**
 * The `metadata.k = v` / `m.k = v` conjuncts at the top of a MemMachine filter, read by the vendor's parser
 * (MM-FLT in docs/sources.md): `'u-123'` is text, a bare `123` the number, `true` the boolean. Undefined when
 * the filter does not parse (the request is not a valid one to judge). Conjuncts of other forms (`!=`, `IN`,
 * `IS NULL`, non-metadata fields, anything under OR or NOT) are skipped: dropping a conjunct of an AND only
 * weakens what is checked, never makes a correct answer look wrong.
 */
export function machineFilterEqualities(filter: unknown): MetadataEquality[] | undefined {
  if (filter === undefined || filter === null) return [];
  if (typeof filter !== 'string') return undefined;
  let expr: FilterExpr | undefined;
  try {
    expr = parseFilter(filter);
  } catch (error) {
    if (error instanceof FilterParseError) return undefined;
    throw error;
  }
  const conjuncts = (node: FilterExpr | undefined): FilterExpr[] =>
    node === undefined
      ? []
      : node.type === 'and'
        ? [...conjuncts(node.left), ...conjuncts(node.right)]
        : [node];
  return conjuncts(expr).flatMap((node) => {
    if (node.type !== 'compare' || node.op !== '=' || typeof node.value === 'object') return [];
    const key = metadataKeyOf(node.field);
    return key === undefined ? [] : [{ key, value: node.value }];
  });
}

/** Whether one item satisfies a request filter, as far as memconform can tell (`undefined`: cannot tell). */
export interface FilterVerdict {
  readonly holds: boolean | undefined;
  /** Path below the item of the field that decided, e.g. `/create_time`. */
  readonly path?: string;
  /** The condition that failed, as text. */
  readonly condition?: string;
  readonly actual?: unknown;
}

/** The part of a request's filter memconform can evaluate, and the lists it applies to. */
export interface RequestFilter {
  readonly lists: readonly ListName[];
  test(item: ResultItem): FilterVerdict;
}

const UNKNOWN: FilterVerdict = { holds: undefined };
const HOLDS: FilterVerdict = { holds: true };

/**
 * The evaluable filter of a request, or undefined when it has none memconform can evaluate. Forms: MemOS
 * `create_time`/`update_time` with gte/gt/lte/lt and `tags` contains inside and/or groups (M-FLT); MemMachine
 * `metadata.k = v` AND chains on episodes (MM-FLT); Mem0 `categories` and `metadata` equality (Z-OAS).
 * Anything else is left alone: memconform never guesses what a filter means.
 */
export function requestFilter(
  api: ApiName,
  request: Readonly<Record<string, unknown>>,
): RequestFilter | undefined {
  if (api === 'memos') {
    const test = memosCondition(request.filter);
    return test && { lists: ['memory', 'preference', 'tool', 'skill'], test };
  }
  if (api === 'memmachine') {
    const equalities = machineFilterEqualities(request.filter);
    if (equalities === undefined || equalities.length === 0) return undefined;
    return {
      lists: ['short-term', 'long-term'],
      test: (item) =>
        all(
          equalities.map((equality) => metadataEquals(item, equality.key, equality.value, formatFilterValue)),
        ),
    };
  }
  const tests: ((item: ResultItem) => FilterVerdict)[] = [];
  // v2/v3 put filters in `filters`: its conjuncts that name categories or metadata are read the same way.
  const conjuncts = [request, ...mem0FilterConjuncts(request)];
  for (const conjunct of conjuncts) tests.push(...mem0Tests(conjunct));
  return tests.length === 0
    ? undefined
    : { lists: ['results'], test: (item) => all(tests.map((t) => t(item))) };
}

/**
 * The objects whose keys all hold in a Mem0 v2/v3 `filters`: the filter itself and, recursively, the members
 * of its `AND` lists (Z-OAS `MemorySearchInputV2.filters`; OR and NOT members are not conjuncts).
 */
export function mem0FilterConjuncts(request: Readonly<Record<string, unknown>>): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  const visit = (node: unknown) => {
    if (!isRecord(node)) return;
    out.push(node);
    if (Array.isArray(node.AND)) node.AND.forEach(visit);
  };
  visit(request.filters);
  return out;
}

/** Tests for the `categories` (list, or v2/v3 `{in: [...]}`) and `metadata` equalities of one conjunct. */
function mem0Tests(conjunct: Readonly<Record<string, unknown>>): ((item: ResultItem) => FilterVerdict)[] {
  const tests: ((item: ResultItem) => FilterVerdict)[] = [];
  const raw = conjunct.categories;
  const categories = isRecord(raw) ? raw.in : raw;
  if (Array.isArray(categories) && categories.length > 0 && categories.every((c) => typeof c === 'string')) {
    tests.push((item) => {
      if (!('categories' in item.value)) return UNKNOWN;
      const actual = item.value.categories;
      // Any one requested category is enough: the weakest reading, so a server using "all" also passes.
      const holds = Array.isArray(actual) && actual.some((category) => categories.includes(category));
      return holds
        ? HOLDS
        : {
            holds,
            path: '/categories',
            condition: `categories include one of ${JSON.stringify(categories)}`,
            actual,
          };
    });
  }
  const metadata = conjunct.metadata;
  if (isRecord(metadata)) {
    for (const [key, value] of Object.entries(metadata)) {
      if (value !== null && typeof value === 'object') continue;
      tests.push((item) => ('metadata' in item.value ? metadataEquals(item, key, value, String) : UNKNOWN));
    }
  }
  return tests;
}

/** Typed equality of one metadata value (text matches only text, a number only a number); `show` writes the literal. */
function metadataEquals<T>(
  item: ResultItem,
  key: string,
  expected: T,
  show: (value: T) => string,
): FilterVerdict {
  const metadata = item.value.metadata;
  const actual = isRecord(metadata) ? metadata[key] : undefined;
  const holds = actual !== undefined && actual !== null && typeof actual !== 'object' && actual === expected;
  return holds
    ? HOLDS
    : {
        holds,
        path: `/metadata/${escapePointer(key)}`,
        condition: `metadata.${key} = ${show(expected)}`,
        actual,
      };
}

/** Kleene AND: false wins, then unknown. */
function all(verdicts: readonly FilterVerdict[]): FilterVerdict {
  return verdicts.find((v) => v.holds === false) ?? verdicts.find((v) => v.holds === undefined) ?? HOLDS;
}

/** Kleene OR: true wins, then unknown. */
function any(verdicts: readonly FilterVerdict[]): FilterVerdict {
  if (verdicts.some((v) => v.holds === true)) return HOLDS;
  return verdicts.find((v) => v.holds === undefined) ?? verdicts[0] ?? UNKNOWN;
}

type ItemTest = (item: ResultItem) => FilterVerdict;

/** A MemOS filter node as a test, or undefined when nothing in it can be evaluated. */
function memosCondition(node: unknown): ItemTest | undefined {
  if (!isRecord(node)) return undefined;
  const parts: ItemTest[] = [];
  let unknownPart = false;
  for (const [key, value] of Object.entries(node)) {
    let test: ItemTest | undefined;
    if ((key === 'and' || key === 'or') && Array.isArray(value)) {
      const children = value.map(memosCondition);
      if (key === 'and') {
        const known = children.filter((child): child is ItemTest => child !== undefined);
        if (known.length < children.length) unknownPart = true;
        test = known.length === 0 ? undefined : (item) => all(known.map((child) => child(item)));
      } else if (children.every((child) => child !== undefined) && children.length > 0) {
        test = (item) => any(children.map((child) => (child as ItemTest)(item)));
      }
    } else if ((key === 'create_time' || key === 'update_time') && isRecord(value)) {
      test = timeCondition(key, value);
    } else if (key === 'tags' && isRecord(value) && typeof value.contains === 'string') {
      test = tagsContain(value.contains);
    }
    // Per-source groups (user/agent/public/knowledgebase), info keys, agent_id, app_id, related_id: the
    // items do not say which source or owner they came from, so these cannot be evaluated.
    if (test) parts.push(test);
    else unknownPart = true;
  }
  if (parts.length === 0) return undefined;
  // Keys of one object are ANDed; unknown siblings only make a "true" uncertain, never a "false".
  return (item) => {
    const verdict = all(parts.map((part) => part(item)));
    return unknownPart && verdict.holds === true ? UNKNOWN : verdict;
  };
}

/** Date-only or zone-less times may mean any time zone: UTC+14 to UTC-12, and a date may mean its whole day. */
const EARLIEST_OFFSET_MS = 14 * 3_600_000;
const LATEST_OFFSET_MS = 36 * 3_600_000;

/** The instants a filter time may denote, as [earliest, latest] ms. */
function boundaryRange(value: unknown): [number, number] | undefined {
  if (typeof value === 'number') return value > 1e11 ? [value, value] : undefined;
  if (typeof value !== 'string') return undefined;
  const zoned = /(?:Z|[+-]\d\d:?\d\d)$/i.test(value) && /T|\s\d/.test(value);
  const parsed = Date.parse(
    zoned ? value : /T|\s\d/.test(value) ? `${value.replace(' ', 'T')}Z` : `${value}T00:00:00Z`,
  );
  if (Number.isNaN(parsed)) return undefined;
  return zoned ? [parsed, parsed] : [parsed - EARLIEST_OFFSET_MS, parsed + LATEST_OFFSET_MS];
}

function timeCondition(field: string, operators: Record<string, unknown>): ItemTest | undefined {
  const tests: ItemTest[] = [];
  for (const [operator, bound] of Object.entries(operators)) {
    const range = boundaryRange(bound);
    if (range === undefined || !['gte', 'gt', 'lte', 'lt'].includes(operator)) return undefined;
    const [lo, hi] = range;
    tests.push((item) => {
      const actual = item.value[field];
      const time = timeOf(actual);
      if (time === undefined) return UNKNOWN;
      let holds: boolean | undefined;
      if (operator === 'gte') holds = time >= hi ? true : time < lo ? false : undefined;
      else if (operator === 'gt') holds = time > hi ? true : time <= lo ? false : undefined;
      else if (operator === 'lte') holds = time <= lo ? true : time > hi ? false : undefined;
      else holds = time < lo ? true : time >= hi ? false : undefined;
      return holds === false
        ? { holds, path: `/${field}`, condition: `${field} ${operator} ${String(bound)}`, actual }
        : { holds };
    });
  }
  return tests.length === 0 ? undefined : (item) => all(tests.map((test) => test(item)));
}

function tagsContain(tag: string): ItemTest {
  return (item) => {
    const tags = item.value.tags;
    if (!Array.isArray(tags)) return UNKNOWN;
    if (tags.includes(tag)) return HOLDS;
    // "contains" may be matched loosely (substring, case); only a tag list with no trace of it is a miss.
    const loose = tags.some((t) => typeof t === 'string' && t.toLowerCase().includes(tag.toLowerCase()));
    return loose ? UNKNOWN : { holds: false, path: '/tags', condition: `tags contains ${tag}`, actual: tags };
  };
}
