import { describe, expect, it } from 'vitest';
import { loadReferenceDataset } from './dataset.js';
import { renameUsers } from './rename-users.js';

describe('renameUsers', () => {
  it('renames exact ids in the named API only, keeps keys and texts, and leaves the input untouched', async () => {
    const dataset = await loadReferenceDataset();
    const renamed = renameUsers(dataset, { memmachine: { 'u-123': 'Zoë: a@b.c' }, mem0: { alex: 'uuid-1' } });
    const episodes = Object.values(renamed.memmachine.memory_sets).flatMap((set) => set.episodes);
    expect(episodes.some((e) => e.metadata.user_id === 'Zoë: a@b.c')).toBe(true);
    expect(episodes.some((e) => e.metadata.user_id === 'u-123')).toBe(false);
    expect(episodes.some((e) => e.producer_id === 'assistant-u-123')).toBe(true);
    expect(renamed.mem0.memories.filter((m) => m.user_id === 'uuid-1')).toHaveLength(
      dataset.mem0.memories.filter((m) => m.user_id === 'alex').length,
    );
    expect(renamed.memos).toBe(dataset.memos);
    expect(Object.values(dataset.memmachine.memory_sets).flatMap((s) => s.episodes)).not.toEqual(episodes);
  });
});
