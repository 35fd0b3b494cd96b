import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FaultSwitches } from './faults.js';
import {
  FAULTS,
  type Fault,
  loadReferenceDataset,
  type ReferenceDataset,
  type RunningReference,
  startReferenceServer,
} from './index.js';

const TOKEN = 'mc-reference-token';
interface Answer {
  status: number;
  contentType: string | null;
  // biome-ignore lint/suspicious/noExplicitAny: answers are inspected loosely
  body: any;
}

async function call(
  server: RunningReference,
  path: string,
  body: unknown,
  auth: string | null = `Token ${TOKEN}`,
  raw?: string,
): Promise<Answer> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (auth !== null) headers.authorization = auth;
  const response = await fetch(`${server.url}${path}`, {
    method: 'POST',
    headers,
    body: raw ?? JSON.stringify(body),
  });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {}
  return { status: response.status, contentType: response.headers.get('content-type'), body: parsed };
}

const memosSearch = (server: RunningReference, body: Record<string, unknown>) =>
  call(server, '/api/openmem/v1/search/memory', {
    user_id: 'memos_user_345',
    query: 'spicy food Yunnan trip',
    ...body,
  });
const memosGet = (server: RunningReference, body: Record<string, unknown>) =>
  call(server, '/api/openmem/v1/get/memory', { user_id: 'memos_user_345', ...body });
const mem0Search = (server: RunningReference, body: Record<string, unknown>) =>
  call(server, '/v1/memories/search/', { user_id: 'alex', query: 'Japan trip vegetarian food', ...body });
const mmSearch = (server: RunningReference, body: Record<string, unknown>) =>
  call(
    server,
    '/api/v2/memories/search',
    { query: 'budget debt index funds Lisbon knee curry roadmap', top_k: 20, ...body },
    null,
  );

const ids = (list: { id?: string; uid?: string }[]) => list.map((item) => item.id ?? item.uid);
const relativities = (answer: Answer): number[] =>
  answer.body.data.memory_detail_list.map((item: { relativity: number }) => item.relativity);
const longTerm = (answer: Answer) => answer.body.content.episodic_memory.long_term_memory.episodes;
const shortTerm = (answer: Answer) => answer.body.content.episodic_memory.short_term_memory.episodes;

/** For each fault: a probe that reports true when the broken behaviour is observed. */
const PROBES: Record<Fault, (server: RunningReference) => Promise<boolean>> = {
  'drop-connection': async (s) => {
    try {
      await memosSearch(s, {});
      return false;
    } catch {
      return true;
    }
  },
  'limit-before-rank': async (s) => {
    // With a limit that cuts, the answer must be the best items; picked in storage order, it need not be.
    const all = relativities(await memosSearch(s, { memory_limit_number: 25, relativity: 0 }));
    const kept = relativities(await memosSearch(s, { memory_limit_number: 3, relativity: 0 }));
    return JSON.stringify(kept) !== JSON.stringify(all.slice(0, 3));
  },
  'undocumented-status': async (s) => (await memosSearch(s, {})).status === 202,
  'text-content-type': async (s) => (await mem0Search(s, {})).contentType?.startsWith('text/plain') ?? false,
  'wrong-field-type': async (s) => {
    const memos = await memosSearch(s, {});
    const mem0 = await mem0Search(s, {});
    const mm = await mmSearch(s, {});
    return (
      typeof memos.body.data.memory_detail_list[0].create_time === 'string' &&
      typeof mem0.body[0].score === 'string' &&
      shortTerm(mm)[0].score === null
    );
  },
  'accept-invalid-input': async (s) =>
    (await memosSearch(s, { query: '' })).status === 200 &&
    (await mem0Search(s, { query: undefined })).status === 200 &&
    (await mmSearch(s, { query: undefined })).status === 200,
  'crash-on-bad-json': async (s) =>
    (await call(s, '/v1/memories/search/', null, `Token ${TOKEN}`, '{"query":')).status === 500,
  'no-auth': async (s) =>
    (await call(s, '/v1/memories/search/', { user_id: 'alex', query: 'Japan' }, null)).status === 200,
  'ignore-limit': async (s) =>
    (await memosSearch(s, { relativity: 0, memory_limit_number: 2 })).body.data.memory_detail_list.length > 2,
  'unsorted-results': async (s) => {
    const scores = relativities(await memosSearch(s, {}));
    return scores.some((score, index) => index > 0 && score > (scores[index - 1] as number));
  },
  'long-term-by-score': async (s) => {
    const times = longTerm(await mmSearch(s, {})).map((episode: { created_at: string }) =>
      Date.parse(episode.created_at),
    );
    return times.some((time: number, index: number) => index > 0 && time < times[index - 1]);
  },
  'ignore-threshold': async (s) =>
    relativities(await memosSearch(s, { memory_limit_number: 25 })).some((score) => score < 0.45),
  'ignore-type-switches': async (s) =>
    (await memosSearch(s, { include_preference: false })).body.data.preference_detail_list.length > 0 &&
    Array.isArray((await mem0Search(s, { output_format: 'v1.1' })).body) &&
    'episodic_memory' in (await mmSearch(s, { types: ['semantic'] })).body.content,
  'top-k-over-all-lists': async (s) => {
    const answer = await mmSearch(s, { top_k: 2 });
    const kept =
      shortTerm(answer).length + longTerm(answer).length + answer.body.content.semantic_memory.length;
    return kept <= 2;
  },
  'expand-context-ignored': async (s) => {
    // expand_context 4 gives each match of "metro" neighbours that share its score; without them, none do.
    const answer = await mmSearch(s, { query: 'metro', top_k: 5, expand_context: 4, types: ['episodic'] });
    const scores = longTerm(answer).map((episode: { score: number }) => episode.score);
    return new Set(scores).size === scores.length;
  },
  'duplicate-episodes': async (s) => {
    const answer = await mmSearch(s, {});
    const short = new Set(ids(shortTerm(answer)));
    return ids(longTerm(answer)).some((uid) => short.has(uid));
  },
  'wrong-page-count': async (s) => {
    const { data } = (await memosGet(s, {})).body;
    return data.pages !== Math.ceil(data.total / data.size);
  },
  'overlapping-pages': async (s) => {
    const first = ids((await memosGet(s, { size: 5 })).body.data.memory_detail_list);
    const second = ids((await memosGet(s, { size: 5, page: 2 })).body.data.memory_detail_list);
    return second.some((id) => first.includes(id));
  },
  'zero-based-pages': async (s) => {
    const unpaged = ids((await memosGet(s, { size: 5 })).body.data.memory_detail_list);
    const first = ids((await memosGet(s, { size: 5, page: 1 })).body.data.memory_detail_list);
    return first[0] !== unpaged[0];
  },
  'relativity-zero-unset': async (s) =>
    relativities(await memosSearch(s, { relativity: 0, memory_limit_number: 25 })).every(
      (score) => score >= 0.45,
    ),
  'tool-memory-default-from-search': async (s) =>
    (await memosGet(s, {})).body.data.tool_memory_detail_list.length === 0,
  'leak-other-users': async (s) => {
    const answer = await call(s, '/api/openmem/v1/get/memory', { user_id: 'memos_user_678', size: 50 });
    const mine = await call(s, '/api/openmem/v1/get/memory', { user_id: 'memos_user_345', size: 50 });
    const other = new Set(ids(mine.body.data.memory_detail_list));
    return ids(answer.body.data.memory_detail_list).some((id) => other.has(id));
  },
  'ignore-filter': async (s) => {
    const answer = await memosGet(s, { size: 50, filter: { and: [{ tags: { contains: 'Yunnan' } }] } });
    return answer.body.data.memory_detail_list.some(
      (item: { tags: string[] }) => !item.tags.includes('Yunnan'),
    );
  },
  'auth-403': async (s) =>
    (await call(s, '/v1/memories/search/', { user_id: 'alex', query: 'food' }, 'Token not-a-key')).status ===
    403,
  'bare-literal-tokenizer': async (s) =>
    (await mmSearch(s, { filter: 'metadata.user_id=u-123' })).status === 200,
  'unstable-order': async (s) => {
    const first = await memosSearch(s, {});
    const second = await memosSearch(s, {});
    return (
      JSON.stringify(ids(first.body.data.memory_detail_list)) !==
      JSON.stringify(ids(second.body.data.memory_detail_list))
    );
  },
  'reject-nulls': async (s) => (await memosSearch(s, { conversation_id: null })).status === 400,
  'reject-unknown-fields': async (s) => (await mem0Search(s, { limit: 1 })).status === 400,
  'unknown-user-error': async (s) => (await memosSearch(s, { user_id: 'nobody-here' })).status === 404,
  'writes-not-searchable': async (s) => {
    const user = `probe-${Math.random()}`;
    const added = await call(s, '/v3/memories/add/', {
      messages: [{ role: 'user', content: 'Collects vintage typewriters' }],
      user_id: user,
      infer: false,
    });
    const found = await mem0Search(s, { user_id: user, query: 'typewriters' });
    return added.status === 200 && found.body.length === 0;
  },
  'drop-best-match': async (s) => {
    const found = await mem0Search(s, { query: 'Allergic to peanuts', top_k: 25 });
    return !found.body.some((memory: { memory: string }) => memory.memory === 'Allergic to peanuts');
  },
  'deletes-ignored': async (s) => {
    const user = `probe-${Math.random()}`;
    await call(s, '/v3/memories/add/', {
      messages: [{ role: 'user', content: 'Collects vintage typewriters' }],
      user_id: user,
      infer: false,
    });
    const deleted = await fetch(`${s.url}/v1/memories/?user_id=${user}`, {
      method: 'DELETE',
      headers: { authorization: `Token ${TOKEN}` },
    });
    const found = await mem0Search(s, { user_id: user, query: 'typewriters' });
    return deleted.status === 200 && found.body.length === 1;
  },
};

let dataset: ReferenceDataset;
let clean: RunningReference;
beforeAll(async () => {
  dataset = await loadReferenceDataset();
  clean = await startReferenceServer({ dataset });
});
afterAll(() => clean.close());

describe('FAULTS', () => {
  it('has one probe per fault, each with a description', () => {
    expect(Object.keys(PROBES).sort()).toEqual(FAULTS.map((fault) => fault.id).sort());
    expect(FAULTS.every((fault) => fault.description.length > 10)).toBe(true);
  });

  it('rejects unknown fault ids', () => {
    expect(() => new FaultSwitches(['no-such-fault'])).toThrow(
      /Unknown fault "no-such-fault"; valid faults: drop-connection, undocumented-status/,
    );
  });

  it.each(FAULTS.map((fault) => fault.id))(
    '%s breaks what it says and only when switched on',
    async (fault) => {
      const probe = PROBES[fault];
      expect(await probe(clean)).toBe(false);
      const broken = await startReferenceServer({ dataset, faults: [fault] });
      try {
        expect(await probe(broken)).toBe(true);
      } finally {
        await broken.close();
      }
    },
  );
});
