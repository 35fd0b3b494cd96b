import type { MemosFact, MemosPreference, MemosToolMemory, MemosUser, ReferenceDataset } from '../dataset.js';
import type { FaultSwitches } from '../faults.js';
import { RelevanceIndex } from '../scoring.js';

/** The three MemOS memory kinds, in the order the response lists them. */
export type MemosKind = 'facts' | 'preferences' | 'tool_memories';

/** A memory of any kind together with the user it belongs to. */
export interface Owned<T> {
  readonly owner: string;
  readonly record: T;
}

/** Maps each kind to its stored record type. */
export interface MemosRecords {
  facts: MemosFact;
  preferences: MemosPreference;
  tool_memories: MemosToolMemory;
}

/** The MemOS memories indexed for search: one relevance index per kind, over all users. */
export class MemosStore {
  private readonly users: ReadonlyMap<string, MemosUser>;
  private readonly indexes: { readonly [K in MemosKind]: RelevanceIndex };

  constructor(dataset: ReferenceDataset['memos']) {
    this.users = new Map(dataset.users.map((user) => [user.user_id, user]));
    const all = dataset.users;
    this.indexes = {
      facts: new RelevanceIndex(
        all.flatMap((user) =>
          user.facts.map((fact) => ({
            id: fact.id,
            text: `${fact.memory_key}. ${fact.memory_value} ${fact.tags.join(' ')}`,
          })),
        ),
      ),
      preferences: new RelevanceIndex(
        all.flatMap((user) =>
          user.preferences.map((pref) => ({ id: pref.id, text: `${pref.preference} ${pref.reasoning}` })),
        ),
      ),
      tool_memories: new RelevanceIndex(
        all.flatMap((user) =>
          user.tool_memories.map((tool) => ({
            id: tool.id,
            text: `${tool.tool_value} ${tool.experience} ${tool.tool_used_status.map((use) => use.tool_experience).join(' ')}`,
          })),
        ),
      ),
    };
  }

  /** True when the user holds any memory. */
  hasUser(userId: string): boolean {
    return this.users.has(userId);
  }

  /**
   * The memories of one kind a request may see: that user's only ("each retrieval targets a single user",
   * M-SRCH in docs/sources.md), narrowed to one agent's when agent_id is given, or every user's memories of
   * that agent when agent_id stands in place of user_id (M-CLI); everyone's under the `leak-other-users` fault.
   */
  recordsOf<K extends MemosKind>(
    kind: K,
    owner: { readonly userId: string | undefined; readonly agentId: string | undefined },
    faults: FaultSwitches,
  ): Owned<MemosRecords[K]>[] {
    const leak = faults.on('leak-other-users');
    const users =
      leak || owner.userId === undefined
        ? [...this.users.values()]
        : [this.users.get(owner.userId)].filter((u) => u !== undefined);
    return users.flatMap((user) =>
      (user[kind] as readonly MemosRecords[K][])
        .filter((record) => leak || owner.agentId === undefined || record.agent_id === owner.agentId)
        .map((record) => ({ owner: user.user_id, record })),
    );
  }

  /** A scorer for one kind and query: relevance in 0..1 by record id. */
  scorer(kind: MemosKind, query: string): (id: string) => number {
    return this.indexes[kind].scorer(query);
  }
}
