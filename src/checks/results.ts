/**
 * What behaviour checks read from a finished case: the successful answers of its steps and, per api and
 * operation, the result lists inside them (name, items, id, score, creation time). Every behaviour check goes
 * through this module, so the vendors' response shapes are described once (ENDPOINTS.md §1-§4):
 * MemOS `data.*_detail_list`, Mem0 a bare array (v1.0) or `{results}` (v1.1), MemMachine short-term and
 * long-term episodes plus semantic features.
 */
import type { ApiName } from '../apis.js';
import type { Exchange } from '../http/exchange.js';
import { escapePointer, isRecord } from '../json.js';
import type { OperationRef } from '../suite/types.js';
import { checked, notApplicable, vacuous } from './outcome.js';
import type { CaseContext, CheckOutcome, FindingDraft, SpecView, StepResult } from './types.js';

/** The result lists memconform knows, across the three APIs. */
export type ListName =
  | 'memory'
  | 'preference'
  | 'tool'
  | 'skill'
  | 'results'
  | 'short-term'
  | 'long-term'
  | 'semantic';

/** One entry of a result list, with the fields behaviour checks compare. */
export interface ResultItem {
  /** Position in the list as sent (non-object entries keep their slot). */
  readonly index: number;
  /** JSON pointer of the item in the response body. */
  readonly pointer: string;
  /** MemOS/Mem0 `id`, MemMachine episode `uid` or semantic `metadata.id`. */
  readonly id?: string;
  /** Where `id` sits, for findings. */
  readonly idPointer: string;
  /** MemOS `relativity`, Mem0 `score`, MemMachine long-term `score`. */
  readonly score?: number;
  /** Where `score` sits, for findings. */
  readonly scorePointer: string;
  /** Creation time in ms since the epoch (MemOS int ms, Mem0/MemMachine date-time strings). */
  readonly createdAt?: number;
  /** The creation time exactly as sent (ms precision can hide a microsecond order). */
  readonly createdAtRaw?: unknown;
  readonly value: Readonly<Record<string, unknown>>;
}

/** One result list of an answer. */
export interface ResultList {
  readonly name: ListName;
  /** JSON pointer of the array (`''` for Mem0's bare array). */
  readonly pointer: string;
  /** False when the key is absent (or not an array). */
  readonly present: boolean;
  readonly items: readonly ResultItem[];
}

/** A step that got a successful, readable answer. */
export interface Answer {
  readonly result: StepResult;
  /** Step name, for findings. */
  readonly name: string;
  /** operationId of the step. */
  readonly operation: string;
  /** The JSON request body as sent (`{}` when there was none or it was not an object). */
  readonly request: Readonly<Record<string, unknown>>;
  /** The parsed response body. */
  readonly body: unknown;
  readonly lists: readonly ResultList[];
}

/** The steps of a case a behaviour check looks at. */
export interface CaseAnswers {
  /** Steps of the check's operations that were meant to succeed (see `meantToSucceed`). */
  readonly applicable: readonly StepResult[];
  /** Those that succeeded and could be read; failed ones are the protocol checks' business. */
  readonly answers: readonly Answer[];
}

/** The JSON request body of a step as sent, or `{}`. */
export function requestOf(result: StepResult): Readonly<Record<string, unknown>> {
  const body = result.exchange.request.json ?? result.step.body;
  return isRecord(body) ? body : {};
}

/** True when the step's operation is one of `operations` for the case's api. */
export function coversStep(
  context: CaseContext,
  result: StepResult,
  operations: readonly OperationRef[],
): boolean {
  return operations.includes(`${context.target.api}.${result.step.operation}`);
}

/**
 * True when the exchange is a success the api would report as such: a 2xx with a JSON body, MemOS `code: 0`
 * (its errors ride on HTTP 200, ENDPOINTS.md §1 Errors), MemMachine `status` 0 or absent (MM-SVC).
 */
export function isSuccess(api: ApiName, exchange: Exchange): boolean {
  const response = exchange.response;
  if (response === undefined || response.status < 200 || response.status > 299) return false;
  const json = response.json;
  if (json === undefined) return false;
  if (api === 'memos') return isRecord(json) && json.code === 0;
  if (api === 'memmachine') return isRecord(json) && (json.status === undefined || json.status === 0);
  return Array.isArray(json) || isRecord(json);
}

/**
 * True when the step is one of `operations` and was meant to be answered: not marked `invalid`, and sent with
 * a valid credential unless the target has no auth (credential cases are the protocol checks' business).
 */
export function meantToSucceed(
  context: CaseContext,
  result: StepResult,
  operations: readonly OperationRef[],
): boolean {
  return (
    result.step.invalid === undefined &&
    (result.step.auth === 'valid' || !context.target.authRequired) &&
    coversStep(context, result, operations)
  );
}

/** The steps of `operations` in the case and the successful answers among them. */
export function caseAnswers(context: CaseContext, operations: readonly OperationRef[]): CaseAnswers {
  const applicable = context.steps.filter((result) => meantToSucceed(context, result, operations));
  const answers: Answer[] = [];
  for (const result of applicable) {
    if (!isSuccess(context.target.api, result.exchange)) continue;
    const body = result.exchange.response?.json;
    answers.push({
      result,
      name: result.step.name,
      operation: result.step.operation,
      request: requestOf(result),
      body,
      lists: resultLists(context.target.api, body),
    });
  }
  return { applicable, answers };
}

/**
 * The result lists of a successful answer of `api` (absent lists have `present: false`). Both MemOS operations
 * use the same list keys; get/memory items simply carry no `relativity` (M-API).
 */
export function resultLists(api: ApiName, body: unknown): ResultList[] {
  if (api === 'memos') {
    const data = isRecord(body) && isRecord(body.data) ? body.data : {};
    return MEMOS_LISTS.map(({ name, key }) =>
      readList(name, `/data/${key}`, data[key], (value) => ({
        id: value.id,
        idPath: '/id',
        score: value.relativity,
        scoreKey: 'relativity',
        createdAt: value.create_time,
      })),
    );
  }
  if (api === 'mem0') {
    const array = Array.isArray(body) ? body : isRecord(body) ? body.results : undefined;
    const pointer = Array.isArray(body) ? '' : '/results';
    return [
      readList('results', pointer, array, (value) => ({
        id: value.id,
        idPath: '/id',
        score: value.score,
        scoreKey: 'score',
        createdAt: value.created_at,
      })),
    ];
  }
  const content = isRecord(body) && isRecord(body.content) ? body.content : {};
  const episodic = isRecord(content.episodic_memory) ? content.episodic_memory : {};
  const shortTerm = isRecord(episodic.short_term_memory) ? episodic.short_term_memory : {};
  const longTerm = isRecord(episodic.long_term_memory) ? episodic.long_term_memory : {};
  const episode = (value: Record<string, unknown>) => ({
    id: value.uid,
    idPath: '/uid',
    score: value.score,
    scoreKey: 'score',
    createdAt: value.created_at,
  });
  return [
    readList(
      'short-term',
      '/content/episodic_memory/short_term_memory/episodes',
      shortTerm.episodes,
      // Short-term episodes carry no score (MM-EPI); one that does is not ranked or thresholded by it.
      (value) => ({ ...episode(value), score: undefined }),
    ),
    readList('long-term', '/content/episodic_memory/long_term_memory/episodes', longTerm.episodes, episode),
    readList('semantic', '/content/semantic_memory', content.semantic_memory, (value) => ({
      id: isRecord(value.metadata) ? value.metadata.id : undefined,
      idPath: '/metadata/id',
      score: undefined,
      scoreKey: 'score',
      createdAt: undefined,
    })),
  ];
}

const MEMOS_LISTS: readonly { name: ListName; key: string }[] = [
  { name: 'memory', key: 'memory_detail_list' },
  { name: 'preference', key: 'preference_detail_list' },
  { name: 'tool', key: 'tool_memory_detail_list' },
  { name: 'skill', key: 'skill_detail_list' },
];

interface RawFields {
  id: unknown;
  /** Path of the id below the item, e.g. `/uid`. */
  idPath: string;
  score: unknown;
  scoreKey: string;
  createdAt: unknown;
}

function readList(
  name: ListName,
  pointer: string,
  value: unknown,
  fields: (item: Record<string, unknown>) => RawFields,
): ResultList {
  if (!Array.isArray(value)) return { name, pointer, present: false, items: [] };
  const items: ResultItem[] = [];
  value.forEach((entry: unknown, index) => {
    if (!isRecord(entry)) return;
    const raw = fields(entry);
    const itemPointer = `${pointer}/${index}`;
    const createdAt = timeOf(raw.createdAt);
    items.push({
      index,
      pointer: itemPointer,
      idPointer: `${itemPointer}${raw.idPath}`,
      scorePointer: `${itemPointer}/${raw.scoreKey}`,
      value: entry,
      ...(typeof raw.id === 'string' ? { id: raw.id } : {}),
      ...(typeof raw.score === 'number' && Number.isFinite(raw.score) ? { score: raw.score } : {}),
      ...(createdAt === undefined ? {} : { createdAt, createdAtRaw: raw.createdAt }),
    });
  });
  return { name, pointer, present: true, items };
}

/** A time as ms since the epoch: numbers are taken as ms (MemOS, SEED0), strings parsed as date-times. */
export function timeOf(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value !== 'string') return undefined;
  const parsed = Date.parse(value);
  return Number.isNaN(parsed) ? undefined : parsed;
}

/** The list called `name`, or undefined when the api has no such list. */
export function listNamed(answer: Answer, name: ListName): ResultList | undefined {
  return answer.lists.find((list) => list.name === name);
}

/** Item ids of the given lists, in order (items without an id are left out). */
export function idsOf(lists: readonly ResultList[]): string[] {
  return lists.flatMap((list) => list.items.flatMap((item) => (item.id === undefined ? [] : [item.id])));
}

/**
 * The value the request gave `name`, or the spec's default when it sent none or `null` (the official MemOS
 * client sends null for every unset key, M-CLI). Undefined when neither says anything.
 */
export function effectiveValue(
  spec: SpecView,
  operation: string,
  request: Readonly<Record<string, unknown>>,
  name: string,
): unknown {
  const sent = request[name];
  if (sent !== undefined && sent !== null) return sent;
  return spec.requestProperty(operation, name)?.default;
}

/** `effectiveValue` when it is a finite number, else undefined. */
export function effectiveNumber(
  spec: SpecView,
  operation: string,
  request: Readonly<Record<string, unknown>>,
  name: string,
): number | undefined {
  const value = effectiveValue(spec, operation, request, name);
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

/** The spec's `maximum` for a request property, if it documents one. */
export function specMaximum(spec: SpecView, operation: string, name: string): number | undefined {
  const maximum = spec.requestProperty(operation, name)?.maximum;
  return typeof maximum === 'number' ? maximum : undefined;
}

/** JSON text with object keys sorted and `omit` keys dropped at the top level: equal bodies, equal text. */
export function canonicalBody(
  request: Readonly<Record<string, unknown>>,
  omit: readonly string[] = [],
): string {
  const kept = Object.fromEntries(Object.entries(request).filter(([key]) => !omit.includes(key)));
  return JSON.stringify(sortKeys(kept));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (!isRecord(value)) return value;
  return Object.fromEntries(
    Object.keys(value)
      .sort()
      .map((key) => [key, sortKeys(value[key])]),
  );
}

/** Steps grouped by a key (steps whose key is undefined are left out); groups keep step order. */
export function groupSteps<T>(items: readonly T[], key: (item: T) => string | undefined): T[][] {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    if (k === undefined) continue;
    const group = groups.get(k);
    if (group) group.push(item);
    else groups.set(k, [item]);
  }
  return [...groups.values()];
}

/**
 * The usual verdict of a behaviour check: findings win, else `checked` when something was judged, else
 * `vacuous` with the reason.
 */
export function conclude(findings: readonly FindingDraft[], judged: boolean, reason: string): CheckOutcome {
  if (findings.length > 0 || judged) return checked(findings);
  return vacuous(reason);
}

/** Reason used when every applicable step failed (the protocol checks report those). */
export const NO_SUCCESSFUL_ANSWER = 'no step of the case got a successful answer to judge';

/**
 * The frame most behaviour checks share: not applicable when `applies` turns down the case's applicable
 * steps (without `applies`: when there are none), vacuous with NO_SUCCESSFUL_ANSWER when none of them got a
 * successful answer, else whatever `judge` makes of the answers.
 */
export function judgeAnswers(
  context: CaseContext,
  operations: readonly OperationRef[],
  judge: Judge,
): CheckOutcome;
export function judgeAnswers(
  context: CaseContext,
  operations: readonly OperationRef[],
  applies: Applies,
  judge: Judge,
): CheckOutcome;
export function judgeAnswers(
  context: CaseContext,
  operations: readonly OperationRef[],
  ...rest: [Judge] | [Applies, Judge]
): CheckOutcome {
  const [applies, judge] = rest.length === 1 ? [hasSteps, rest[0]] : rest;
  const { applicable, answers } = caseAnswers(context, operations);
  if (!applies(applicable)) return notApplicable();
  if (answers.length === 0) return vacuous(NO_SUCCESSFUL_ANSWER);
  return judge(answers);
}

type Judge = (answers: readonly Answer[]) => CheckOutcome;
type Applies = (applicable: readonly StepResult[]) => boolean;
const hasSteps: Applies = (applicable) => applicable.length > 0;

/**
 * The threshold a step asked for and the lists it cuts, or undefined when the step sets none.
 * MemOS: `relativity` (spec default 0.45, `0` disables) cuts every list (M-API 2026, M-SRCH).
 * MemMachine: `score_threshold` (null/absent = no threshold) cuts long-term episodes only (MM-LTM, MM-MAIN).
 */
export function thresholdOf(
  spec: SpecView,
  api: ApiName,
  answer: Pick<Answer, 'operation' | 'request'>,
): { field: string; value: number; lists: readonly ListName[] } | undefined {
  if (api === 'memos') {
    const value = effectiveNumber(spec, answer.operation, answer.request, 'relativity');
    if (value === undefined || value === 0) return undefined;
    return { field: 'relativity', value, lists: ['memory', 'preference', 'tool', 'skill'] };
  }
  if (api === 'memmachine') {
    const value = answer.request.score_threshold;
    if (typeof value !== 'number' || !Number.isFinite(value)) return undefined;
    return { field: 'score_threshold', value, lists: ['long-term'] };
  }
  return undefined;
}

/** One equality condition `metadata.<key> = <value>` of a MemMachine filter. */
export interface MetadataEquality {
  readonly key: string;
  readonly value: string;
}

/**
 * The `metadata.k = v` / `m.k = v` conjuncts of a MemMachine filter (MM-FLT), or undefined when the filter is
 * not a plain AND chain (OR, NOT, parentheses or an unterminated quote) and so cannot be read soundly.
 * Conjuncts of other forms (`!=`, `IN`, `IS NULL`, non-metadata fields) are skipped: dropping a conjunct of
 * an AND only weakens what is checked, never makes a correct answer look wrong.
 */
export function machineFilterEqualities(filter: unknown): MetadataEquality[] | undefined {
  if (filter === undefined || filter === null || filter === '') return [];
  if (typeof filter !== 'string') return undefined;
  const conjuncts: string[] = [];
  let current = '';
  let quoted = false;
  for (let i = 0; i < filter.length; i++) {
    const char = filter[i] as string;
    if (char === "'") quoted = !quoted;
    if (!quoted) {
      if (char === '(' || char === ')') return undefined;
      const word = /^\s(AND|OR|NOT)\s/i.exec(filter.slice(i));
      if (word) {
        if (word[1]?.toUpperCase() !== 'AND') return undefined;
        conjuncts.push(current);
        current = '';
        i += word[0].length - 1;
        continue;
      }
    }
    current += char;
  }
  if (quoted) return undefined;
  conjuncts.push(current);
  if (conjuncts.some((conjunct) => /^\s*NOT\s/i.test(conjunct))) return undefined;
  return conjuncts.flatMap((conjunct) => {
    const match = /^\s*(?:metadata|m)\.([A-Za-z0-9_]+)\s*=\s*(?:'((?:[^']|'')*)'|([^\s'=<>!]+))\s*$/.exec(
      conjunct,
    );
    if (!match?.[1]) return [];
    return [
      { key: match[1], value: match[2] !== undefined ? match[2].replace(/''/g, "'") : (match[3] ?? '') },
    ];
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
        all(equalities.map((equality) => metadataEquals(item, equality.key, equality.value, String))),
    };
  }
  const tests: ((item: ResultItem) => FilterVerdict)[] = [];
  const categories = request.categories;
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
  const metadata = request.metadata;
  if (isRecord(metadata)) {
    for (const [key, value] of Object.entries(metadata)) {
      if (value !== null && typeof value === 'object') continue;
      tests.push((item) => ('metadata' in item.value ? metadataEquals(item, key, value, (v) => v) : UNKNOWN));
    }
  }
  return tests.length === 0
    ? undefined
    : { lists: ['results'], test: (item) => all(tests.map((t) => t(item))) };
}

function metadataEquals(
  item: ResultItem,
  key: string,
  expected: unknown,
  normalise: (value: unknown) => unknown,
): FilterVerdict {
  const metadata = item.value.metadata;
  const actual = isRecord(metadata) ? metadata[key] : undefined;
  const holds =
    actual !== undefined && actual !== null && typeof actual !== 'object' && normalise(actual) === expected;
  return holds
    ? HOLDS
    : {
        holds,
        path: `/metadata/${escapePointer(key)}`,
        condition: `metadata.${key} = ${String(expected)}`,
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
