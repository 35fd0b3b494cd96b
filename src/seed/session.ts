import type { ApiName } from '../apis.js';
import type { GoldenQuery } from './recall.js';

/**
 * One API's seeding of one target: what it writes, how it knows the data is searchable, and how it takes
 * the data away again. Each API's session lives in its own file; `seed.ts` drives them.
 */

/** Run-scoped names: every id memconform writes starts with `mc-<run id>-`, so nothing else is touched. */
export class Namespace {
  constructor(readonly runId: string) {}

  /** The run-scoped form of a fixture id. */
  id(name: string): string {
    return `mc-${this.runId}-${name}`;
  }
}

/** A seeded user that must answer a search before the cases run. */
export interface WaitProbe {
  /** The run-scoped id, as reported when it never answers. */
  readonly user: string;
  /** True once a search for the user returns something. */
  probe(): Promise<boolean>;
}

/** What one session wrote and took away; filled in as it goes. */
export class SeedLedger {
  /** Messages (or records) sent through the write endpoints. */
  written = 0;
  /** Ids of the memories the target made from them, as far as the target tells. */
  readonly created = new Set<string>();
  readonly deleted = new Set<string>();
  /** Ids that could not be deleted, with why. */
  readonly notDeleted = new Map<string, string>();
  /** Fixture memory id → the id the target gave it (where the write answer names ids). */
  readonly serverIds = new Map<string, string>();

  /** The fixture id of a target id, if memconform wrote it. */
  fixtureIdOf(serverId: unknown): string | undefined {
    if (typeof serverId !== 'string') return undefined;
    for (const [fixtureId, id] of this.serverIds) if (id === serverId) return fixtureId;
    return undefined;
  }
  /** Fixture memory id → its text, for recall's content match where no id is known. */
  readonly texts = new Map<string, string>();
}

/** One API's seeding of one target. */
export interface SeedSession {
  readonly api: ApiName;
  /** Suite variables that point at the seeded namespace (fixture id → run-scoped id). */
  readonly variables: Readonly<Record<string, string>>;
  readonly ledger: SeedLedger;
  /** Writes the fixture data; throws SeedError when the target refuses a write. */
  write(): Promise<void>;
  /** One probe per seeded user. */
  probes(): readonly WaitProbe[];
  /** How `ask` tells which seeded memory a result is: by the id the target gave it, or by content. */
  readonly matchedBy: 'id' | 'content';
  /** Asks a golden query as the seeded user: the fixture id each of the first k results is (or undefined). */
  ask(query: GoldenQuery, k: number): Promise<(string | undefined)[]>;
  /** Reads back the ids of memories the target made without naming them in the write answer. */
  inventory(): Promise<void>;
  /** Deletes everything the session wrote (and only that). Never throws for a refused delete. */
  cleanup(): Promise<void>;
}

/** A write the target refused: seeding cannot go on. */
export class SeedWriteError extends Error {
  override readonly name = 'SeedWriteError';
}

/**
 * Maps suite variables onto the namespace: a variable whose default names a fixture id (user, entity, org or
 * project) now names its run-scoped twin; the others keep their value.
 */
export function namespacedVariables(
  suiteVariables: Readonly<Record<string, string>>,
  mapping: ReadonlyMap<string, string>,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(suiteVariables)) {
    const mapped = mapping.get(value);
    if (mapped !== undefined) out[name] = mapped;
  }
  return out;
}

/** Splits a list into chunks of at most `size`. */
export function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/**
 * The query a wait probe asks for one seeded user: the texts of a few of its memories together, so any of
 * them answering counts (a search need not rank one particular memory first to show the data arrived).
 */
export function probeQuery(texts: readonly string[]): string {
  return texts.slice(0, 5).join(' ').slice(0, 1_000);
}

/** Messages per write request: small enough for any vendor's body limit, large enough to be quick. */
export const BATCH_SIZE = 20;
