/**
 * The reference as a real memory backend: what the write endpoints add, search and get/memory find at once
 * (for its owner only); deletes remove it; bad write requests get the vendor's errors; every answer keeps
 * its spec (validated with the shipped specs).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiName } from '../apis.js';
import { packageRoot } from '../package.js';
import { loadApiSpec } from '../spec/index.js';
import { emptyReferenceDataset, type RunningReference, startReferenceServer } from './index.js';

const TOKEN = 'mc-reference-token';
let server: RunningReference;
beforeAll(async () => {
  server = await startReferenceServer({ dataset: emptyReferenceDataset() });
});
afterAll(() => server.close());

interface Answer {
  status: number;
  // biome-ignore lint/suspicious/noExplicitAny: answers are inspected loosely
  body: any;
}

async function send(method: string, path: string, body?: unknown, auth = `Token ${TOKEN}`): Promise<Answer> {
  const response = await fetch(`${server.url}${path}`, {
    method,
    headers: { authorization: auth, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, body: text === '' ? undefined : JSON.parse(text) };
}

/** The answer keeps the spec's schema for its status (a 204 has no body to check). */
function keepsSpec(api: ApiName, operationId: string, answer: Answer): void {
  if (answer.body === undefined) return;
  expect(
    loadApiSpec(api, packageRoot()).view.validateResponse(operationId, answer.status, answer.body) ?? [],
  ).toEqual([]);
}

describe('mem0 writes', () => {
  it('v3 add with infer false stores verbatim, returns ids, and search finds only the owner', async () => {
    const added = await send('POST', '/v3/memories/add/', {
      messages: [
        { role: 'user', content: 'Keeps bees on the roof of the flat' },
        { role: 'assistant', content: 'Bees need water nearby' },
      ],
      user_id: 'w-alex',
      metadata: { hobby: 'bees' },
      infer: false,
    });
    expect(added.status).toBe(200);
    keepsSpec('mem0', 'addMemoriesV3', added);
    expect(added.body.status).toBe('SUCCEEDED');
    expect(added.body.results).toHaveLength(2);
    const found = await send('POST', '/v1/memories/search/', { query: 'bees roof', user_id: 'w-alex' });
    keepsSpec('mem0', 'searchMemories', found);
    expect(found.body.map((m: { id: string }) => m.id).sort()).toEqual(
      added.body.results.map((r: { id: string }) => r.id).sort(),
    );
    expect(found.body[0]).toMatchObject({ user_id: 'w-alex', metadata: { hobby: 'bees' } });
    expect(found.body[0].created_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}\+00:00$/);
    expect((await send('POST', '/v1/memories/search/', { query: 'bees', user_id: 'w-priya' })).body).toEqual(
      [],
    );
  });

  it('v1 add queues, stores user messages under infer, and deletes by entity and by id', async () => {
    const added = await send('POST', '/v1/memories/', {
      messages: [
        { role: 'user', content: 'Plays the cello on Sundays' },
        { role: 'assistant', content: 'Lovely instrument' },
      ],
      user_id: 'w-bo',
    });
    keepsSpec('mem0', 'addMemories', added);
    expect(added.body[0].status).toBe('PENDING');
    const found = await send('POST', '/v1/memories/search/', { query: 'cello instrument', user_id: 'w-bo' });
    expect(found.body.map((m: { memory: string }) => m.memory)).toEqual(['Plays the cello on Sundays']);
    const one = await send('DELETE', `/v1/memories/${found.body[0].id}/`);
    keepsSpec('mem0', 'deleteMemory', one);
    expect(one.status).toBe(200);
    expect((await send('DELETE', `/v1/memories/${found.body[0].id}/`)).status).toBe(404);
    expect((await send('DELETE', '/v1/memories/not-a-uuid/')).status).toBe(400);
    await send('POST', '/v3/memories/add/', {
      messages: [{ role: 'user', content: 'Cello' }],
      user_id: 'w-bo',
      infer: false,
    });
    const all = await send('DELETE', '/v1/memories/?user_id=w-bo');
    keepsSpec('mem0', 'deleteMemories', all);
    expect((await send('POST', '/v1/memories/search/', { query: 'cello', user_id: 'w-bo' })).body).toEqual(
      [],
    );
  });

  it('rejects a write without entity, without messages, or with a bad role, and an unfiltered delete', async () => {
    const cases = [
      { messages: [{ role: 'user', content: 'x' }] },
      { user_id: 'w-alex' },
      { user_id: 'w-alex', messages: [] },
      { user_id: 'w-alex', messages: [{ role: 'robot', content: 'x' }] },
    ];
    for (const body of cases) {
      const answer = await send('POST', '/v3/memories/add/', body);
      expect(answer.status, JSON.stringify(body)).toBe(400);
      keepsSpec('mem0', 'addMemoriesV3', answer);
    }
    expect((await send('DELETE', '/v1/memories/')).status).toBe(400);
    expect((await send('POST', '/v3/memories/add/', cases[0], 'Token wrong')).status).toBe(401);
  });
});

describe('memos writes', () => {
  const base = '/api/openmem/v1';
  it('add/message makes facts, preferences and tool memories that search and get/memory see at once', async () => {
    const added = await send('POST', `${base}/add/message`, {
      user_id: 'w-mei',
      conversation_id: 'w-conv',
      messages: [
        { role: 'user', content: 'I prefer quiet tea houses over busy cafes.' },
        {
          role: 'assistant',
          content: 'Noted.',
          tool_calls: [{ id: 'c1', type: 'function', function: { name: 'map_search' } }],
        },
        { role: 'tool', content: 'map_search found three tea houses near the station', tool_call_id: 'c1' },
      ],
      tags: ['tea'],
      info: { scene: 'chat' },
      async_mode: false,
    });
    keepsSpec('memos', 'addMessage', added);
    expect(added.body.data.status).toBe('completed');
    const found = await send('POST', `${base}/search/memory`, {
      user_id: 'w-mei',
      query: 'tea houses',
      include_tool_memory: true,
      relativity: 0,
    });
    keepsSpec('memos', 'searchMemory', found);
    const { data } = found.body;
    expect(data.memory_detail_list).toHaveLength(1);
    expect(data.memory_detail_list[0]).toMatchObject({ conversation_id: 'w-conv', tags: ['tea'] });
    expect(typeof data.memory_detail_list[0].create_time).toBe('number');
    expect(data.preference_detail_list).toHaveLength(1);
    expect(data.tool_memory_detail_list[0].tool_used_status[0].used_tool).toBe('map_search');
    const listed = await send('POST', `${base}/get/memory`, { user_id: 'w-mei', size: 1, page: 1 });
    keepsSpec('memos', 'getMemory', listed);
    expect(listed.body.data.total).toBe(1);
    const other = await send('POST', `${base}/get/memory`, { user_id: 'w-someone', size: 50 });
    expect(other.body.data.memory_detail_list).toEqual([]);

    const ids = [
      data.memory_detail_list[0].id,
      data.preference_detail_list[0].id,
      data.tool_memory_detail_list[0].id,
    ];
    const deleted = await send('POST', `${base}/delete/memory`, { memory_ids: ids });
    keepsSpec('memos', 'deleteMemory', deleted);
    const after = await send('POST', `${base}/get/memory`, { user_id: 'w-mei', size: 50 });
    expect(after.body.data.total).toBe(0);
  });

  it('answers MemOS error codes for bad writes', async () => {
    const missing = await send('POST', `${base}/add/message`, {
      user_id: 'w-mei',
      messages: [{ role: 'user', content: 'x' }],
    });
    expect(missing.body.code).toBe(40002);
    keepsSpec('memos', 'addMessage', missing);
    const long = await send('POST', `${base}/add/message`, {
      user_id: 'u'.repeat(101),
      conversation_id: 'c',
      messages: [{ role: 'user', content: 'x' }],
    });
    expect(long.body.code).toBe(40010);
    expect((await send('POST', `${base}/delete/memory`, { memory_ids: 'x' })).body.code).toBe(40000);
  });
});

describe('memmachine writes', () => {
  for (const [deployment, prefix, auth] of [
    ['hosted', '', `Bearer ${TOKEN}`],
    ['self-hosted', '/api', ''],
  ] as const) {
    it(`${deployment}: creates a project, adds episodes and features, finds them, deletes them`, async () => {
      const scope =
        deployment === 'hosted' ? { project_id: 'w-proj' } : { org_id: 'w-org', project_id: 'w-proj' };
      const created = await send('POST', `${prefix}/v2/projects`, scope, auth);
      expect(created.status).toBe(201);
      keepsSpec('memmachine', 'createProject', created);
      expect((await send('POST', `${prefix}/v2/projects`, scope, auth)).status).toBe(409);
      const messages = [
        'I moved to Porto last year.',
        'Porto has great tiles.',
        'I cycle to work in Porto.',
        'Porto rain is mild.',
      ].map((content, index) => ({
        content,
        producer: 'w-u1',
        role: index % 2 === 0 ? 'user' : 'assistant',
        timestamp: `2025-10-0${index + 1}T10:00:00+00:00`,
        metadata: { user_id: 'w-u1', session_id: 'w-s' },
      }));
      const added = await send('POST', `${prefix}/v2/memories`, { ...scope, messages }, auth);
      keepsSpec('memmachine', 'addMemories', added);
      expect(added.body.results).toHaveLength(4);
      const search = await send(
        'POST',
        `${prefix}/v2/memories/search`,
        { ...scope, query: 'Porto', filter: "metadata.user_id='w-u1'", top_k: 10 },
        auth,
      );
      keepsSpec('memmachine', 'searchMemories', search);
      const { episodic_memory: episodic, semantic_memory: semantic } = search.body.content;
      expect(episodic.short_term_memory.episodes).toHaveLength(3);
      expect(episodic.long_term_memory.episodes).toHaveLength(1);
      expect(semantic).toHaveLength(2);
      const other = await send('POST', `${prefix}/v2/memories/search`, { query: 'Porto', top_k: 10 }, auth);
      expect(JSON.stringify(other.body)).not.toContain('Porto');

      const uids = added.body.results.map((r: { uid: string }) => r.uid);
      expect(
        (
          await send(
            'POST',
            `${prefix}/v2/memories/episodic/delete`,
            { ...scope, episodic_ids: ['nope'] },
            auth,
          )
        ).status,
      ).toBe(404);
      const gone = await send(
        'POST',
        `${prefix}/v2/memories/episodic/delete`,
        { ...scope, episodic_ids: uids },
        auth,
      );
      expect(gone.status).toBe(204);
      const featureIds = semantic.map((f: { metadata: { id: string } }) => f.metadata.id);
      expect(
        (
          await send(
            'POST',
            `${prefix}/v2/memories/semantic/delete`,
            { ...scope, semantic_ids: featureIds },
            auth,
          )
        ).status,
      ).toBe(204);
      const empty = await send('POST', `${prefix}/v2/memories/search`, { ...scope, query: 'Porto' }, auth);
      expect(JSON.stringify(empty.body)).not.toContain('Porto');
      expect((await send('POST', `${prefix}/v2/projects/delete`, scope, auth)).status).toBe(204);
      expect((await send('POST', `${prefix}/v2/memories`, { ...scope, messages }, auth)).status).toBe(404);
    });
  }

  it('answers 422 for bad messages, metadata and timestamps', async () => {
    for (const message of [
      {},
      { content: 'x', metadata: { turn: 1 } },
      { content: 'x', timestamp: 'yesterday' },
    ]) {
      const answer = await send('POST', '/api/v2/memories', { messages: [message] }, '');
      expect(answer.status, JSON.stringify(message)).toBe(422);
      keepsSpec('memmachine', 'addMemories', answer);
    }
    expect((await send('POST', '/api/v2/memories/episodic/delete', {}, '')).status).toBe(422);
  });
});
