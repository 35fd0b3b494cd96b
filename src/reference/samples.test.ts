import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SAMPLE_REQUESTS } from './samples.js';
import { DEFAULT_REFERENCE_TOKEN, type RunningReference, startReferenceServer } from './server.js';

let reference: RunningReference;
beforeAll(async () => {
  reference = await startReferenceServer();
});
afterAll(() => reference.close());

async function post(url: string, body: unknown, authorization?: string): Promise<unknown> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
    body: JSON.stringify(body),
  });
  expect(response.status).toBe(200);
  return response.json();
}

describe('SAMPLE_REQUESTS', () => {
  it('find memories on every operation, so the lines serve prints show data', async () => {
    const token = `Token ${DEFAULT_REFERENCE_TOKEN}`;
    const { memos, mem0, memmachine, memmachineSelfHosted } = reference.targets;
    const search = (await post(`${memos}/search/memory`, SAMPLE_REQUESTS['memos.searchMemory'], token)) as {
      data: { memory_detail_list: unknown[] };
    };
    expect(search.data.memory_detail_list.length).toBeGreaterThan(0);
    const page = (await post(`${memos}/get/memory`, SAMPLE_REQUESTS['memos.getMemory'], token)) as {
      data: { memory_detail_list: unknown[] };
    };
    expect(page.data.memory_detail_list.length).toBeGreaterThan(0);
    const memories = await post(`${mem0}/v1/memories/search/`, SAMPLE_REQUESTS['mem0.searchMemories'], token);
    expect((memories as unknown[]).length).toBeGreaterThan(0);
    for (const [url, auth] of [
      [`${memmachine}/v2/memories/search`, `Bearer ${DEFAULT_REFERENCE_TOKEN}`],
      [`${memmachineSelfHosted}/v2/memories/search`, undefined],
    ] as const) {
      const answer = (await post(url, SAMPLE_REQUESTS['memmachine.searchMemories'], auth)) as {
        content: { episodic_memory: { long_term_memory: { episodes: unknown[] } } };
      };
      expect(answer.content.episodic_memory.long_term_memory.episodes.length).toBeGreaterThan(0);
    }
  });
});
