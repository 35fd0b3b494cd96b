/**
 * The official `mem0ai` 2.4.6 client (the one that calls `POST /v1/memories/search/`) against the mock: it pings
 * on construction, searches, and surfaces the mock's 400 as its own ValidationError. Telemetry is off because
 * vitest.config.ts sets MEM0_TELEMETRY=false before any module loads.
 */
// Named import: mem0ai's declaration file is read as CommonJS under NodeNext, so its default export does not type-check.

import { MemoryClient, ValidationError } from 'mem0ai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MockRequestRecord } from '../mock/request-log.js';
import { type RunningMock, startMock } from '../mock/server.js';
import { packageRoot } from '../package.js';
import { readSpecDocument } from '../spec/document.js';

type Json = Record<string, unknown>;

describe('mem0ai 2.4.6 client against the mock', () => {
  let mock: RunningMock;
  let client: MemoryClient;
  const records: MockRequestRecord[] = [];
  let firstExample: unknown;
  let badRequestExample: unknown;

  beforeAll(async () => {
    const doc = readSpecDocument('mem0', packageRoot());
    const op = ((doc.paths as Json)['/v1/memories/search/'] as Json).post as Json;
    const ok = ((op.responses as Json)['200'] as Json).content as Json;
    firstExample = Object.values((ok['application/json'] as Json).examples as Json)
      .map((e) => (e as Json).value)
      .at(0);
    const badRequest = ((doc.components as Json).responses as Json).BadRequest as Json;
    badRequestExample = Object.values(
      ((badRequest.content as Json)['application/json'] as Json).examples as Json,
    ).map((e) => (e as Json).value)[0];
    mock = await startMock({ apis: ['mem0'], host: '127.0.0.1', port: 0, onRequest: (r) => records.push(r) });
    client = new MemoryClient({ apiKey: 'test-key', host: mock.url });
  });
  afterAll(() => mock.close());

  it('resolves a search with the memories of the first example', async () => {
    const memories = await client.search('What does Alex like to eat when travelling?', { user_id: 'alex' });
    expect(memories).toEqual(firstExample);
    expect(memories.length).toBeGreaterThan(0);
    // The client pinged first (its constructor and search both call GET /v1/ping/) and got the key's context.
    expect(records.some((r) => r.method === 'GET' && r.path === '/v1/ping/' && r.status === 200)).toBe(true);
    const search = records.find((r) => r.path === '/v1/memories/search/' && r.status === 200);
    expect(search?.violations).toEqual([]);
  });

  it.each([
    ['an empty query', '', { user_id: 'alex' }],
    ['no entity id', 'food', {}],
  ])('surfaces the mock 400 for %s as a ValidationError', async (_name, query, options) => {
    const failure = client.search(query, options);
    await expect(failure).rejects.toBeInstanceOf(ValidationError);
    await expect(failure).rejects.toMatchObject({ errorCode: 'HTTP_400' });
    // The client puts the response text in the message: the spec's first 400 example.
    await expect(failure).rejects.toThrow(JSON.stringify(badRequestExample));
    expect(records.at(-1)).toMatchObject({ path: '/v1/memories/search/', status: 400 });
  });
});
