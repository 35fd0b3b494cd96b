import type { ReferenceDataset } from './dataset.js';

/** Per API, old user id -> new user id. */
export type UserRenames = Readonly<Partial<Record<keyof ReferenceDataset, Readonly<Record<string, string>>>>>;

/**
 * The dataset with users renamed: in each API's part every string value equal to an old id becomes the new id
 * (MemOS `user_id`, Mem0 `user_id`, MemMachine `metadata.user_id`, producer ids, …); object keys and longer
 * texts that merely contain an id are left alone. A pure transform, so the reference can serve the fixtures
 * under any ids a test draws (src/e2e/user-ids.test.ts) without a second copy of the data.
 */
export function renameUsers(dataset: ReferenceDataset, renames: UserRenames): ReferenceDataset {
  const rename = <T>(part: T, table: Readonly<Record<string, string>> | undefined): T => {
    if (table === undefined) return part;
    const walk = (value: unknown): unknown => {
      if (typeof value === 'string') return Object.hasOwn(table, value) ? table[value] : value;
      if (Array.isArray(value)) return value.map(walk);
      if (typeof value === 'object' && value !== null)
        return Object.fromEntries(Object.entries(value).map(([key, v]) => [key, walk(v)]));
      return value;
    };
    return walk(part) as T;
  };
  return {
    memos: rename(dataset.memos, renames.memos),
    mem0: rename(dataset.mem0, renames.mem0),
    memmachine: rename(dataset.memmachine, renames.memmachine),
  };
}
