/**
 * Mock figures: start-up time (first server in the process, which pays for loading Prism, then later ones)
 * and search throughput per API over one keep-alive undici pool, sequential and 10 at a time.
 * Prints figures only; nothing here asserts on time.
 */
import { Pool } from 'undici';
import { afterAll, bench, describe } from 'vitest';

const coldStart = performance.now();
const { startMock } = await import('../src/mock/server.js');
const mock = await startMock({ apis: ['memos', 'mem0', 'memmachine'], port: 0 });
console.log(
  `first mock server (module loading + 3 specs + listen): ${(performance.now() - coldStart).toFixed(0)} ms`,
);
const pool = new Pool(mock.url, { connections: 10 });

const SEARCHES = [
  {
    api: 'memos',
    path: '/api/openmem/v1/search/memory',
    auth: 'Token bench',
    body: { user_id: 'memos_user_345', query: 'food' },
  },
  {
    api: 'mem0',
    path: '/v1/memories/search/',
    auth: 'Token bench',
    body: { query: 'food', user_id: 'alex' },
  },
  {
    api: 'memmachine',
    path: '/v2/memories/search',
    auth: 'Bearer bench',
    body: { query: 'finance', top_k: 5 },
  },
  {
    api: 'memmachine self-hosted',
    path: '/api/v2/memories/search',
    auth: undefined,
    body: { query: 'finance' },
  },
] as const;

/** A search whose body is cut off mid-object: answered by Prism from the spec's 400 (src/mock/json-precheck.ts). */
async function malformedSearch(): Promise<void> {
  const response = await pool.request({
    method: 'POST',
    path: '/v1/memories/search/',
    headers: { 'content-type': 'application/json', authorization: 'Token bench' },
    body: '{"query": "food", "user_id": "alex"',
  });
  await response.body.dump();
  if (response.statusCode !== 400) throw new Error(`mem0 malformed JSON: HTTP ${response.statusCode}`);
}

async function search(target: (typeof SEARCHES)[number]): Promise<void> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (target.auth !== undefined) headers.authorization = target.auth;
  const response = await pool.request({
    method: 'POST',
    path: target.path,
    headers,
    body: JSON.stringify(target.body),
  });
  await response.body.dump();
  if (response.statusCode !== 200) throw new Error(`${target.api}: HTTP ${response.statusCode}`);
}

afterAll(async () => {
  await pool.close();
  await mock.close();
});

describe('mock start-up (Prism already loaded)', () => {
  bench('start + close, one API (mem0)', async () => {
    const m = await startMock({ apis: ['mem0'], port: 0 });
    await m.close();
  });
  bench('start + close, all APIs', async () => {
    const m = await startMock({ apis: ['memos', 'mem0', 'memmachine'], port: 0 });
    await m.close();
  });
});

for (const target of SEARCHES) {
  // ops/s of "sequential" is requests/s; multiply "10 concurrent" by 10 for requests/s.
  describe(`search on ${target.api}`, () => {
    bench('sequential (1 request per op)', () => search(target));
    bench('10 concurrent (10 requests per op)', async () => {
      await Promise.all(Array.from({ length: 10 }, () => search(target)));
    });
  });
}

describe('malformed JSON search on mem0', () => {
  bench('sequential (1 request per op)', malformedSearch);
});
