import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadReferenceDataset } from '../dataset.js';
import { type RunningReference, startReferenceServer } from '../index.js';

let server: RunningReference;
beforeAll(async () => {
  server = await startReferenceServer();
});
afterAll(() => server.close());

const AUTH = { authorization: 'Token mc-reference-token', 'content-type': 'application/json' };
type Item = Record<string, unknown> & { id: string; relativity: number; create_time: number };

async function call(op: 'search' | 'get', body: unknown, headers: Record<string, string> = AUTH) {
  const response = await fetch(`${server.targets.memos}/${op}/memory`, {
    method: 'POST',
    headers,
    body: JSON.stringify(body),
  });
  // biome-ignore lint/suspicious/noExplicitAny: test bodies are inspected loosely
  return { status: response.status, body: (await response.json()) as any };
}

const YUNNAN = "I'm going to Yunnan for National Day. Any food recommendations?";
const search = (extra: Record<string, unknown> = {}) =>
  call('search', { user_id: 'memos_user_345', query: YUNNAN, ...extra });

describe('POST /search/memory', () => {
  it('answers the envelope with every list, int-ms times and relativity >= 0.45 by default', async () => {
    const { status, body } = await search();
    expect(status).toBe(200);
    expect(body).toMatchObject({ code: 0, message: 'ok' });
    const facts: Item[] = body.data.memory_detail_list;
    expect(facts.length).toBeGreaterThan(2);
    expect(facts.length).toBeLessThanOrEqual(9);
    for (const fact of facts) {
      expect(fact.relativity).toBeGreaterThanOrEqual(0.45);
      expect(Number.isInteger(fact.create_time)).toBe(true);
      expect(Object.keys(fact).sort()).toEqual([
        'confidence',
        'conversation_id',
        'create_time',
        'id',
        'memory_key',
        'memory_type',
        'memory_value',
        'relativity',
        'status',
        'tags',
        'update_time',
      ]);
    }
    expect(body.data.tool_memory_detail_list).toEqual([]);
    expect(typeof body.data.preference_note).toBe('string');
  });

  it('orders every list by relativity, descending', async () => {
    const { body } = await search({ relativity: 0, include_tool_memory: true, memory_limit_number: 25 });
    for (const list of ['memory_detail_list', 'preference_detail_list', 'tool_memory_detail_list']) {
      const scores = (body.data[list] as Item[]).map((item) => item.relativity);
      expect(scores).toEqual([...scores].sort((a, b) => b - a));
    }
  });

  it('relativity cuts: 0 disables the threshold, a high one keeps only strong matches', async () => {
    const all = (await search({ relativity: 0, memory_limit_number: 25 })).body.data
      .memory_detail_list as Item[];
    const strong = (await search({ relativity: 0.7 })).body.data.memory_detail_list as Item[];
    const normal = (await search()).body.data.memory_detail_list as Item[];
    expect(all.length).toBeGreaterThan(normal.length);
    expect(strong.length).toBeLessThan(normal.length);
    expect(strong.every((item) => item.relativity >= 0.7)).toBe(true);
  });

  it('applies memory_limit_number, preference_limit_number and tool_memory_limit_number', async () => {
    const { body } = await search({
      relativity: 0,
      memory_limit_number: 2,
      preference_limit_number: 1,
      include_tool_memory: true,
      tool_memory_limit_number: 1,
    });
    expect(body.data.memory_detail_list).toHaveLength(2);
    expect(body.data.preference_detail_list).toHaveLength(1);
    expect(body.data.tool_memory_detail_list).toHaveLength(1);
  });

  it('include_preference false empties preferences; include_skill adds the skill list', async () => {
    const { body } = await search({ include_preference: false, include_skill: true });
    expect(body.data.preference_detail_list).toEqual([]);
    expect(body.data.preference_note).toBe('');
    expect(body.data.skill_detail_list).toEqual([]);
  });

  it('conversation_id boosts that conversation without narrowing', async () => {
    const plain = (await search({ query: 'spicy food travel', relativity: 0, memory_limit_number: 25 })).body
      .data.memory_detail_list as Item[];
    const boosted = (
      await search({
        query: 'spicy food travel',
        relativity: 0,
        memory_limit_number: 25,
        conversation_id: 'memos_conversation_345',
      })
    ).body.data.memory_detail_list as Item[];
    expect(boosted.map((item) => item.id).sort()).toEqual(plain.map((item) => item.id).sort());
    const before = plain.find(
      (item) => item.conversation_id === 'memos_conversation_345' && item.relativity > 0,
    ) as Item;
    const after = boosted.find((item) => item.id === before.id) as Item;
    expect(after.relativity).toBeGreaterThan(before.relativity);
  });

  it.each([
    [
      'tags contains',
      { tags: { contains: 'Yunnan' } },
      (item: Item) => (item.tags as string[]).includes('Yunnan'),
    ],
    [
      'create_time gte',
      { and: [{ create_time: { gte: '2025-09-29' } }] },
      (item: Item) => item.create_time >= Date.parse('2025-09-29'),
    ],
    [
      'info key by bare name',
      { and: [{ scene: 'chat' }] },
      (item: Item) =>
        ['memos_conversation_345', 'memos_conversation_456'].includes(item.conversation_id as string),
    ],
    [
      'agent_id',
      { user: { and: [{ agent_id: 'travel-agent' }] }, agent: { and: [{ agent_id: 'travel-agent' }] } },
      (item: Item) => ['memos_conversation_789'].includes(item.conversation_id as string),
    ],
  ])('filter %s narrows the candidates', async (_name, filter, holds) => {
    const all = (await search({ relativity: 0, memory_limit_number: 25 })).body.data
      .memory_detail_list as Item[];
    const { status, body } = await search({ relativity: 0, memory_limit_number: 25, filter });
    expect(status).toBe(200);
    const narrowed = body.data.memory_detail_list as Item[];
    expect(narrowed.length).toBeGreaterThan(0);
    expect(narrowed.length).toBeLessThan(all.length);
    expect(narrowed.every(holds)).toBe(true);
  });

  it('filter "or" unions its conditions', async () => {
    const { body } = await search({
      relativity: 0,
      memory_limit_number: 25,
      filter: { or: [{ tags: { contains: 'work' } }, { tags: { contains: 'pets' } }] },
    });
    const keys = (body.data.memory_detail_list as Item[]).map((item) => item.memory_key).sort();
    expect(keys).toEqual(['Cat owner', 'Weekly team retro', 'Works as a product designer']);
  });

  it('isolates users and answers an unknown user with empty lists', async () => {
    const other = await call('search', {
      user_id: 'memos_user_678',
      query: YUNNAN,
      relativity: 0,
      memory_limit_number: 25,
    });
    const mine = new Set(
      ((await search({ relativity: 0, memory_limit_number: 25 })).body.data.memory_detail_list as Item[]).map(
        (i) => i.id,
      ),
    );
    expect((other.body.data.memory_detail_list as Item[]).some((item) => mine.has(item.id))).toBe(false);
    const unknown = await call('search', { user_id: 'nobody-here', query: YUNNAN });
    expect(unknown.status).toBe(200);
    expect(unknown.body.data).toEqual({
      memory_detail_list: [],
      preference_detail_list: [],
      tool_memory_detail_list: [],
      preference_note: '',
    });
  });

  it('takes agent_id in place of user_id (M-CLI) and refuses a body naming neither', async () => {
    const byAgent = await call('search', {
      user_id: null,
      agent_id: 'travel-agent',
      query: YUNNAN,
      relativity: 0,
    });
    expect(byAgent.status).toBe(200);
    expect(byAgent.body.code).toBe(0);
    const found = byAgent.body.data.memory_detail_list as Item[];
    expect(found.length).toBeGreaterThan(0);
    const dataset = await loadReferenceDataset();
    const agentFacts = new Set(
      dataset.memos.users.flatMap((u) =>
        u.facts.filter((f) => f.agent_id === 'travel-agent').map((f) => f.id),
      ),
    );
    expect(found.every((item) => agentFacts.has(item.id))).toBe(true);
    const listed = await call('get', { agent_id: 'travel-agent' });
    expect(listed.status).toBe(200);
    for (const body of [{ query: YUNNAN }, { user_id: null, agent_id: null, query: YUNNAN }]) {
      const neither = await call('search', body);
      expect(neither.body.code).not.toBe(0);
    }
  });

  it('accepts null for every optional field and ignores unknown fields', async () => {
    const nulls = Object.fromEntries(
      [
        'conversation_id',
        'filter',
        'knowledgebase_ids',
        'memory_limit_number',
        'include_preference',
        'preference_limit_number',
        'include_tool_memory',
        'tool_memory_limit_number',
        'include_skill',
        'skill_limit_number',
        'relativity',
        'agent_id',
        'source',
        'include_memory_view',
        'context_format',
      ].map((key) => [key, null]),
    );
    const { status, body } = await search({ ...nulls, brand_new_field: 1 });
    expect(status).toBe(200);
    expect(body.data.memory_detail_list.length).toBeGreaterThan(0);
  });

  it.each([
    ['empty query', { query: '' }, 400, 40002],
    ['missing query', { query: undefined }, 400, 40002],
    ['missing user_id', { user_id: undefined }, 400, 40002],
    ['user_id over 100', { user_id: 'u'.repeat(101) }, 400, 40010],
    ['conversation_id over 100', { conversation_id: 'c'.repeat(101) }, 400, 40011],
    ['memory_limit_number over 25', { memory_limit_number: 26 }, 400, 40000],
    ['relativity over 1', { relativity: 2 }, 400, 40000],
    ['wrong type', { include_preference: 'yes' }, 400, 40000],
    ['bad filter', { filter: { create_time: { since: '2025-01-01' } } }, 400, 40000],
  ])('%s -> %s / %s', async (_name, change, status, code) => {
    const response = await search(change);
    expect(response.status).toBe(status);
    expect(response.body).toMatchObject({ code, data: null });
    expect(typeof response.body.message).toBe('string');
  });

  it('answers 401 with 40100 without a key and 40132 with a bad one', async () => {
    const missing = await call(
      'search',
      { user_id: 'memos_user_345', query: 'x' },
      { 'content-type': 'application/json' },
    );
    expect([missing.status, missing.body.code]).toEqual([401, 40100]);
    const bad = await call(
      'search',
      { user_id: 'memos_user_345', query: 'x' },
      { ...AUTH, authorization: 'Token wrong' },
    );
    expect([bad.status, bad.body.code]).toEqual([401, 40132]);
  });
});

describe('POST /get/memory', () => {
  const get = (extra: Record<string, unknown> = {}) => call('get', { user_id: 'memos_user_345', ...extra });

  it('pages every list with total = longest list and pages = ceil(total / size)', async () => {
    const first = await get();
    expect(first.status).toBe(200);
    const data = first.body.data;
    expect(data).toMatchObject({ size: 10, current: 1 });
    expect(data.total).toBeGreaterThan(20);
    expect(data.pages).toBe(Math.ceil(data.total / 10));
    expect(data.memory_detail_list).toHaveLength(10);
    expect(data.tool_memory_detail_list.length).toBeGreaterThan(0); // include_tool_memory defaults to true here
    expect(Object.keys(data.memory_detail_list[0])).toEqual(expect.arrayContaining(['sources', 'info']));
    expect(data.memory_detail_list[0]).not.toHaveProperty('relativity');
  });

  it('walks all pages without overlap or gaps, newest first', async () => {
    const size = 7;
    const { pages, total } = (await get({ size })).body.data;
    const seen: Item[] = [];
    for (let page = 1; page <= pages; page += 1) {
      const { body } = await get({ size, page });
      expect(body.data).toMatchObject({ current: page, size, total, pages });
      seen.push(...body.data.memory_detail_list);
    }
    expect(seen).toHaveLength(total);
    expect(new Set(seen.map((item) => item.id)).size).toBe(total);
    const times = seen.map((item) => item.create_time);
    expect(times).toEqual([...times].sort((a, b) => b - a));
  });

  it('answers a page past the last with empty lists and the same totals', async () => {
    const { total, pages } = (await get()).body.data;
    const { body } = await get({ page: pages + 3 });
    expect(body.data).toMatchObject({
      total,
      pages,
      current: pages + 3,
      memory_detail_list: [],
      preference_detail_list: [],
      tool_memory_detail_list: [],
    });
  });

  it('honours include switches, filters and the size cap', async () => {
    const off = (await get({ include_preference: false, include_tool_memory: false })).body.data;
    expect([off.preference_detail_list, off.tool_memory_detail_list]).toEqual([[], []]);
    const filtered = (await get({ size: 50, filter: { and: [{ tags: { contains: 'Yunnan' } }] } })).body.data;
    expect(filtered.memory_detail_list.length).toBeGreaterThan(0);
    expect(
      filtered.memory_detail_list.every((item: Item) => (item.tags as string[]).includes('Yunnan')),
    ).toBe(true);
    const tooBig = await get({ size: 51 });
    expect([tooBig.status, tooBig.body.code]).toEqual([400, 40000]);
  });

  it('answers an unknown user with empty lists and zero totals', async () => {
    const { status, body } = await call('get', { user_id: 'nobody-here' });
    expect(status).toBe(200);
    expect(body.data).toMatchObject({ total: 0, pages: 0, memory_detail_list: [] });
  });
});
