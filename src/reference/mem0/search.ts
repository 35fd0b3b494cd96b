import { createHash } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import { BodyReader } from '../body-reader.js';
import type { Mem0Dataset, Mem0Memory } from '../dataset.js';
import type { FaultSwitches } from '../faults.js';
import type { Reply } from '../http/types.js';
import { finalOrder, topByScore } from '../ranking.js';
import { RelevanceIndex } from '../scoring.js';
import { MISSING_ENTITY_MESSAGE, mem0NotFound, mem0ValidationReply } from './errors.js';

/** The entity ids a search may scope by; at least one is required and all given must match (Z-OAS). */
const ENTITY_FIELDS = ['user_id', 'agent_id', 'app_id', 'run_id'] as const;
type EntityField = (typeof ENTITY_FIELDS)[number];

const OUTPUT_FORMATS = ['v1.0', 'v1.1'];

interface Mem0SearchInput {
  readonly query: string;
  readonly entities: Partial<Record<EntityField, string>>;
  readonly orgId: string | undefined;
  readonly projectId: string | undefined;
  readonly metadata: Record<string, unknown> | undefined;
  readonly categories: readonly string[] | undefined;
  readonly topK: number;
  readonly fields: readonly string[] | undefined;
  readonly outputFormat: string;
}

/** POST /v1/memories/search/ over one Mem0 account (ENDPOINTS.md §3). */
export class Mem0Search {
  private readonly index: RelevanceIndex;

  constructor(private readonly dataset: Mem0Dataset) {
    this.index = new RelevanceIndex(
      dataset.memories.map((memory) => ({ id: memory.id, text: memory.memory })),
    );
  }

  /** Answers one search request. */
  handle(body: unknown, faults: FaultSwitches): Reply {
    const parsed = parse(body, faults);
    if ('status' in parsed) return parsed;
    const input = parsed;
    const userId = input.entities.user_id;
    if (
      faults.on('unknown-user-error') &&
      userId !== undefined &&
      !this.dataset.memories.some((m) => m.user_id === userId)
    ) {
      return mem0NotFound();
    }

    const relevance = this.index.scorer(input.query);
    const candidates = this.dataset.memories
      .filter((memory) => this.inScope(memory, input, faults))
      .filter((memory) => faults.on('ignore-filter') || matchesFilters(memory, input))
      .map((memory) => ({ item: memory, id: memory.id, score: relevance(memory.id) }))
      // Live results always carry a score > 0 (Z-TSIT); a memory sharing no word with the query is no hit.
      .filter((entry) => entry.score > 0);
    const ranked = finalOrder(topByScore(candidates, input.topK, faults), faults);
    const results = ranked.map(({ item, score }) => restrict(present(item, score, faults), input.fields));

    // output_format absent, null or "v1.0": a bare array; "v1.1": {results, relations} (Z-OAS oneOf).
    const body_ = input.outputFormat === 'v1.1' ? { results, relations: [] } : results;
    return { status: 200, body: body_ };
  }

  /**
   * Tenant and entity isolation: the account's own org/project (when the request names one) and every
   * given entity id (AND, ENDPOINTS.md §3 behaviour 4). `leak-other-users` drops the entity check.
   */
  private inScope(memory: Mem0Memory, input: Mem0SearchInput, faults: FaultSwitches): boolean {
    if (input.orgId !== undefined && input.orgId !== this.dataset.org_id) return false;
    if (input.projectId !== undefined && input.projectId !== this.dataset.project_id) return false;
    if (faults.on('leak-other-users')) return true;
    return ENTITY_FIELDS.every((field) => {
      const wanted = input.entities[field];
      return wanted === undefined || memory[field] === wanted;
    });
  }
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

function parse(body: unknown, faults: FaultSwitches): Mem0SearchInput | Reply {
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
    query: query ?? '',
    entities,
    orgId,
    projectId,
    metadata,
    categories,
    topK: topK ?? 10,
    fields,
    outputFormat: faults.on('ignore-type-switches') ? 'v1.0' : (outputFormat ?? 'v1.0'),
  };
}

/** A memory as live search results show it (Z-OAS item, Z-LC: hash, score, extra entity keys). */
function present(memory: Mem0Memory, score: number, faults: FaultSwitches): Record<string, unknown> {
  return {
    id: memory.id,
    memory: memory.memory,
    // Memories scoped only to an agent, app or run have no user (v3 spec marks user_id nullable).
    user_id: memory.user_id ?? null,
    ...(memory.agent_id === undefined ? {} : { agent_id: memory.agent_id }),
    ...(memory.app_id === undefined ? {} : { app_id: memory.app_id }),
    ...(memory.run_id === undefined ? {} : { run_id: memory.run_id }),
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

/** `fields` keeps only the named keys (ENDPOINTS.md §4b: required keys may then be missing). */
function restrict(
  item: Record<string, unknown>,
  fields: readonly string[] | undefined,
): Record<string, unknown> {
  if (fields === undefined || fields.length === 0) return item;
  return Object.fromEntries(Object.entries(item).filter(([key]) => fields.includes(key)));
}
