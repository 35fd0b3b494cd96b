/** Seeding's calls honour 429 Retry-After (seconds or an HTTP date) against a real server on 127.0.0.1. */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpClient } from '../http/client.js';
import { packageRoot } from '../package.js';
import { loadApiSpec } from '../spec/index.js';
import { callOperation, retryAfterMs } from './transport.js';

let throttled = 0;
const server = createServer((request, response) => {
  if (throttled > 0) {
    throttled -= 1;
    response
      .writeHead(429, { 'retry-after': '2', 'content-type': 'application/json' })
      .end('{"detail":"slow down"}');
    return;
  }
  response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ seen: request.url }));
});
let url = '';
beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('callOperation', () => {
  it('waits out each 429 for its Retry-After, then answers; fills path and query parameters', async () => {
    throttled = 2;
    const waits: number[] = [];
    const http = createHttpClient({ timeoutMs: 5_000, maxBodyBytes: 1_000_000, userAgent: 'test' });
    const target = {
      url,
      token: 'secret',
      operations: loadApiSpec('mem0', packageRoot()).operations,
      http,
      sleep: async (ms: number) => {
        waits.push(ms);
      },
    };
    const exchange = await callOperation(target, 'deleteMemory', { path: { memory_id: 'a b' } });
    expect(exchange.response?.status).toBe(200);
    expect(waits).toEqual([2_000, 2_000]);
    expect(exchange.response?.json).toEqual({ seen: '/v1/memories/a%20b/' });
    expect(exchange.request.headers.authorization).not.toContain('secret');
    const swept = await callOperation(target, 'deleteMemories', { query: { user_id: 'mc-1-alex' } });
    expect(swept.response?.json).toEqual({ seen: '/v1/memories/?user_id=mc-1-alex' });
    await http.close();
  });

  it('reads Retry-After as seconds or an HTTP date, 1 s when absent or unreadable', () => {
    expect(retryAfterMs('3')).toBe(3_000);
    expect(retryAfterMs(new Date(10_000).toUTCString(), 4_000)).toBe(6_000);
    expect(retryAfterMs(undefined)).toBe(1_000);
    expect(retryAfterMs('soon')).toBe(1_000);
  });
});
