import { createHash } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import { BodyReader } from '../body-reader.js';
import type { Mem0Memory } from '../dataset.js';
import type { FaultSwitches } from '../faults.js';
import type { Reply } from '../http/types.js';
import { applyThreshold, finalOrder, topByScore } from '../ranking.js';
import { MISSING_ENTITY_MESSAGE, mem0NotFound, mem0ValidationReply } from './errors.js';
import { ENTITY_FIELDS, filterProblem, isScoped, matchesFilter } from './filters.js';
import type { Mem0Store } from './store.js';

/** v1 scopes by the top-level entity ids: at least one is required and all given must match (Z-OAS). */
type EntityField = (typeof ENTITY_FIELDS)[number];

const OUTPUT_FORMATS = ['v1.0', 'v1.1'];

/**
 * The three search endpoints: v1 takes the entity ids at the top level and answers by `output_format`; v2
 * (deprecated) and v3 take them inside `filters`, v2 answers a bare array and v3 `{results}` (Z-OAS).
 */
export type Mem0SearchVersion = 'v1' | 'v2' | 'v3';

/** Documented `threshold` defaults: v2 0.3, v3 0.1 (`0` disables); v1 has no threshold (Z-OAS). */
const DEFAULT_THRESHOLD: Readonly<Record<Mem0SearchVersion, number | undefined>> = {
  v1: undefined,
  v2: 0.3,
  v3: 0.1,
};

interface Mem0SearchInput {
  readonly version: Mem0SearchVersion;
  readonly query: string;
  /** v1: the top-level entity ids. */
  readonly entities: Partial<Record<EntityField, string>>;
  /** v2/v3: the filter, entity ids inside. */
  readonly filters: Record<string, unknown> | undefined;
  readonly orgId: string | undefined;
  readonly projectId: string | undefined;
  readonly metadata: Record<string, unknown> | undefined;
  readonly categories: readonly string[] | undefined;
  readonly topK: number;
  readonly threshold: number | undefined;
  readonly showExpired: boolean;
  readonly fields: readonly string[] | undefined;
  readonly outputFormat: string;
}

/** POST /v1, /v2 and /v3 /memories/search/ over one Mem0 account (Z-OAS, Z-TS in docs/sources.md). */
export class Mem0Search {
  constructor(private readonly store: Mem0Store) {}

  /** Answers one search request of the given endpoint version. */
  handle(body: unknown, faults: FaultSwitches, version: Mem0SearchVersion = 'v1'): Reply {
    const parsed = version === 'v1' ? parseV1(body, faults) : parseFiltered(body, faults, version);
    if ('status' in parsed) return parsed;
    const input = parsed;
    if (faults.on('unknown-user-error') && this.unknownUser(input)) return mem0NotFound();

    const relevance = this.store.scorer(input.query);
    const today = new Date().toISOString().slice(0, 10);
    const candidates = this.store
      .searchable()
      .filter((memory) => this.inScope(memory, input, faults))
      .filter((memory) => faults.on('ignore-filter') || matchesFilters(memory, input))
      .filter(
        (memory) => input.showExpired || memory.expiration_date === null || memory.expiration_date >= today,
      )
      .map((memory) => ({ item: memory, id: memory.id, score: relevance(memory.id) }))
      // Live results always carry a score > 0 (Z-TSIT); a memory sharing no word with the query is no hit.
      .filter((entry) => entry.score > 0);
    const kept = applyThreshold(candidates, input.threshold || undefined, faults);
    const ranked = finalOrder(topByScore(kept, input.topK, faults), faults);
    const results = ranked.map(({ item, score }) =>
      restrict(present(item, score, faults, version), input.fields),
    );

    if (version === 'v2') return { status: 200, body: results };
    if (version === 'v3') return { status: 200, body: { results } };
    // output_format absent, null or "v1.0": a bare array; "v1.1": {results, relations} (Z-OAS oneOf).
    const body_ = input.outputFormat === 'v1.1' ? { results, relations: [] } : results;
    return { status: 200, body: body_ };
  }

  /** True when the request names a user that holds no memory (for the `unknown-user-error` fault). */
  private unknownUser(input: Mem0SearchInput): boolean {
    const users = [input.entities.user_id, ...filterUsers(input.filters)].filter((u) => u !== undefined);
    return users.some((user) => !this.store.memories.some((m) => m.user_id === user));
  }

  /**
   * Tenant and entity isolation: the account's own org/project (when the request names one) and every
   * given entity id (v1: AND of the top-level ids, Z-OAS in docs/sources.md; v2/v3: the filter).
   * `leak-other-users` drops the entity conditions.
   */
  private inScope(memory: Mem0Memory, input: Mem0SearchInput, faults: FaultSwitches): boolean {
    if (input.orgId !== undefined && input.orgId !== this.store.dataset.org_id) return false;
    if (input.projectId !== undefined && input.projectId !== this.store.dataset.project_id) return false;
    const leak = faults.on('leak-other-users');
    if (input.filters !== undefined) {
      return matchesFilter(memory, input.filters, {
        ignoreEntities: leak,
        ignoreOthers: faults.on('ignore-filter'),
      });
    }
    if (leak) return true;
    return ENTITY_FIELDS.every((field) => {
      const wanted = input.entities[field];
      return wanted === undefined || memory[field] === wanted;
    });
  }
}

/** The user ids a filter names by equality at its top level or in its AND conjuncts. */
function filterUsers(filters: Record<string, unknown> | undefined): string[] {
  if (filters === undefined) return [];
  const own = typeof filters.user_id === 'string' && filters.user_id !== '*' ? [filters.user_id] : [];
  const and = Array.isArray(filters.AND) ? filters.AND : [];
  return [
    ...own,
    ...and.flatMap((child) =>
      typeof child === 'object' && child !== null ? filterUsers(child as Record<string, unknown>) : [],
    ),
  ];
}

/** metadata: every given key equal; categories: at least one shared (Z-OAS field descriptions). */
function matchesFilters(memory: Mem0Memory, input: Mem0SearchInput): boolean {
  if (input.metadata !== undefined) {
    for (const [key, value] of Object.entries(input.metadata)) {
      if (!isDeepStrictEqual(memory.metadata?.[key], value)) return false;
    }
  }
  if (input.categories !== undefined && input.categories.length > 0) {
    if (!input.categories.some((category) => memory.categories.includes(category))) return false;
  }
  return true;
}

function parseV1(body: unknown, faults: FaultSwitches): Mem0SearchInput | Reply {
  const reader = new BodyReader(body, faults);
  // DRF CharField trims and rejects blank text; the spec says minLength 1 (Z-OAS).
  const query = reader.string('query', { required: true, allowBlank: false });
  const entities: Partial<Record<EntityField, string>> = {};
  for (const field of ENTITY_FIELDS) {
    const value = reader.string(field);
    if (value !== undefined && value !== '') entities[field] = value;
  }
  const orgId = reader.string('org_id');
  const projectId = reader.string('project_id');
  const metadata = reader.object('metadata');
  const topK = reader.integer('top_k');
  const fields = reader.stringArray('fields');
  const categories = reader.stringArray('categories');
  let outputFormat = reader.string('output_format');
  if (outputFormat !== undefined && !OUTPUT_FORMATS.includes(outputFormat)) {
    reader.report({
      field: 'output_format',
      kind: 'invalid',
      detail: `"${outputFormat}" is not a valid choice.`,
    });
    outputFormat = undefined;
  }
  // Accepted and validated, but they change nothing in the reference's lexical ranking.
  for (const flag of ['rerank', 'keyword_search', 'filter_memories', 'only_metadata_based_search'])
    reader.boolean(flag);
  reader.string('org_name');
  reader.string('project_name');

  const problems = reader.finish();
  if (problems.length > 0) return mem0ValidationReply(problems);
  if (Object.keys(entities).length === 0 && !faults.on('accept-invalid-input')) {
    return { status: 400, body: { message: MISSING_ENTITY_MESSAGE } };
  }
  return {
    version: 'v1',
    query: query ?? '',
    entities,
    filters: undefined,
    orgId,
    projectId,
    metadata,
    categories,
    topK: topK ?? 10,
    threshold: undefined,
    showExpired: true,
    fields,
    outputFormat: faults.on('ignore-type-switches') ? 'v1.0' : (outputFormat ?? 'v1.0'),
  };
}

/**
 * v2 (Z-OAS `MemorySearchInputV2`) and v3 (Z-OAS v3 search; Z-DOCS search-memories.mdx): `query` and
 * `filters` required, the filter must scope to an entity; v3 bounds `top_k` 1..1000 and `threshold` 0..1,
 * rejects top-level entity ids and adds `show_expired`, `categories` and `metadata`.
 */
function parseFiltered(body: unknown, faults: FaultSwitches, version: 'v2' | 'v3'): Mem0SearchInput | Reply {
  const reader = new BodyReader(body, faults);
  const query = reader.string('query', { required: true, allowBlank: false });
  const filters = reader.object('filters', { required: true });
  const v3 = version === 'v3';
  const topK = reader.integer('top_k', v3 ? { min: 1, max: 1000 } : {});
  const threshold = reader.number('threshold', v3 ? { min: 0, max: 1 } : {});
  const fields = reader.stringArray('fields');
  for (const flag of ['rerank', ...(v3 ? ['show_expired'] : ['keyword_search', 'filter_memories'])])
    reader.boolean(flag);
  const showExpired = v3 ? reader.raw('show_expired') === true : true;
  let categories: string[] | undefined;
  let metadata: Record<string, unknown> | undefined;
  let orgId: string | undefined;
  let projectId: string | undefined;
  if (v3) {
    categories = reader.stringArray('categories');
    metadata = reader.object('metadata');
    const referenceDate = reader.raw('reference_date');
    if (!['undefined', 'string', 'number'].includes(typeof referenceDate) && referenceDate !== null) {
      reader.report({
        field: 'reference_date',
        kind: 'type',
        expected: 'string',
        received: typeof referenceDate,
      });
    }
    // "Top-level user_id / agent_id / run_id are rejected with 400" (Z-OAS v3; Z-DOCS adds app_id).
    for (const field of ENTITY_FIELDS) {
      if (reader.raw(field) !== undefined) {
        reader.report({ field, kind: 'invalid', detail: 'Entity IDs must be passed inside filters.' });
      }
    }
  } else {
    reader.string('version');
    orgId = reader.string('org_id');
    projectId = reader.string('project_id');
  }
  if (filters !== undefined) {
    const problem = filterProblem(filters, version);
    if (problem !== undefined) reader.report({ field: 'filters', kind: 'invalid', detail: problem });
  }

  const problems = reader.finish();
  if (problems.length > 0) return mem0ValidationReply(problems);
  if (filters === undefined || filterProblem(filters, version) !== undefined || !isScoped(filters)) {
    if (!faults.on('accept-invalid-input')) return { status: 400, body: { message: MISSING_ENTITY_MESSAGE } };
  }
  return {
    version,
    query: query ?? '',
    entities: {},
    filters: filters !== undefined && filterProblem(filters, version) === undefined ? filters : {},
    orgId,
    projectId,
    metadata,
    categories,
    topK: topK ?? 10,
    threshold: threshold ?? DEFAULT_THRESHOLD[version],
    showExpired,
    fields,
    outputFormat: 'v1.0',
  };
}

/** A memory as live search results show it (Z-OAS item, Z-LC: hash, score, extra entity keys). */
function present(
  memory: Mem0Memory,
  score: number,
  faults: FaultSwitches,
  version: Mem0SearchVersion,
): Record<string, unknown> {
  // v2 names the run `session_id` (Z-OAS v2 item: "this endpoint returns this field as session_id").
  const runKey = version === 'v2' ? 'session_id' : 'run_id';
  return {
    id: memory.id,
    memory: memory.memory,
    // Memories scoped only to an agent, app or run have no user (v3 spec marks user_id nullable).
    user_id: memory.user_id ?? null,
    ...(memory.agent_id === undefined ? {} : { agent_id: memory.agent_id }),
    ...(memory.app_id === undefined ? {} : { app_id: memory.app_id }),
    ...(memory.run_id === undefined ? {} : { [runKey]: memory.run_id }),
    hash: createHash('md5').update(memory.memory).digest('hex'),
    metadata: memory.metadata,
    categories: memory.categories,
    created_at: memory.created_at,
    updated_at: memory.updated_at,
    expiration_date: memory.expiration_date,
    immutable: memory.immutable,
    score: faults.on('wrong-field-type') ? String(score) : score,
  };
}

/** `fields` keeps only the named keys (required keys may then be missing, Z-OAS in docs/sources.md). */
function restrict(
  item: Record<string, unknown>,
  fields: readonly string[] | undefined,
): Record<string, unknown> {
  if (fields === undefined || fields.length === 0) return item;
  return Object.fromEntries(Object.entries(item).filter(([key]) => fields.includes(key)));
}
