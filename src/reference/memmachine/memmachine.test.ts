import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningReference, startReferenceServer } from '../index.js';

let server: RunningReference;
beforeAll(async () => {
  server = await startReferenceServer();
});
afterAll(() => server.close());

type Episode = Record<string, unknown> & {
  uid: string;
  created_at: string;
  score?: number;
  metadata: Record<string, unknown>;
};

async function selfHosted(body: unknown) {
  const response = await fetch(`${server.targets.memmachineSelfHosted}/v2/memories/search`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  // biome-ignore lint/suspicious/noExplicitAny: test bodies are inspected loosely
  return { status: response.status, body: (await response.json()) as any };
}

async function hosted(body: unknown, token: string | null = 'mc-reference-token') {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (token !== null) headers.authorization = `Bearer ${token}`;
  const response = await fetch(`${server.targets.memmachine}/v2/memories/search`, {
    method: 'POST',
    headers,
    body: JSON.stringify(body),
  });
  // biome-ignore lint/suspicious/noExplicitAny: test bodies are inspected loosely
  return { status: response.status, body: (await response.json()) as any };
}

const longTerm = (body: { content: { episodic_memory: { long_term_memory: { episodes: Episode[] } } } }) =>
  body.content.episodic_memory.long_term_memory.episodes;
const shortTerm = (body: { content: { episodic_memory: { short_term_memory: { episodes: Episode[] } } } }) =>
  body.content.episodic_memory.short_term_memory.episodes;
const time = (episode: Episode) => Date.parse(episode.created_at);

describe('POST /v2/memories/search', () => {
  it('answers both memory types with nulls omitted, scores only on long-term episodes', async () => {
    const { status, body } = await selfHosted({ query: 'Lisbon trip hotel metro' });
    expect(status).toBe(200);
    expect(body.status).toBe(0);
    expect(Object.keys(body.content).sort()).toEqual(['episodic_memory', 'semantic_memory']);
    expect(longTerm(body).length).toBeGreaterThan(0);
    expect(longTerm(body).every((episode) => typeof episode.score === 'number')).toBe(true);
    expect(shortTerm(body).every((episode) => !('score' in episode))).toBe(true);
    expect(body.content.episodic_memory.short_term_memory.episode_summary).toHaveLength(1);
    expect(JSON.stringify(body)).not.toContain('null');
    expect(
      body.content.semantic_memory.map((feature: { feature_name: string }) => feature.feature_name),
    ).toContain('destination');
  });

  it('returns long-term episodes in chronological order and never repeats a short-term episode', async () => {
    const { body } = await selfHosted({
      query: 'budget debt index funds savings Lisbon knee curry roadmap',
      top_k: 20,
    });
    const episodes = longTerm(body);
    expect(episodes.length).toBeGreaterThan(3);
    const times = episodes.map(time);
    expect(times).toEqual([...times].sort((a, b) => a - b));
    const scores = episodes.map((episode) => episode.score as number);
    expect(scores).not.toEqual([...scores].sort((a, b) => b - a)); // so the test proves time order, not score order
    const shortUids = new Set(shortTerm(body).map((episode) => episode.uid));
    expect(episodes.some((episode) => shortUids.has(episode.uid))).toBe(false);
  });

  it('caps each list by top_k separately', async () => {
    const { body } = await selfHosted({
      query: 'budget debt index funds savings Lisbon knee curry roadmap food',
      top_k: 2,
    });
    expect(longTerm(body)).toHaveLength(2);
    expect(shortTerm(body)).toHaveLength(2);
    expect(body.content.semantic_memory).toHaveLength(2);
  });

  it('switches memory types', async () => {
    expect(Object.keys((await selfHosted({ query: 'Lisbon', types: ['semantic'] })).body.content)).toEqual([
      'semantic_memory',
    ]);
    expect(Object.keys((await selfHosted({ query: 'Lisbon', types: ['episodic'] })).body.content)).toEqual([
      'episodic_memory',
    ]);
    expect(Object.keys((await selfHosted({ query: 'Lisbon', types: [] })).body.content).sort()).toEqual([
      'episodic_memory',
      'semantic_memory',
    ]);
  });

  it('applies score_threshold to long-term episodes only', async () => {
    const query = 'budget debt index funds Lisbon';
    const all = longTerm((await selfHosted({ query, top_k: 20 })).body);
    const { body } = await selfHosted({ query, top_k: 20, score_threshold: 0.5 });
    const kept = longTerm(body);
    expect(kept.length).toBeGreaterThan(0);
    expect(kept.length).toBeLessThan(all.length);
    expect(kept.every((episode) => (episode.score as number) >= 0.5)).toBe(true);
    expect(shortTerm(body).length).toBe(shortTerm((await selfHosted({ query, top_k: 20 })).body).length);
  });

  it('expand_context adds a third of it as earlier neighbours and the rest as later ones (MM-DECL)', async () => {
    // s-travel, oldest first: 6a04 7855 d3cf 72ff b8e7 ece9; "pastel de nata" matches d3cf only, and b8e7 and
    // ece9 are short-term episodes (they win over long-term ones).
    const filter = "metadata.session_id = 's-travel'";
    const search = async (extra: Record<string, unknown>) =>
      longTerm((await selfHosted({ query: 'pastel de nata', filter, ...extra })).body);
    const uids = (episodes: { uid: string }[]) => episodes.map((episode) => episode.uid.slice(0, 4));
    const plain = await search({ top_k: 5 });
    expect(uids(plain)).toEqual(['d3cf']);
    // 1 // 3 = 0 earlier, 1 later.
    expect(uids(await search({ top_k: 5, expand_context: 1 }))).toEqual(['d3cf', '72ff']);
    // 3 // 3 = 1 earlier, 2 later; the second later one (b8e7) is short-term, so the long-term list drops it.
    const expanded = await search({ top_k: 5, expand_context: 3 });
    expect(uids(expanded)).toEqual(['7855', 'd3cf', '72ff']);
    expect(new Set(expanded.map((episode) => episode.score))).toEqual(new Set([plain[0]?.score]));
    // Clamped to top_k - 1 = 1.
    expect(uids(await search({ top_k: 2, expand_context: 9 }))).toEqual(['d3cf', '72ff']);
  });

  it('filters by metadata expressions', async () => {
    const query = 'budget debt index funds Lisbon knee curry roadmap';
    const { body } = await selfHosted({
      query,
      top_k: 50,
      filter: "metadata.user_id = 'u-123' AND m.session_id IN ('s-finance')",
    });
    const episodes = [...longTerm(body), ...shortTerm(body)];
    expect(episodes.length).toBeGreaterThan(0);
    expect(episodes.every((episode) => episode.metadata.session_id === 's-finance')).toBe(true);
    const either = await selfHosted({
      query,
      top_k: 50,
      filter: "metadata.user_id = 'u-456' OR metadata.user_id = 'u-789' AND producer_role = user",
    });
    const users = new Set(
      [...longTerm(either.body), ...shortTerm(either.body)].map((episode) => episode.metadata.user_id),
    );
    expect(users).toEqual(new Set(['u-456', 'u-789']));
    const features = either.body.content.semantic_memory as { metadata: { other: { user_id: string } } }[];
    expect(features.every((feature) => ['u-456', 'u-789'].includes(feature.metadata.other.user_id))).toBe(
      true,
    );
  });

  it('isolates projects', async () => {
    const support = await selfHosted({
      query: 'order replacement refund charged',
      org_id: 'acme',
      project_id: 'support-desk',
    });
    expect(longTerm(support.body).length).toBeGreaterThan(0);
    const universal = await selfHosted({ query: 'order replacement refund charged' });
    expect(longTerm(universal.body)).toEqual([]);
  });

  it('answers validation errors as 422 in the self-hosted form', async () => {
    const missing = await selfHosted({ top_k: 3 });
    expect(missing.status).toBe(422);
    expect(missing.body).toEqual({
      detail: {
        code: 422,
        message: 'Invalid request payload: query: Field required',
        exception: 'RequestValidationError',
        internal_error: 'Invalid request payload: query: Field required',
        trace: '',
      },
    });
    for (const body of [
      { query: 'x', types: ['profile'] },
      { query: 'x', filter: 'metadata.a = ' },
      // MM-FLT: `-` matches no token and is skipped, leaving `u` `123`: one token too many (MM-FLT in docs/sources.md)
      { query: 'x', filter: 'metadata.user_id = u-123' },
      { query: 'x', filter: 'nope = 1' },
      { query: 'x', top_k: 'ten' },
    ]) {
      const response = await selfHosted(body);
      expect(response.status).toBe(422);
      expect(response.body.detail.code).toBe(422);
    }
    const unknown = await selfHosted({ query: 'x', project_id: 'nope' });
    expect(unknown.status).toBe(404);
    expect(unknown.body.detail).toMatchObject({ code: 404, message: 'Project does not exist' });
  });

  it('accepts an empty query (no minLength on the server)', async () => {
    const { status, body } = await selfHosted({ query: '' });
    expect(status).toBe(200);
    expect(longTerm(body)).toEqual([]);
    expect(shortTerm(body).length).toBeGreaterThan(0);
  });
});

describe('hosted flavour', () => {
  it('serves the default project for project_id "" and answers the same data as self-hosted universal', async () => {
    const query = { query: 'Lisbon trip hotel metro' };
    const a = await hosted({ ...query, project_id: '' });
    const b = await selfHosted(query);
    expect(a.status).toBe(200);
    expect(a.body).toEqual(b.body);
    const support = await hosted({ query: 'order replacement', project_id: 'support-desk' });
    expect(longTerm(support.body).length).toBeGreaterThan(0);
  });

  it('answers {code, message} errors: 401 without a valid bearer, 422, 404', async () => {
    for (const token of [null, 'wrong']) {
      const response = await hosted({ query: 'x' }, token);
      expect(response.status).toBe(401);
      expect(response.body).toMatchObject({ code: 401, message: expect.any(String) });
    }
    expect((await hosted({})).body).toEqual({
      code: 422,
      message: 'Invalid request payload: query: Field required',
    });
    expect((await hosted({ query: 'x', project_id: 'nope' })).body).toEqual({
      code: 404,
      message: 'Project does not exist',
    });
  });
});

describe('GET /v2/health', () => {
  it.each([
    ['hosted', () => server.targets.memmachine],
    ['self-hosted', () => server.targets.memmachineSelfHosted],
  ])('answers the OSS health body without credentials (%s)', async (_flavour, base) => {
    // The TS client's base_url ends in /v2 and healthCheck() calls {base_url}/health (MM-TS).
    const response = await fetch(`${base()}/v2/health`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      status: 'healthy',
      service: 'memmachine',
      version: expect.any(String),
    });
  });
});
