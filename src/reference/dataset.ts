import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join, relative } from 'node:path';
import type { ErrorObject, ValidateFunction } from 'ajv/dist/2020.js';
import { parseYaml, shippedData } from '../data.js';
import { packageRoot } from '../package.js';

/**
 * The reference dataset: the memories the reference implementation serves, loaded from
 * fixtures/reference/*.yaml and validated against schemas/fixture-*.schema.json. Types here are the loaded
 * form (times already converted where an API answers them differently from the YAML).
 */

/** Metadata values the filters can compare. */
export type Scalar = string | number | boolean;

/** Fields every MemOS memory kind shares. */
export interface MemosRecordBase {
  readonly id: string;
  /** ms since the epoch (live answers carry integer ms, SEED0/M-MM in docs/sources.md). */
  readonly create_time: number;
  readonly update_time: number;
  readonly conversation_id: string;
  readonly status: string;
  readonly info: Readonly<Record<string, Scalar>>;
  readonly sources: readonly object[];
  readonly tags: readonly string[];
  readonly agent_id?: string;
  readonly app_id?: string;
}

/** A MemOS fact memory (memory_detail_list). */
export interface MemosFact extends MemosRecordBase {
  readonly memory_key: string;
  readonly memory_value: string;
  readonly memory_type: string;
  readonly confidence: number;
}

/** A MemOS preference memory (preference_detail_list). */
export interface MemosPreference extends MemosRecordBase {
  readonly preference_type: string;
  readonly preference: string;
  readonly reasoning: string;
}

/** One tool call summarised in a MemOS tool memory. */
export interface MemosToolUse {
  readonly used_tool: string;
  readonly error_type: string;
  readonly success_rate: number;
  readonly tool_experience: string;
}

/** A MemOS tool memory (tool_memory_detail_list). */
export interface MemosToolMemory extends MemosRecordBase {
  readonly tool_type: string;
  readonly tool_value: string;
  readonly tool_used_status: readonly MemosToolUse[];
  readonly experience: string;
}

/** All memories of one MemOS user. */
export interface MemosUser {
  readonly user_id: string;
  readonly facts: readonly MemosFact[];
  readonly preferences: readonly MemosPreference[];
  readonly tool_memories: readonly MemosToolMemory[];
}

/** One Mem0 memory as stored (hash is derived from `memory` when answered). */
export interface Mem0Memory {
  readonly id: string;
  readonly memory: string;
  readonly user_id?: string;
  readonly agent_id?: string;
  readonly app_id?: string;
  readonly run_id?: string;
  readonly categories: readonly string[];
  readonly metadata: Readonly<Record<string, unknown>> | null;
  readonly created_at: string;
  readonly updated_at: string | null;
  readonly expiration_date: string | null;
  readonly immutable: boolean;
}

/** The Mem0 account the reference pretends to be (answered by GET /v1/ping/) and its memories. */
export interface Mem0Dataset {
  readonly org_id: string;
  readonly project_id: string;
  readonly user_email: string;
  readonly memories: readonly Mem0Memory[];
}

/** A MemMachine episode as stored. */
export interface MemMachineEpisode {
  readonly uid: string;
  readonly content: string;
  readonly producer_id: string;
  readonly producer_role: string;
  readonly produced_for_id?: string;
  readonly episode_type?: string;
  readonly created_at: string;
  /** created_at as ms, for chronological order and time comparisons. */
  readonly created_ms: number;
  readonly metadata: Readonly<Record<string, Scalar>>;
  readonly short_term: boolean;
}

/** A MemMachine semantic feature as stored (answered as is). */
export interface MemMachineFeature {
  readonly category: string;
  readonly tag: string;
  readonly feature_name: string;
  readonly value: string;
  readonly set_id?: string;
  readonly metadata: {
    readonly citations?: readonly string[];
    readonly id?: string;
    readonly other?: Readonly<Record<string, Scalar>>;
  };
}

/** The memories one MemMachine project serves. */
export interface MemMachineMemorySet {
  readonly episodes: readonly MemMachineEpisode[];
  readonly session_summaries: Readonly<Record<string, string>>;
  readonly semantic_features: readonly MemMachineFeature[];
}

/** A MemMachine project of either deployment (MM-PLAT, MM-SPEC in docs/sources.md). */
export interface MemMachineProject {
  readonly deployment: 'hosted' | 'self-hosted';
  readonly org_id: string;
  readonly project_id: string;
  readonly default: boolean;
  readonly memory_set: string;
}

/** The MemMachine projects and the memory sets they serve. */
export interface MemMachineDataset {
  readonly projects: readonly MemMachineProject[];
  readonly memory_sets: Readonly<Record<string, MemMachineMemorySet>>;
}

/** Everything the reference implementation serves. */
export interface ReferenceDataset {
  readonly memos: { readonly users: readonly MemosUser[] };
  readonly mem0: Mem0Dataset;
  readonly memmachine: MemMachineDataset;
}

type FixtureName = 'memos' | 'mem0' | 'memmachine';

/** YAML text of a value; `yaml` is loaded only when `serve --data` writes a file. */
function stringifyYaml(value: unknown): string {
  return (createRequire(import.meta.url)('yaml') as { stringify: (v: unknown) => string }).stringify(value);
}

/**
 * Loads and validates fixtures/reference/{memos,mem0,memmachine}.yaml (or the same files in `dir`).
 * A file that breaks its schema is an Error naming the file and the JSON pointer of the first problems.
 */
export async function loadReferenceDataset(dir?: string): Promise<ReferenceDataset> {
  const root = packageRoot();
  const folder = dir ?? join(root, 'fixtures', 'reference');
  // The package's own fixtures were validated when the build wrote their JSON; other folders are checked here.
  let validators: Promise<Record<FixtureName, ValidateFunction>> | undefined;
  const load = async (name: FixtureName): Promise<unknown> => {
    const file = join(folder, `${name}.yaml`);
    const shipped = shippedData(file, root);
    if (shipped !== undefined) return shipped;
    validators ??= compileSchemas(root);
    const shown = relative(process.cwd(), file) || file;
    let document: unknown;
    try {
      document = parseYaml(await readFile(file, 'utf8'));
    } catch (error) {
      throw new Error(`${shown}: cannot read reference fixture: ${(error as Error).message}`);
    }
    const validate = (await validators)[name];
    if (!validate(document)) throw new Error(`${shown}: ${describeErrors(validate.errors ?? [])}`);
    return document;
  };
  const [memos, mem0, memmachine] = await Promise.all([load('memos'), load('mem0'), load('memmachine')]);
  return {
    memos: toMemos(memos as RawMemos),
    mem0: toMem0(mem0 as RawMem0),
    memmachine: toMemMachine(memmachine as RawMemMachine, 'memmachine.yaml'),
  };
}

/** The account, org and default projects an empty reference answers with (`memconform serve --no-data`). */
export function emptyReferenceDataset(): ReferenceDataset {
  const emptySet = 'default';
  return {
    memos: { users: [] },
    mem0: {
      org_id: 'org_mc_reference',
      project_id: 'proj_mc_reference',
      user_email: 'reference@memconform.invalid',
      memories: [],
    },
    memmachine: {
      // The self-hosted server's universal/universal project and the hosted key's default project exist on
      // every deployment (MM-SPEC defaults, MM-PLAT "default project"); they share one empty memory set.
      projects: [
        {
          deployment: 'self-hosted',
          org_id: 'universal',
          project_id: 'universal',
          default: false,
          memory_set: emptySet,
        },
        {
          deployment: 'hosted',
          org_id: 'mc-reference-org',
          project_id: 'universal',
          default: true,
          memory_set: emptySet,
        },
      ],
      memory_sets: { [emptySet]: { episodes: [], session_summaries: {}, semantic_features: [] } },
    },
  };
}

/**
 * Loads a dataset file of `memconform serve --data FILE`: one YAML (or JSON) document whose `memos`,
 * `mem0` and `memmachine` sections each have the form of the matching fixtures/reference file. A missing
 * section starts empty.
 */
export async function loadDatasetFile(file: string): Promise<ReferenceDataset> {
  const shown = relative(process.cwd(), file) || file;
  let document: unknown;
  try {
    document = parseYaml(await readFile(file, 'utf8'));
  } catch (error) {
    throw new Error(`${shown}: cannot read the dataset file: ${(error as Error).message}`);
  }
  if (document === null || typeof document !== 'object' || Array.isArray(document)) {
    throw new Error(`${shown}: a dataset file is a mapping with memos, mem0 and memmachine sections`);
  }
  const sections = document as Record<string, unknown>;
  const unknown = Object.keys(sections).filter((key) => !['memos', 'mem0', 'memmachine'].includes(key));
  if (unknown.length > 0)
    throw new Error(`${shown}: unknown section(s) ${unknown.join(', ')}; use memos, mem0, memmachine`);
  const validators = await compileSchemas(packageRoot());
  const empty = datasetSections(emptyReferenceDataset());
  const section = (name: FixtureName): unknown => {
    const value = sections[name] ?? empty[name];
    const validate = validators[name];
    if (!validate(value)) throw new Error(`${shown}: /${name}${describeErrors(validate.errors ?? [])}`);
    return value;
  };
  return {
    memos: toMemos(section('memos') as RawMemos),
    mem0: toMem0(section('mem0') as RawMem0),
    memmachine: toMemMachine(section('memmachine') as RawMemMachine, shown),
  };
}

/** The text of a dataset file holding `dataset` (what `serve --data` writes back on exit). */
export function datasetFileText(dataset: ReferenceDataset): string {
  return `# memconform reference dataset (memconform serve --data); sections as in fixtures/reference/*.yaml\n${stringifyYaml(datasetSections(dataset))}`;
}

/** The dataset in the fixture files' form: ISO times, optional keys left out. */
function datasetSections(dataset: ReferenceDataset): Record<FixtureName, unknown> {
  const iso = (ms: number) => new Date(ms).toISOString();
  const memosRecord = <T extends MemosRecordBase>(record: T) => ({
    ...record,
    create_time: iso(record.create_time),
    update_time: iso(record.update_time),
  });
  return {
    memos: {
      users: dataset.memos.users.map((user) => ({
        user_id: user.user_id,
        facts: user.facts.map(memosRecord),
        preferences: user.preferences.map(memosRecord),
        tool_memories: user.tool_memories.map(memosRecord),
      })),
    },
    mem0: dataset.mem0,
    memmachine: {
      projects: dataset.memmachine.projects,
      memory_sets: Object.fromEntries(
        Object.entries(dataset.memmachine.memory_sets).map(([name, set]) => [
          name,
          { ...set, episodes: set.episodes.map(({ created_ms: _, ...episode }) => episode) },
        ]),
      ),
    },
  };
}

async function compileSchemas(root: string): Promise<Record<FixtureName, ValidateFunction>> {
  const { Ajv2020 } = await import('ajv/dist/2020.js');
  const addFormatsNs = await import('ajv-formats');
  type Ajv = InstanceType<typeof Ajv2020>;
  const addFormats = addFormatsNs.default as unknown as (ajv: Ajv) => Ajv;
  // Unknown keywords stay errors (strictSchema); the type/required checks are off because the fixture schemas
  // compose objects through $ref + unevaluatedProperties, which those checks cannot follow.
  const ajv = addFormats(
    new Ajv2020({ allErrors: true, strictSchema: true, strictTypes: false, strictRequired: false }),
  );
  const compile = async (name: FixtureName): Promise<ValidateFunction> => {
    const path = join(root, 'schemas', `fixture-${name}.schema.json`);
    return ajv.compile(JSON.parse(await readFile(path, 'utf8')) as object);
  };
  const [memos, mem0, memmachine] = await Promise.all([
    compile('memos'),
    compile('mem0'),
    compile('memmachine'),
  ]);
  return { memos, mem0, memmachine };
}

function describeErrors(errors: readonly ErrorObject[]): string {
  const lines = errors.slice(0, 5).map((error) => {
    const pointer = error.instancePath === '' ? '/' : error.instancePath;
    const extra =
      error.keyword === 'additionalProperties' || error.keyword === 'unevaluatedProperties'
        ? ` (${JSON.stringify(Object.values(error.params)[0])})`
        : '';
    return `${pointer} ${error.message ?? error.keyword}${extra}`;
  });
  const more = errors.length > 5 ? `; and ${errors.length - 5} more` : '';
  return `${lines.join('; ')}${more}`;
}

// ---- raw YAML shapes (already schema-valid) and their conversion -------------------------------------

type RawMemosRecord = Omit<
  MemosRecordBase,
  'create_time' | 'update_time' | 'status' | 'info' | 'sources' | 'tags'
> & {
  create_time: string;
  update_time: string;
  status?: string;
  info?: Record<string, Scalar>;
  sources?: object[];
  tags?: string[];
};
interface RawMemos {
  users: {
    user_id: string;
    facts: (RawMemosRecord & Pick<MemosFact, 'memory_key' | 'memory_value' | 'memory_type' | 'confidence'>)[];
    preferences?: (RawMemosRecord & Pick<MemosPreference, 'preference_type' | 'preference' | 'reasoning'>)[];
    tool_memories?: (RawMemosRecord &
      Pick<MemosToolMemory, 'tool_type' | 'tool_value' | 'tool_used_status' | 'experience'>)[];
  }[];
}

function memosBase<T extends RawMemosRecord>(raw: T): Omit<T, keyof RawMemosRecord> & MemosRecordBase {
  return {
    ...raw,
    create_time: Date.parse(raw.create_time),
    update_time: Date.parse(raw.update_time),
    status: raw.status ?? 'activated',
    info: raw.info ?? {},
    sources: raw.sources ?? [],
    tags: raw.tags ?? [],
  };
}

function toMemos(raw: RawMemos): ReferenceDataset['memos'] {
  return {
    users: raw.users.map((user) => ({
      user_id: user.user_id,
      facts: user.facts.map(memosBase),
      preferences: (user.preferences ?? []).map(memosBase),
      tool_memories: (user.tool_memories ?? []).map(memosBase),
    })),
  };
}

interface RawMem0 extends Omit<Mem0Dataset, 'memories'> {
  memories: (Pick<
    Mem0Memory,
    'id' | 'memory' | 'user_id' | 'agent_id' | 'app_id' | 'run_id' | 'created_at'
  > & {
    categories?: string[];
    metadata?: Record<string, unknown> | null;
    updated_at?: string | null;
    expiration_date?: string | null;
    immutable?: boolean;
  })[];
}

function toMem0(raw: RawMem0): Mem0Dataset {
  return {
    ...raw,
    memories: raw.memories.map((memory) => ({
      ...memory,
      categories: memory.categories ?? [],
      metadata: memory.metadata ?? null,
      updated_at: memory.updated_at ?? null,
      expiration_date: memory.expiration_date ?? null,
      immutable: memory.immutable ?? false,
    })),
  };
}

interface RawMemMachine {
  projects: (Omit<MemMachineProject, 'default'> & { default?: boolean })[];
  memory_sets: Record<
    string,
    Omit<MemMachineMemorySet, 'episodes'> & { episodes: Omit<MemMachineEpisode, 'created_ms'>[] }
  >;
}

function toMemMachine(raw: RawMemMachine, file: string): MemMachineDataset {
  // Cross-references a JSON Schema cannot express: every project names an existing memory set, and each
  // deployment has at most one default project.
  raw.projects.forEach((project, index) => {
    if (raw.memory_sets[project.memory_set] === undefined) {
      throw new Error(
        `${file}: /projects/${index}/memory_set names no entry of memory_sets ("${project.memory_set}")`,
      );
    }
  });
  if (
    raw.projects.filter((project) => project.default === true && project.deployment === 'hosted').length > 1
  ) {
    throw new Error(`${file}: /projects has more than one hosted project with default: true`);
  }
  const memorySets: Record<string, MemMachineMemorySet> = {};
  for (const [name, set] of Object.entries(raw.memory_sets)) {
    memorySets[name] = {
      ...set,
      episodes: set.episodes.map((episode) => ({ ...episode, created_ms: Date.parse(episode.created_at) })),
    };
  }
  return {
    projects: raw.projects.map((project) => ({ ...project, default: project.default ?? false })),
    memory_sets: memorySets,
  };
}
