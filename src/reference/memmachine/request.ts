import { BodyReader, type FieldProblem } from '../body-reader.js';
import type { FaultSwitches } from '../faults.js';
import type { Deployment } from './errors.js';

/** Validated POST /v2/memories/search input with defaults applied (MM-SPEC, MM-PLAT in docs/sources.md). */
export interface MemMachineSearchInput {
  readonly query: string;
  readonly orgId: string | undefined;
  readonly projectId: string;
  readonly topK: number;
  readonly filter: string;
  readonly expandContext: number;
  /** undefined = no threshold (null means -inf, MM-SPEC). */
  readonly scoreThreshold: number | undefined;
  readonly episodic: boolean;
  readonly semantic: boolean;
}

/** The id character class of the Platform spec (MM-PLAT); the OSS server requires at least one character. */
const ID_PATTERN = /^[\p{L}\p{N}_:-]*$/u;

/** The project a request addresses, with each deployment's defaults applied (ENDPOINTS.md §4 table). */
export interface ProjectScope {
  /** Self-hosted only; the Platform has no org_id (the key decides). */
  readonly orgId: string | undefined;
  /** Hosted: "" = the key's default project; self-hosted: default "universal". */
  readonly projectId: string;
}

/**
 * Reads org_id and project_id. The Platform has no org_id (the key decides); the TS client sends it anyway,
 * so it is read and ignored there. The self-hosted server requires non-empty ids.
 */
export function readScope(reader: BodyReader, deployment: Deployment): ProjectScope {
  const selfHosted = deployment === 'self-hosted';
  const idRules = { pattern: ID_PATTERN, maxLength: 255, ...(selfHosted ? { minLength: 1 } : {}) };
  const orgId = reader.string('org_id', idRules);
  const projectId = reader.string('project_id', idRules);
  return {
    orgId: selfHosted ? (orgId ?? 'universal') : undefined,
    projectId: projectId ?? (selfHosted ? 'universal' : ''),
  };
}

/** Parses a search body for one deployment; problems are answered as 422. */
export function parseSearch(
  body: unknown,
  deployment: Deployment,
  faults: FaultSwitches,
): { ok: true; input: MemMachineSearchInput } | { ok: false; problems: readonly FieldProblem[] } {
  const reader = new BodyReader(body, faults);
  // No minLength on the server: an empty query is valid (only the TS client rejects it, MM-TS).
  const query = reader.string('query', { required: true });
  const scope = readScope(reader, deployment);
  const topK = reader.integer('top_k');
  const filter = reader.string('filter');
  const expandContext = reader.integer('expand_context');
  const scoreThreshold = reader.number('score_threshold');
  const types = reader.stringArray('types', { choices: ['episodic', 'semantic'] });
  reader.boolean('agent_mode'); // Platform 2026-03-23; no effect on this dataset
  reader.object('set_metadata');

  const problems = reader.finish();
  if (problems.length > 0) return { ok: false, problems };
  // [] or absent = every type (MM-SPEC, MM-ISS702); the fault ignores the switch entirely.
  const wanted =
    faults.on('ignore-type-switches') || types === undefined || types.length === 0 ? undefined : types;
  return {
    ok: true,
    input: {
      query: query ?? '',
      ...scope,
      topK: topK ?? 10,
      filter: filter ?? '',
      expandContext: expandContext ?? 0,
      scoreThreshold,
      episodic: wanted === undefined || wanted.includes('episodic'),
      semantic: wanted === undefined || wanted.includes('semantic'),
    },
  };
}
