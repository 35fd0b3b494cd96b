import type { MemosFact, MemosPreference, MemosToolMemory, MemosUser, ReferenceDataset } from '../dataset.js';
import type { FaultSwitches } from '../faults.js';
import { RelevanceIndex, type ScoredDocument } from '../scoring.js';

/** The three MemOS memory kinds, in the order the response lists them. */
export type MemosKind = 'facts' | 'preferences' | 'tool_memories';

/** The kinds, in response order. */
export const MEMOS_KINDS: readonly MemosKind[] = ['facts', 'preferences', 'tool_memories'];

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

/** One user's memories, as the store keeps them (growable lists). */
type StoredUser = { readonly user_id: string } & { [K in MemosKind]: MemosRecords[K][] };

/** The text each kind is searched by. */
const SEARCH_TEXT: { readonly [K in MemosKind]: (record: MemosRecords[K]) => string } = {
  facts: (fact) => `${fact.memory_key}. ${fact.memory_value} ${fact.tags.join(' ')}`,
  preferences: (pref) => `${pref.preference} ${pref.reasoning}`,
  tool_memories: (tool) =>
    `${tool.tool_value} ${tool.experience} ${tool.tool_used_status.map((use) => use.tool_experience).join(' ')}`,
};

/** The MemOS memories indexed for search: one relevance index per kind, over all users. */
export class MemosStore {
  private readonly users = new Map<string, StoredUser>();
  /** Ids stored but kept out of search (`writes-not-searchable`); get/memory still lists them. */
  private readonly hidden = new Set<string>();
  private readonly indexes: { readonly [K in MemosKind]: RelevanceIndex } = {
    facts: new RelevanceIndex(),
    preferences: new RelevanceIndex(),
    tool_memories: new RelevanceIndex(),
  };

  constructor(dataset: ReferenceDataset['memos']) {
    for (const user of dataset.users) {
      for (const kind of MEMOS_KINDS) for (const record of user[kind]) this.add(kind, user.user_id, record);
      if (!this.users.has(user.user_id)) this.userFor(user.user_id);
    }
  }

  /** True when the user holds any memory. */
  hasUser(userId: string): boolean {
    const user = this.users.get(userId);
    return user !== undefined && MEMOS_KINDS.some((kind) => user[kind].length > 0);
  }

  /** Stores one memory of `userId`; a search sees it at once (unless `searchable` is false). */
  add<K extends MemosKind>(kind: K, userId: string, record: MemosRecords[K], searchable = true): void {
    (this.userFor(userId)[kind] as MemosRecords[K][]).push(record);
    if (searchable)
      this.indexes[kind].add({ id: record.id, text: SEARCH_TEXT[kind](record) } satisfies ScoredDocument);
    else this.hidden.add(record.id);
  }

  /** Deletes the memories with these ids, whoever owns them; returns the ids that existed. */
  delete(ids: ReadonlySet<string>): string[] {
    const deleted: string[] = [];
    for (const user of this.users.values()) {
      for (const kind of MEMOS_KINDS) {
        const list = user[kind] as { id: string }[];
        for (let i = list.length - 1; i >= 0; i -= 1) {
          const id = (list[i] as { id: string }).id;
          if (!ids.has(id)) continue;
          list.splice(i, 1);
          this.indexes[kind].remove(id);
          deleted.push(id);
        }
      }
    }
    return deleted;
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
    forSearch = false,
  ): Owned<MemosRecords[K]>[] {
    const leak = faults.on('leak-other-users');
    const users =
      leak || owner.userId === undefined
        ? [...this.users.values()]
        : [this.users.get(owner.userId)].filter((u) => u !== undefined);
    return users.flatMap((user) =>
      (user[kind] as unknown as readonly MemosRecords[K][])
        .filter((record) => leak || owner.agentId === undefined || record.agent_id === owner.agentId)
        .filter((record) => !forSearch || !this.hidden.has(record.id))
        .map((record) => ({ owner: user.user_id, record })),
    );
  }

  /** A scorer for one kind and query: relevance in 0..1 by record id. */
  scorer(kind: MemosKind, query: string): (id: string) => number {
    return this.indexes[kind].scorer(query);
  }

  /** The memories as a dataset again (for `serve --data`); users left without memories are dropped. */
  snapshot(): ReferenceDataset['memos'] {
    const users: MemosUser[] = [...this.users.values()]
      .filter((user) => this.hasUser(user.user_id))
      .map((user) => ({
        user_id: user.user_id,
        facts: [...user.facts],
        preferences: [...user.preferences],
        tool_memories: [...user.tool_memories],
      }));
    return { users };
  }

  private userFor(userId: string): StoredUser {
    let user = this.users.get(userId);
    if (user === undefined) {
      user = { user_id: userId, facts: [], preferences: [], tool_memories: [] };
      this.users.set(userId, user);
    }
    return user;
  }
}
