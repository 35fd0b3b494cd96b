/**
 * What behaviour checks read from a finished case: the successful answers of its steps and, per api and
 * operation, the result lists inside them (name, items, id, score, creation time). Every behaviour check goes
 * through this module, so the vendors' response shapes are described once (M-API, Z-OAS, MM-PLAT, MM-SPEC in docs/sources.md):
 * MemOS `data.*_detail_list`, Mem0 a bare array (v1.0) or `{results}` (v1.1), MemMachine short-term and
 * long-term episodes plus semantic features.
 */
import type { ApiName } from '../apis.js';
import type { Exchange } from '../http/exchange.js';
import { isRecord } from '../json.js';
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
 * (its errors ride on HTTP 200, M-ERR, M-ISS1317 in docs/sources.md), MemMachine `status` 0 or absent (MM-SVC).
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

/** `effectiveNumber` when it is a positive integer, as a limit must be, else undefined. */
export function effectiveLimit(
  spec: SpecView,
  operation: string,
  request: Readonly<Record<string, unknown>>,
  name: string,
): number | undefined {
  const value = effectiveNumber(spec, operation, request, name);
  return value !== undefined && Number.isInteger(value) && value > 0 ? value : undefined;
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

/**
 * `conclude` for checks that judge each answer on its own: `judge` gives undefined when the answer proves
 * nothing (it is not counted as judged), else its findings (none when the rule held).
 */
export function concludeEach(
  answers: readonly Answer[],
  judge: (answer: Answer) => readonly FindingDraft[] | undefined,
  reason: string,
): CheckOutcome {
  const findings: FindingDraft[] = [];
  let judged = false;
  for (const answer of answers) {
    const verdict = judge(answer);
    if (verdict === undefined) continue;
    judged = true;
    findings.push(...verdict);
  }
  return conclude(findings, judged, reason);
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
 * Mem0: `threshold` of v2/v3 (spec defaults 0.3 / 0.1, `0` disables) cuts the results (Z-OAS).
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
  // Mem0 v2 (default 0.3) and v3 (default 0.1, `0` disables); v1 documents no threshold (Z-OAS).
  const value = effectiveNumber(spec, answer.operation, answer.request, 'threshold');
  if (value === undefined || value === 0) return undefined;
  return { field: 'threshold', value, lists: ['results'] };
}
