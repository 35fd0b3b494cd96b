import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createHttpClient } from './client.js';
import { MAX_RATE_LIMIT_RETRIES, retryAfterMs, withRateLimit, withRateLimitRetry } from './pacing.js';

const servers: Server[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) {
    s.closeAllConnections();
    await new Promise((resolve) => s.close(resolve));
  }
});

/** A server answering each request with the next entry of `answers` (the last one repeats). */
async function serve(answers: readonly { status: number; headers?: Record<string, string> }[]) {
  const seen: number[] = [];
  const server = createServer((_req, res) => {
    seen.push(performance.now());
    const answer = answers[Math.min(seen.length - 1, answers.length - 1)] as (typeof answers)[number];
    res.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers }).end('{}');
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, seen };
}

const client = () => createHttpClient({ timeoutMs: 10_000, maxBodyBytes: 1024, userAgent: 'test' });

describe('Retry-After', () => {
  it('reads delta-seconds and HTTP dates', () => {
    expect(retryAfterMs('3', 0)).toBe(3_000);
    expect(retryAfterMs('Thu, 01 Jan 1970 00:00:05 GMT', 1_000)).toBe(4_000);
    expect(retryAfterMs('Thu, 01 Jan 1970 00:00:05 GMT', 9_000)).toBe(0);
    expect(retryAfterMs('soon', 0)).toBeUndefined();
  });
});

describe('withRateLimitRetry', () => {
  it('sends a 429 again after Retry-After and records each retry', async () => {
    const target = await serve([
      { status: 429, headers: { 'retry-after': '0' } },
      { status: 429, headers: { 'retry-after': '0' } },
      { status: 200 },
    ]);
    const http = withRateLimitRetry(client(), 10_000);
    const exchange = await http.send({ method: 'GET', url: target.url, headers: {} });
    await http.close();
    expect(exchange.response?.status).toBe(200);
    expect(exchange.retries).toEqual([
      { status: 429, waitedMs: 0, after: 'retry-after' },
      { status: 429, waitedMs: 0, after: 'retry-after' },
    ]);
    expect(target.seen).toHaveLength(3);
  });

  it(`gives up after ${MAX_RATE_LIMIT_RETRIES} retries, and when the wait would not fit the timeout budget`, async () => {
    const always = await serve([{ status: 429, headers: { 'retry-after': '0' } }]);
    const http = withRateLimitRetry(client(), 10_000);
    const exchange = await http.send({ method: 'GET', url: always.url, headers: {} });
    expect(exchange.response?.status).toBe(429);
    expect(exchange.retries).toHaveLength(MAX_RATE_LIMIT_RETRIES);
    expect(always.seen).toHaveLength(MAX_RATE_LIMIT_RETRIES + 1);

    const slow = await serve([{ status: 429, headers: { 'retry-after': '60' } }, { status: 200 }]);
    const tight = withRateLimitRetry(client(), 5_000);
    const given = await tight.send({ method: 'GET', url: slow.url, headers: {} });
    expect(given.response?.status).toBe(429);
    expect(given.retries).toBeUndefined();
    expect(slow.seen).toHaveLength(1);
    await http.close();
    await tight.close();
  });

  it('backs off when the 429 carries no Retry-After', async () => {
    const target = await serve([{ status: 429 }, { status: 200 }]);
    const http = withRateLimitRetry(client(), 10_000);
    const exchange = await http.send({ method: 'GET', url: target.url, headers: {} });
    await http.close();
    expect(exchange.retries).toEqual([{ status: 429, waitedMs: 1_000, after: 'backoff' }]);
  });
});

describe('withRateLimit', () => {
  it('starts requests no closer together than the rate allows, even when sent at once', async () => {
    const target = await serve([{ status: 200 }]);
    const inner = client();
    const starts: number[] = [];
    // Times taken where the pacer hands a request on, so a slow connection cannot blur them.
    const recording = {
      send: (r: Parameters<typeof inner.send>[0]) => {
        starts.push(performance.now());
        return inner.send(r);
      },
      close: () => inner.close(),
    };
    const http = withRateLimit(recording, 20);
    const t0 = performance.now();
    await Promise.all(
      Array.from({ length: 5 }, () => http.send({ method: 'GET', url: target.url, headers: {} })),
    );
    await http.close();
    // The i-th request starts no earlier than i intervals after the first was sent. A lower bound only: a
    // loaded machine can start any of them later (and so bring two closer together), never earlier.
    const sorted = [...starts].sort((a, b) => a - b);
    for (const [i, start] of sorted.entries()) expect(start - t0).toBeGreaterThanOrEqual(i * 50 - 2);
    expect(target.seen).toHaveLength(5);
  });
});
