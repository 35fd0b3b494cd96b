/**
 * The parts of the malformed-JSON pre-check the per-API e2e tests (src/e2e/mock.test.ts) do not reach: which
 * operations qualify, and a syntax error message that quotes characters an HTTP header cannot carry.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { documentsInvalidRequest } from './json-precheck.js';
import { type RunningMock, startMock } from './server.js';

const op = (...codes: string[]) => ({ responses: codes.map((code) => ({ id: code, code })) });

describe('documentsInvalidRequest', () => {
  it.each([
    [['200', '422'], true],
    [['200', '400'], true],
    [['200', '4XX'], true],
    [['200', 'default'], true],
    [['200', '401', '404', '415', '5XX'], false],
    [['200', '4xx'], false], // Prism matches a range only as written in capitals (InternalHelpers.js)
  ])('%j -> %s', (codes, expected) => {
    expect(documentsInvalidRequest(op(...codes))).toBe(expected);
  });
});

describe('malformed JSON quoting non-ASCII text', () => {
  let mock: RunningMock;
  beforeAll(async () => {
    mock = await startMock({ apis: ['mem0'], host: '127.0.0.1', port: 0 });
  });
  afterAll(() => mock.close());

  it('escapes it in sl-violations instead of breaking the response', async () => {
    // V8 quotes the text around the bad token; Node refuses a header value with characters above U+00FF.
    const res = await fetch(`${mock.url}/v1/memories/search/`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Token t' },
      body: '食べ物, please',
    });
    expect(res.status).toBe(400);
    const [violation] = JSON.parse(res.headers.get('sl-violations') ?? '[]') as { message: string }[];
    expect(violation?.message).toContain('\\u98df');
    // The server is still up.
    const ping = await fetch(`${mock.url}/v1/ping/`, { headers: { authorization: 'Token t' } });
    expect(ping.status).toBe(200);
  });
});
