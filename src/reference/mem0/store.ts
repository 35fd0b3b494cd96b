import type { Mem0Dataset, Mem0Memory } from '../dataset.js';
import { RelevanceIndex } from '../scoring.js';

/** The Mem0 account's memories, indexed for search; the write endpoints add and delete them. */
export class Mem0Store {
  /** The account's memories in storage order (the order `limit-before-rank` picks from). */
  readonly memories: Mem0Memory[];
  private readonly index: RelevanceIndex;
  /** Ids stored but kept out of search (`writes-not-searchable`). */
  private readonly hidden = new Set<string>();

  constructor(readonly dataset: Mem0Dataset) {
    this.memories = [...dataset.memories];
    this.index = new RelevanceIndex(this.memories.map((memory) => ({ id: memory.id, text: memory.memory })));
  }

  /** Stores a memory; a search sees it at once (unless `searchable` is false). */
  add(memory: Mem0Memory, searchable = true): void {
    this.memories.push(memory);
    if (searchable) this.index.add({ id: memory.id, text: memory.memory });
    else this.hidden.add(memory.id);
  }

  /** The memories a search may return. */
  searchable(): Mem0Memory[] {
    return this.memories.filter((memory) => !this.hidden.has(memory.id));
  }

  /** Deletes the memories `doomed` selects; returns how many. */
  delete(doomed: (memory: Mem0Memory) => boolean): number {
    let deleted = 0;
    for (let i = this.memories.length - 1; i >= 0; i -= 1) {
      const memory = this.memories[i] as Mem0Memory;
      if (!doomed(memory)) continue;
      this.memories.splice(i, 1);
      this.index.remove(memory.id);
      deleted += 1;
    }
    return deleted;
  }

  /** Relevance of every memory to a query, by id. */
  scorer(query: string): (id: string) => number {
    return this.index.scorer(query);
  }

  /** The account as a dataset again (for `serve --data`, which writes it back on exit). */
  snapshot(): Mem0Dataset {
    return { ...this.dataset, memories: [...this.memories] };
  }
}
