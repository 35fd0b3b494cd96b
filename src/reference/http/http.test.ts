import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningReference, startReferenceServer } from '../index.js';

let server: RunningReference;
beforeAll(async () => {
  server = await startReferenceServer();
});
afterAll(() => server.close());

const TOKEN = { authorization: 'Token mc-reference-token' };
const BEARER = { authorization: 'Bearer mc-reference-token' };

/** One search route per API and flavour, with its credentials and a valid body. */
const ROUTES = [
  {
    name: 'memos search',
    path: '/api/openmem/v1/search/memory',
    auth: TOKEN,
    body: { user_id: 'memos_user_345', query: 'spicy food' },
  },
  { name: 'memos get', path: '/api/openmem/v1/get/memory', auth: TOKEN, body: { user_id: 'memos_user_345' } },
  {
    name: 'mem0 search',
    path: '/v1/memories/search/',
    auth: TOKEN,
    body: { user_id: 'alex', query: 'Japan trip' },
  },
  { name: 'memmachine hosted', path: '/v2/memories/search', auth: BEARER, body: { query: 'Lisbon trip' } },
  {
    name: 'memmachine self-hosted',
    path: '/api/v2/memories/search',
    auth: {},
    body: { query: 'Lisbon trip' },
  },
];

async function post(path: string, headers: Record<string, string>, body: string | Uint8Array) {
  const response = await fetch(`${server.url}${path}`, { method: 'POST', headers, body });
  const text = await response.text();
  return { status: response.status, headers: response.headers, text, json: JSON.parse(text) as unknown };
}

describe.each(ROUTES)('$name', ({ path, auth, body }) => {
  const json = { ...auth, 'content-type': 'application/json' };

  it('answers JSON with CORS headers and identical bodies for identical requests', async () => {
    const first = await post(path, json, JSON.stringify(body));
    const second = await post(path, json, JSON.stringify(body));
    expect(first.status).toBe(200);
    expect(first.headers.get('content-type')).toBe('application/json');
    expect(first.headers.get('access-control-allow-origin')).toBe('*');
    expect(second.text).toBe(first.text);
  });

  it('answers a CORS preflight with the methods and headers clients send', async () => {
    const response = await fetch(`${server.url}${path}`, {
      method: 'OPTIONS',
      headers: {
        origin: 'http://localhost:5173',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization,content-type',
      },
    });
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    expect(response.headers.get('access-control-allow-methods')).toContain('POST');
    expect(response.headers.get('access-control-allow-headers')).toMatch(/Authorization.*Content-Type/);
  });

  it('rejects malformed JSON with a 4xx in the vendor form, never a 500', async () => {
    const response = await post(path, json, '{"query": ');
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(response.status).toBeLessThan(500);
    expect(response.text).not.toMatch(/at .*\.(ts|js):\d+/); // no stack trace
  });

  it('refuses a non-JSON content type (415; self-hosted MemMachine 422, §4c) and a body over 1 MiB (413)', async () => {
    expect((await post(path, { ...auth, 'content-type': 'text/plain' }, JSON.stringify(body))).status).toBe(
      path.startsWith('/api/v2/') ? 422 : 415,
    );
    const huge = JSON.stringify({ ...body, padding: 'x'.repeat(1024 * 1024 + 10) });
    expect((await post(path, json, huge)).status).toBe(413);
  });

  it('answers 405 with Allow for a wrong method', async () => {
    const response = await fetch(`${server.url}${path}`, { method: 'GET', headers: auth });
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('POST');
    await response.body?.cancel();
  });
});

describe('routing', () => {
  it.each([
    ['/api/openmem/v1/nope', { code: 40001 }],
    ['/v1/nope/', { detail: 'Not found.' }],
    ['/api/v2/nope', { detail: 'Not Found' }],
    ['/v2/nope', { code: 404 }],
  ])('answers 404 for %s in the vendor form', async (path, expected) => {
    const response = await fetch(`${server.url}${path}`, { method: 'POST', headers: TOKEN });
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject(expected);
  });

  it('lists the targets of each API', () => {
    expect(server.targets).toEqual({
      memos: `${server.url}/api/openmem/v1`,
      mem0: server.url,
      memmachine: server.url,
      memmachineSelfHosted: `${server.url}/api`,
    });
  });
});
