/**
 * A SpecView for behaviour-check tests that answers `requestProperty` from the real spec files in specs/, so
 * the tests exercise the defaults and maximums the product ships. The response-side methods answer "not
 * documented": behaviour checks never ask them.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { parse } from 'yaml';
import type { ApiName } from '../apis.js';
import type { CaseContext, Check, SpecView } from '../checks/types.js';
import { makeContext, type StepInput } from './context.js';

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const views = new Map<ApiName, SpecView>();

/** Loads specs/<api>.openapi.yaml (once per api) and exposes its request-body properties. */
export function requestSpecView(api: ApiName): SpecView {
  const cached = views.get(api);
  if (cached) return cached;
  const view = loadRequestSpecView(api);
  views.set(api, view);
  return view;
}

function loadRequestSpecView(api: ApiName): SpecView {
  const file = fileURLToPath(new URL(`../../specs/${api}.openapi.yaml`, import.meta.url));
  const document: unknown = parse(readFileSync(file, 'utf8'));
  const resolve = (value: unknown): unknown => {
    if (!isObject(value) || typeof value.$ref !== 'string') return value;
    let target: unknown = document;
    for (const token of value.$ref.replace(/^#\//, '').split('/')) {
      target = isObject(target) ? target[token.replace(/~1/g, '/').replace(/~0/g, '~')] : undefined;
    }
    return resolve(target);
  };
  const requestSchema = (operationId: string): Json | undefined => {
    const paths = isObject(document) && isObject(document.paths) ? document.paths : {};
    for (const item of Object.values(paths)) {
      if (!isObject(item)) continue;
      for (const operation of Object.values(item)) {
        if (!isObject(operation) || operation.operationId !== operationId) continue;
        const body = resolve(operation.requestBody);
        const content = isObject(body) && isObject(body.content) ? body.content : {};
        const media = content['application/json'];
        const schema = isObject(media) ? resolve(media.schema) : undefined;
        return isObject(schema) ? schema : undefined;
      }
    }
    return undefined;
  };
  return {
    api,
    documentedStatuses: () => [],
    responseKeyFor: () => undefined,
    responseMediaTypes: () => [],
    validateResponse: () => undefined,
    responseHeaders: () => [],
    requestProperty(operationId, name) {
      const schema = requestSchema(operationId);
      const properties = schema && isObject(schema.properties) ? schema.properties : {};
      const property = resolve(properties[name]);
      return isObject(property) ? property : undefined;
    },
  };
}

/** A finding as the table-driven tests compare it: the fields the runner reports. */
export interface ReducedFinding {
  checkId: string;
  severity: string;
  step: string;
  pointer?: string;
}

/**
 * The reduced finding a check's test expects: the check's id, its severity and step `request` unless `where`
 * says otherwise.
 */
export function expectedFinding(
  check: Check,
  where: { readonly step?: string; readonly pointer?: string | undefined; readonly severity?: string } = {},
): ReducedFinding {
  return {
    checkId: check.id,
    severity: where.severity ?? check.severity,
    step: where.step ?? 'request',
    ...(where.pointer === undefined ? {} : { pointer: where.pointer }),
  };
}

/** What a check concluded, reduced for `toEqual`: status and, when checked, the reduced findings. */
export type ReducedOutcome =
  | { status: 'not-applicable' }
  | { status: 'vacuous' }
  | { status: 'checked'; findings: ReducedFinding[] };

/** Runs `check` on `context` and reduces its outcome (severity defaults to the check's). */
export function runReduced(check: Check, context: CaseContext): ReducedOutcome {
  const outcome = check.run(context);
  if (outcome.status === 'not-applicable') return { status: 'not-applicable' };
  if (outcome.status === 'vacuous') {
    if (outcome.reason.length === 0) throw new Error(`${check.id}: vacuous outcome without a reason`);
    return { status: 'vacuous' };
  }
  return {
    status: 'checked',
    findings: outcome.findings.map((finding) => {
      if (!/Expected .+ \/ Received /s.test(finding.message)) {
        throw new Error(`${check.id}: message does not read "Expected … / Received …": ${finding.message}`);
      }
      return {
        checkId: check.id,
        severity: finding.severity ?? check.severity,
        step: finding.step,
        ...(finding.pointer === undefined ? {} : { pointer: finding.pointer }),
      };
    }),
  };
}

/** One row of a check's test table: the steps of one case and the outcome they must reduce to. */
export interface CheckCase {
  readonly name: string;
  readonly steps: StepInput[];
  readonly expected: ReducedOutcome;
}

/** One test per row: `check` judges the row's steps as one case of `api`'s `operation`. */
export function itJudgesEach(
  check: Check,
  api: ApiName,
  operation: string,
  cases: readonly CheckCase[],
): void {
  it.each(cases)('$name', ({ steps, expected }) => {
    const context = makeContext({ api, operation, steps, spec: requestSpecView(api) });
    expect(runReduced(check, context)).toEqual(expected);
  });
}

/** A row of a table that spans APIs: the row names the operation its steps call. */
export interface ApiCheckCase extends CheckCase {
  readonly api: ApiName;
  readonly operation: string;
}

/** One test per row: `check` judges the row's steps as one case of the row's own api and operation. */
export function itJudgesRows(check: Check, cases: readonly ApiCheckCase[]): void {
  it.each(cases)('$name', ({ api, operation, steps, expected }) => {
    const context = makeContext({ api, operation, steps, spec: requestSpecView(api) });
    expect(runReduced(check, context)).toEqual(expected);
  });
}

/** A MemOS item (fact, preference or tool memory) with the given id and extra fields. */
export function memosItem(id: string, extra: Json = {}): Json {
  return {
    id,
    create_time: 1_760_000_000_000,
    update_time: 1_760_000_000_000,
    status: 'activated',
    ...extra,
  };
}

/** A successful MemOS answer (`code: 0`) holding the given lists; `undefined` lists are left out. */
export function memosAnswer(
  lists: { memory?: Json[]; preference?: Json[]; tool?: Json[]; skill?: Json[] },
  data: Json = {},
): Json {
  return {
    code: 0,
    message: 'ok',
    data: {
      memory_detail_list: lists.memory ?? [],
      ...(lists.preference === undefined ? {} : { preference_detail_list: lists.preference }),
      ...(lists.tool === undefined ? {} : { tool_memory_detail_list: lists.tool }),
      ...(lists.skill === undefined ? {} : { skill_detail_list: lists.skill }),
      ...data,
    },
  };
}

/** A Mem0 memory with the given id and extra fields. */
export function mem0Item(id: string, extra: Json = {}): Json {
  return {
    id,
    memory: `memory ${id}`,
    user_id: 'alex',
    created_at: '2025-03-02T09:14:22.481203-08:00',
    ...extra,
  };
}

/** A MemMachine episode with the given uid and extra fields. */
export function episode(uid: string, extra: Json = {}): Json {
  return { uid, content: `episode ${uid}`, producer_id: 'u', producer_role: 'user', ...extra };
}

/** A successful MemMachine answer; an `undefined` part leaves its key out (as `types` does). */
export function memmachineAnswer(parts: { shortTerm?: Json[]; longTerm?: Json[]; semantic?: Json[] }): Json {
  const episodic =
    parts.shortTerm === undefined && parts.longTerm === undefined
      ? {}
      : {
          episodic_memory: {
            long_term_memory: { episodes: parts.longTerm ?? [] },
            short_term_memory: { episodes: parts.shortTerm ?? [], episode_summary: [''] },
          },
        };
  return {
    status: 0,
    content: { ...episodic, ...(parts.semantic === undefined ? {} : { semantic_memory: parts.semantic }) },
  };
}

/** A MemMachine semantic feature with the given feature id. */
export function feature(id: string): Json {
  return { category: 'profile', tag: 't', feature_name: 'f', value: 'v', metadata: { id } };
}
