import { createHash } from 'node:crypto';
import { MemoryClient } from 'mem0ai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningReference, startReferenceServer } from '../index.js';

let server: RunningReference;
beforeAll(async () => {
  server = await startReferenceServer();
});
afterAll(() => server.close());

const AUTH = { authorization: 'Token mc-reference-token', 'content-type': 'application/json' };
type Memory = Record<string, unknown> & { id: string; memory: string; score: number; user_id: string | null };

async function search(body: unknown, headers: Record<string, string> = AUTH, path = '/v1/memories/search/') {
  const response = await fetch(`${server.targets.mem0}${path}`, {
    method: 'POST',
    headers,
    body: JSON.stringify(body),
  });
  // biome-ignore lint/suspicious/noExplicitAny: test bodies are inspected loosely
  return { status: response.status, body: (await response.json()) as any };
}

describe('POST /v1/memories/search/', () => {
  it('answers a bare array of scored memories, best first (output_format absent or v1.0)', async () => {
    for (const format of [undefined, null, 'v1.0']) {
      const { status, body } = await search({ query: 'Japan trip', user_id: 'alex', output_format: format });
      expect(status).toBe(200);
      expect(Array.isArray(body)).toBe(true);
      const results = body as Memory[];
      expect(results.length).toBeGreaterThan(0);
      const scores = results.map((memory) => memory.score);
      expect(scores.every((score) => score > 0)).toBe(true);
      expect(scores).toEqual([...scores].sort((a, b) => b - a));
      for (const memory of results) {
        expect(memory.user_id).toBe('alex');
        expect(memory.id).toMatch(/^[0-9a-f-]{36}$/);
        expect(memory.hash).toBe(createHash('md5').update(memory.memory).digest('hex'));
        expect(memory.created_at).toMatch(/\.\d{6}[+-]\d{2}:\d{2}$/);
      }
    }
  });

  it('wraps results for output_format v1.1', async () => {
    const { body } = await search({ query: 'Japan trip', user_id: 'alex', output_format: 'v1.1' });
    expect(Object.keys(body).sort()).toEqual(['relations', 'results']);
    expect(body.results.length).toBeGreaterThan(0);
  });

  it('applies top_k (default 10)', async () => {
    const many = (
      await search({
        query: 'travel trip food vegetarian Japan books Python dog Seattle climbing 10k oat milk',
        user_id: 'alex',
      })
    ).body as Memory[];
    expect(many).toHaveLength(10);
    expect((await search({ query: 'travel trip food', user_id: 'alex', top_k: 2 })).body).toHaveLength(2);
  });

  it('isolates entities: every supplied id must match', async () => {
    const priya = (await search({ query: 'vegetarian trip food', user_id: 'priya' })).body as Memory[];
    expect(priya.length).toBeGreaterThan(0);
    expect(priya.every((memory) => memory.user_id === 'priya')).toBe(true);
    const run = (
      await search({
        query: 'ryokan Kyoto vegetarian JR Pass',
        user_id: 'alex',
        agent_id: 'travel-agent',
        run_id: 'run-japan-001',
      })
    ).body as Memory[];
    expect(run.map((memory) => memory.run_id)).toEqual(['run-japan-001', 'run-japan-001']);
    const agent = (await search({ query: 'passport insurance', agent_id: 'travel-agent' })).body as Memory[];
    expect(agent.length).toBeGreaterThan(0);
    expect(agent.every((memory) => memory.agent_id === 'travel-agent')).toBe(true);
    expect((await search({ query: 'Japan', user_id: 'nobody-here' })).body).toEqual([]);
  });

  it('filters by metadata and categories, and restricts fields', async () => {
    const trip = (
      await search({ query: 'Japan trip visit Kyoto', user_id: 'alex', metadata: { trip: 'japan-2025' } })
    ).body as Memory[];
    expect(trip.length).toBeGreaterThan(0);
    expect(trip.every((memory) => (memory.metadata as Record<string, unknown>).trip === 'japan-2025')).toBe(
      true,
    );
    const books = (await search({ query: 'reading book series', user_id: 'alex', categories: ['books'] }))
      .body as Memory[];
    expect(books.every((memory) => (memory.categories as string[]).includes('books'))).toBe(true);
    const slim = (await search({ query: 'Japan', user_id: 'alex', fields: ['id', 'memory'] }))
      .body as Memory[];
    expect(Object.keys(slim[0] ?? {}).sort()).toEqual(['id', 'memory']);
  });

  it('ignores unknown fields (the vendor test sends limit)', async () => {
    expect((await search({ query: 'Japan', user_id: 'alex', limit: 1 })).status).toBe(200);
  });

  it.each([
    ['empty query', { query: '', user_id: 'alex' }, { query: ['This field may not be blank.'] }],
    ['missing query', { user_id: 'alex' }, { query: ['This field is required.'] }],
    ['query not a string', { query: 5, user_id: 'alex' }, { query: ['Not a valid string.'] }],
    [
      'top_k not an integer',
      { query: 'x', user_id: 'alex', top_k: 'ten' },
      { top_k: ['A valid integer is required.'] },
    ],
    [
      'bad output_format',
      { query: 'x', user_id: 'alex', output_format: 'v2' },
      { output_format: ['"v2" is not a valid choice.'] },
    ],
    [
      'no entity id',
      { query: 'x' },
      { message: 'At least one of the filters: agent_id, user_id, app_id, run_id is required!' },
    ],
  ])('%s -> 400 %j', async (_name, body, expected) => {
    const response = await search(body);
    expect(response.status).toBe(400);
    expect(response.body).toEqual(expected);
  });

  it('answers 401 {detail} without a key or with a bad one', async () => {
    const missing = await search({ query: 'x', user_id: 'alex' }, { 'content-type': 'application/json' });
    expect(missing.status).toBe(401);
    expect(missing.body).toEqual({ detail: 'Authentication credentials were not provided.' });
    const bad = await search({ query: 'x', user_id: 'alex' }, { ...AUTH, authorization: 'Token nope' });
    expect(bad.status).toBe(401);
    expect(bad.body.detail).toMatch(/^Invalid API key/);
  });

  it('answers the slash-less path with DRF 404', async () => {
    const response = await search({ query: 'x', user_id: 'alex' }, AUTH, '/v1/memories/search');
    expect(response).toEqual({ status: 404, body: { detail: 'Not found.' } });
  });
});

describe('GET /v1/ping/ and the mem0ai 2.4 client', () => {
  it('answers what the client reads on construction', async () => {
    const response = await fetch(`${server.url}/v1/ping/`, {
      headers: { authorization: 'Token mc-reference-token' },
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      status: 'ok',
      org_id: expect.any(String),
      project_id: expect.any(String),
    });
  });

  it('serves the official client end to end', async () => {
    const client = new MemoryClient({ apiKey: 'mc-reference-token', host: server.targets.mem0 });
    const results = (await client.search('Portugal Lisbon travel', {
      user_id: 'priya',
    })) as unknown as Memory[];
    expect(results.length).toBeGreaterThan(0);
    expect(results.every((memory) => memory.user_id === 'priya')).toBe(true);
  });
});

describe('POST /v2/memories/search/ and /v3/memories/search/', () => {
  const V2 = '/v2/memories/search/';
  const V3 = '/v3/memories/search/';
  const ids = (results: Memory[]) => results.map((memory) => memory.id);

  it('v2 answers a bare array, v3 {results}, both scoped by the entity ids inside filters', async () => {
    const v2 = await search({ query: 'Japan trip', filters: { AND: [{ user_id: 'alex' }] } }, AUTH, V2);
    const v3 = await search({ query: 'Japan trip', filters: { user_id: 'alex' } }, AUTH, V3);
    expect(v2.status).toBe(200);
    expect(v3.status).toBe(200);
    expect(Array.isArray(v2.body)).toBe(true);
    expect(Object.keys(v3.body)).toEqual(['results']);
    expect(ids(v3.body.results)).toEqual(ids(v2.body));
    expect(v2.body.length).toBeGreaterThan(0);
    for (const memory of v2.body as Memory[]) expect(memory.user_id).toBe('alex');
  });

  it('ANDs, ORs and NOTs filter members; v2 names the run session_id, v3 run_id', async () => {
    const scoped = { AND: [{ user_id: 'alex' }, { agent_id: 'travel-agent' }, { run_id: 'run-japan-001' }] };
    const v2 = (await search({ query: 'Kyoto ryokan vegetarian', filters: scoped }, AUTH, V2))
      .body as Memory[];
    expect(v2.length).toBe(2);
    for (const memory of v2) expect(memory.session_id).toBe('run-japan-001');
    const v3 = (await search({ query: 'Kyoto ryokan vegetarian', filters: scoped }, AUTH, V3)).body;
    for (const memory of v3.results as Memory[]) expect(memory.run_id).toBe('run-japan-001');

    const either = { OR: [{ user_id: 'priya' }, { agent_id: { in: ['travel-agent'] } }] };
    const or = (await search({ query: 'passport Lisbon booking', filters: either }, AUTH, V3)).body
      .results as Memory[];
    expect(or.every((m) => m.user_id === 'priya' || m.agent_id === 'travel-agent')).toBe(true);
    expect(or.some((m) => m.user_id === 'priya') && or.some((m) => m.user_id === null)).toBe(true);

    const notFood = { user_id: 'alex', NOT: [{ categories: { contains: 'food' } }] };
    const not = (await search({ query: 'food trip Japan', filters: notFood, threshold: 0 }, AUTH, V3)).body
      .results;
    expect(not.length).toBeGreaterThan(0);
    for (const memory of not as Memory[]) expect(memory.categories).not.toContain('food');
    // NOT is v3 only (v2 documents AND/OR).
    expect((await search({ query: 'food', filters: notFood }, AUTH, V2)).status).toBe(400);
  });

  it('cuts below threshold (v2 default 0.3, v3 default 0.1, 0 disables) and applies top_k', async () => {
    const body = { query: 'food travel trip', filters: { user_id: 'alex' } };
    const all = (await search({ ...body, threshold: 0 }, AUTH, V3)).body.results as Memory[];
    const cut = (await search({ ...body, threshold: 0.39 }, AUTH, V3)).body.results as Memory[];
    expect(all.length).toBeGreaterThan(cut.length);
    expect(cut.every((memory) => memory.score >= 0.39)).toBe(true);
    expect(ids(all)).toEqual(expect.arrayContaining(ids(cut)));
    const v2 = (await search(body, AUTH, V2)).body as Memory[];
    expect(v2.every((memory) => memory.score >= 0.3)).toBe(true);
    expect((await search({ ...body, top_k: 1, threshold: 0 }, AUTH, V3)).body.results).toHaveLength(1);
  });

  it('gives an unknown user an empty answer', async () => {
    expect((await search({ query: 'food', filters: { user_id: 'nobody' } }, AUTH, V2)).body).toEqual([]);
    expect((await search({ query: 'food', filters: { user_id: 'nobody' } }, AUTH, V3)).body).toEqual({
      results: [],
    });
  });

  it.each([
    ['no filters', V3, { query: 'food' }],
    ['an empty query', V3, { query: '', filters: { user_id: 'alex' } }],
    ['a top-level user_id', V3, { query: 'food', user_id: 'alex', filters: { user_id: 'alex' } }],
    ['a filter scoped to no entity', V3, { query: 'food', filters: { categories: { in: ['food'] } } }],
    [
      'an OR with an unscoped member',
      V3,
      { query: 'food', filters: { OR: [{ user_id: 'alex' }, { run_id: '*' }] } },
    ],
    ['top_k 0', V3, { query: 'food', filters: { user_id: 'alex' }, top_k: 0 }],
    ['top_k 1001', V3, { query: 'food', filters: { user_id: 'alex' }, top_k: 1001 }],
    ['threshold 1.5', V3, { query: 'food', filters: { user_id: 'alex' }, threshold: 1.5 }],
    ['an unknown operator', V3, { query: 'food', filters: { user_id: { like: 'al%' } } }],
    ['no filters (v2)', V2, { query: 'food', user_id: 'alex' }],
    ['filters that are a string (v2)', V2, { query: 'food', filters: 'user_id=alex' }],
  ])('answers 400 for %s', async (_name, path, body) => {
    const { status, body: answer } = await search(body, AUTH, path);
    expect(status).toBe(400);
    expect(typeof answer).toBe('object');
  });

  it('tolerates the output_format key mem0ai 3.x sends and refuses a bad key with 401', async () => {
    const body = { query: 'Japan trip', output_format: 'v1.1', filters: { user_id: 'alex' } };
    expect((await search(body, AUTH, V3)).body.results.length).toBeGreaterThan(0);
    const refused = await search(body, { ...AUTH, authorization: 'Token wrong' }, V3);
    expect(refused).toEqual({ status: 401, body: { detail: expect.stringContaining('Invalid API key') } });
  });
});
