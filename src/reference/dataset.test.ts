import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { packageRoot } from '../package.js';
import { loadReferenceDataset } from './dataset.js';

const FIXTURES = join(packageRoot(), 'fixtures', 'reference');
let scratch: string | undefined;
afterEach(async () => {
  if (scratch !== undefined) await rm(scratch, { recursive: true, force: true });
  scratch = undefined;
});

async function copyWith(name: string, edit: (text: string) => string): Promise<string> {
  scratch = await mkdtemp(join(tmpdir(), 'mc-fixtures-'));
  for (const file of ['memos.yaml', 'mem0.yaml', 'memmachine.yaml'])
    await copyFile(join(FIXTURES, file), join(scratch, file));
  await writeFile(join(scratch, name), edit(await readFile(join(scratch, name), 'utf8')));
  return scratch;
}

describe('loadReferenceDataset', () => {
  it('loads the shipped fixtures with the users the suites rely on', async () => {
    const dataset = await loadReferenceDataset();
    const memosUsers = dataset.memos.users.map((user) => user.user_id);
    expect(memosUsers).toEqual(expect.arrayContaining(['memos_user_345', 'memos_user_678']));
    for (const user of dataset.memos.users) {
      expect(user.facts.length).toBeGreaterThanOrEqual(15);
      expect(Number.isInteger(user.facts[0]?.create_time)).toBe(true);
    }
    const mem0Users = new Set(dataset.mem0.memories.map((memory) => memory.user_id));
    expect([...mem0Users]).toEqual(expect.arrayContaining(['alex', 'priya', 'sam']));
    const episodes = Object.values(dataset.memmachine.memory_sets).flatMap((set) => set.episodes);
    expect(new Set(episodes.map((episode) => episode.metadata.user_id))).toEqual(
      new Set(['u-123', 'u-456', 'u-789', 'c-900', 'c-901', 'demo_user']),
    );
  });

  it('names the file and the JSON pointer of a schema violation', async () => {
    const dir = await copyWith('memos.yaml', (text) => text.replace('confidence: 0.95', 'confidence: 7'));
    await expect(loadReferenceDataset(dir)).rejects.toThrow(
      /memos\.yaml: \/users\/0\/facts\/0\/confidence must be <= 1/,
    );
  });

  it('names the file for a YAML syntax error and for a dangling memory set', async () => {
    const broken = await copyWith('mem0.yaml', (text) => `${text}\n  - [unclosed`);
    await expect(loadReferenceDataset(broken)).rejects.toThrow(/mem0\.yaml: cannot read reference fixture/);
    await rm(broken, { recursive: true, force: true });
    const dangling = await copyWith('memmachine.yaml', (text) =>
      text.replace('memory_set: support\n', 'memory_set: missing\n'),
    );
    await expect(loadReferenceDataset(dangling)).rejects.toThrow(
      /memmachine\.yaml: \/projects\/1\/memory_set/,
    );
  });
});
