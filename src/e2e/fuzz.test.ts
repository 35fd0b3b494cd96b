/**
 * Fuzzing the two servers memconform ships, with fast-check (fixed seed, bounded count): random methods,
 * paths, headers and content types, and bodies that are random JSON, huge, 100,000 deep, full of `__proto__`
 * keys or `1e309`. Invariants: every request gets an answer, never a 5xx, and the server keeps answering.
 * The time bound per answer catches a hang; it is sized for a busy machine and measures nothing.
 */
import fc from 'fast-check';
import { type Dispatcher, request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningMock, startMock } from '../mock/server.js';
import { REFERENCE_TOKEN } from '../options.js';
import { type RunningReference, startReferenceServer } from '../reference/index.js';

/** Long enough for a loaded 2-core machine; an answer that takes longer is a hang. */
const ANSWER_BOUND_MS = 60_000;

const PATHS = [
  '/api/openmem/v1/search/memory',
  '/api/openmem/v1/get/memory',
  '/v1/memories/search/',
  '/v1/ping/',
  '/v2/memories/search',
  '/api/v2/memories/search',
];

const token = fc.stringMatching(/^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,20}$/);
const printable = fc.stringMatching(/^[\x20-\x7e]{0,80}$/);

const method = fc.oneof(
  fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD'),
  token.map((t) => t.toUpperCase()),
);

const path = fc.oneof(
  fc.constantFrom(...PATHS),
  fc
    .tuple(fc.constantFrom(...PATHS), fc.stringMatching(/^[A-Za-z0-9%._~!$&'()*+,;=:@/?-]{0,40}$/))
    .map(([p, tail]) => `${p}${tail}`),
  fc.stringMatching(/^\/[A-Za-z0-9%._~/-]{0,60}$/),
);

const contentType = fc.oneof(
  fc.constantFrom(
    'application/json',
    'application/json; charset=utf-8',
    'application/json; charset=utf-16',
    'text/plain',
    'application/x-www-form-urlencoded',
    'multipart/form-data; boundary=x',
    'application/problem+json',
  ),
  printable,
);

const DEEP = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
const DEEP_OBJECT = `${'{"a":'.repeat(100_000)}1${'}'.repeat(100_000)}`;
const HUGE = JSON.stringify({ query: 'x'.repeat(3_000_000), user_id: 'alex' });

const body = fc.oneof(
  fc.jsonValue({ maxDepth: 4 }).map((value) => JSON.stringify(value)),
  fc
    .record({ query: fc.string(), user_id: fc.string(), top_k: fc.oneof(fc.integer(), fc.double()) })
    .map((value) => JSON.stringify(value)),
  fc.constantFrom(
    DEEP,
    DEEP_OBJECT,
    HUGE,
    '{"__proto__":{"polluted":true},"query":"food","user_id":"alex"}',
    '{"constructor":{"prototype":{"polluted":true}},"query":"food","user_id":"alex"}',
    '{"query":"food","user_id":"alex","top_k":1e309}',
    '{"query":"food","user_id":"alex","relativity":-1e309,"size":1e309}',
    '{"query":"food","user_id":"alex"',
    '',
  ),
  fc.string({ maxLength: 200 }),
);

const fuzzRequest = fc.record({
  method,
  path,
  contentType: fc.option(contentType, { nil: undefined }),
  headers: fc.dictionary(
    token.filter(
      (t) => !['content-length', 'transfer-encoding', 'host', 'connection'].includes(t.toLowerCase()),
    ),
    printable,
    { maxKeys: 4 },
  ),
  authorized: fc.boolean(),
  body: fc.option(body, { nil: undefined }),
});

type FuzzRequest = typeof fuzzRequest extends fc.Arbitrary<infer T> ? T : never;

async function send(base: string, input: FuzzRequest, auth: string): Promise<number> {
  const headers: Record<string, string> = { ...input.headers };
  if (input.contentType !== undefined) headers['content-type'] = input.contentType;
  if (input.authorized) headers.authorization = auth;
  const withBody = input.body !== undefined && !['GET', 'HEAD'].includes(input.method);
  const response = await request(`${base}${input.path}`, {
    method: input.method as Dispatcher.HttpMethod,
    headers,
    ...(withBody ? { body: input.body } : {}),
    signal: AbortSignal.timeout(ANSWER_BOUND_MS),
  });
  await response.body.dump({ limit: 10_000_000 });
  return response.statusCode;
}

/** Runs the fuzzer against `base` and asserts that no answer is a 5xx and the server still answers after. */
async function fuzz(base: string, auth: string, seed: number): Promise<void> {
  await fc.assert(
    fc.asyncProperty(fuzzRequest, async (input) => {
      const status = await send(base, input, auth);
      expect(status, `${input.method} ${input.path}`).toBeLessThan(500);
    }),
    { seed, numRuns: 150, endOnFailure: true },
  );
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
}

let mock: RunningMock;
let reference: RunningReference;

beforeAll(async () => {
  mock = await startMock({ apis: ['memos', 'mem0', 'memmachine'], port: 0 });
  reference = await startReferenceServer({ host: '127.0.0.1', port: 0 });
});

afterAll(async () => {
  await mock?.close();
  await reference?.close();
});

describe('fuzzing the servers memconform ships (fast-check, fixed seed)', () => {
  it('the mock answers every malformed request, never with a 5xx', async () => {
    await fuzz(mock.url, 'Token t', 20_261_203);
  }, 600_000);

  it('the reference answers every malformed request, never with a 5xx', async () => {
    await fuzz(reference.url, `Token ${REFERENCE_TOKEN}`, 20_261_203);
  }, 600_000);
});
