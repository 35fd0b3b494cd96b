import { describe, expect, it } from 'vitest';
import type { ApiName } from '../apis.js';
import {
  episode,
  expectedFinding,
  feature,
  mem0Item,
  memmachineAnswer,
  memosAnswer,
  memosItem,
  type ReducedOutcome,
  requestSpecView,
  runReduced,
} from '../testing/behaviour.js';
import { makeContext, type StepInput } from '../testing/context.js';
import { filterNarrowsResults } from './filter-narrows-results.js';

const ms = (iso: string) => Date.parse(iso);
const fact = (id: string, created: string, tags: string[] = []) =>
  memosItem(id, { create_time: ms(created), update_time: ms(created), tags });
const finding = (pointer: string, step = 'request') =>
  expectedFinding(filterNarrowsResults, { pointer, step });
const memos = (filter: unknown, memory: Record<string, unknown>[]): StepInput => ({
  body: { user_id: 'u', query: 'q', filter },
  status: 200,
  response: memosAnswer({ memory }),
});
const machine = (
  filter: string,
  longTerm: Record<string, unknown>[],
  semantic: Record<string, unknown>[] = [],
) => ({
  body: { query: 'q', filter },
  status: 200,
  response: memmachineAnswer({ shortTerm: [], longTerm, semantic }),
});

const cases: { name: string; api: ApiName; steps: StepInput[]; expected: ReducedOutcome }[] = [
  {
    name: 'memos create_time gte a date: all items well after it',
    api: 'memos',
    steps: [memos({ and: [{ create_time: { gte: '2025-09-01' } }] }, [fact('a', '2025-09-12T10:00:00Z')])],
    expected: { status: 'checked', findings: [] },
  },
  {
    name: 'memos create_time gte a date: an item weeks before it',
    api: 'memos',
    steps: [
      memos({ and: [{ create_time: { gte: '2025-09-01' } }] }, [
        fact('a', '2025-09-12T10:00:00Z'),
        fact('b', '2025-07-01T10:00:00Z'),
      ]),
    ],
    expected: { status: 'checked', findings: [finding('/data/memory_detail_list/1/create_time')] },
  },
  {
    name: 'memos near the date boundary the time zone is unknown, so nothing is judged',
    api: 'memos',
    steps: [memos({ and: [{ create_time: { lt: '2025-09-01' } }] }, [fact('a', '2025-09-01T05:00:00Z')])],
    expected: { status: 'vacuous' },
  },
  {
    name: 'memos update_time lt an exact instant',
    api: 'memos',
    steps: [
      memos({ and: [{ update_time: { lt: '2025-09-01T00:00:00Z' } }] }, [fact('a', '2025-09-01T00:00:00Z')]),
    ],
    expected: { status: 'checked', findings: [finding('/data/memory_detail_list/0/update_time')] },
  },
  {
    name: 'memos tags contains: a miss',
    api: 'memos',
    steps: [
      memos({ and: [{ tags: { contains: 'travel' } }] }, [
        fact('a', '2025-09-01T00:00:00Z', ['travel', 'Yunnan']),
        fact('b', '2025-09-01T00:00:00Z', ['food']),
      ]),
    ],
    expected: { status: 'checked', findings: [finding('/data/memory_detail_list/1/tags')] },
  },
  {
    name: 'memos or group: one branch holds',
    api: 'memos',
    steps: [
      memos({ or: [{ tags: { contains: 'travel' } }, { tags: { contains: 'food' } }] }, [
        fact('b', '2025-09-01T00:00:00Z', ['food']),
      ]),
    ],
    expected: { status: 'checked', findings: [] },
  },
  {
    name: 'memos or group with an unevaluable branch cannot fail',
    api: 'memos',
    steps: [
      memos({ or: [{ tags: { contains: 'travel' } }, { scene: 'chat' }] }, [
        fact('b', '2025-09-01T00:00:00Z', ['food']),
      ]),
    ],
    expected: { status: 'not-applicable' },
  },
  {
    name: 'memos and group: the evaluable part still binds',
    api: 'memos',
    steps: [
      memos({ and: [{ scene: 'chat' }, { tags: { contains: 'travel' } }] }, [
        fact('b', '2025-09-01T00:00:00Z', ['food']),
      ]),
    ],
    expected: { status: 'checked', findings: [finding('/data/memory_detail_list/0/tags')] },
  },
  {
    name: 'memos source-specific groups are not evaluated',
    api: 'memos',
    steps: [
      memos({ user: { and: [{ tags: { contains: 'x' } }] } }, [fact('b', '2025-09-01T00:00:00Z', ['food'])]),
    ],
    expected: { status: 'not-applicable' },
  },
  {
    name: 'memos get with a filter',
    api: 'memos',
    steps: [
      {
        body: { user_id: 'u', filter: { and: [{ create_time: { lte: '2025-08-01' } }] } },
        status: 200,
        response: memosAnswer({
          memory: [fact('a', '2025-07-01T00:00:00Z'), fact('b', '2025-09-20T00:00:00Z')],
        }),
      },
    ],
    expected: { status: 'checked', findings: [finding('/data/memory_detail_list/1/create_time')] },
  },
  {
    name: 'memmachine metadata equalities hold (bare and quoted values, m. prefix)',
    api: 'memmachine',
    steps: [
      machine("metadata.user_id='u-123' AND m.topic = food", [
        episode('a', { metadata: { user_id: 'u-123', topic: 'food' } }),
      ]),
    ],
    expected: { status: 'checked', findings: [] },
  },
  {
    name: 'memmachine episode of another user; semantic features are not judged',
    api: 'memmachine',
    steps: [
      machine("metadata.user_id='u-123'", [episode('a', { metadata: { user_id: 'u-456' } })], [feature('f')]),
    ],
    expected: {
      status: 'checked',
      findings: [finding('/content/episodic_memory/long_term_memory/episodes/0/metadata/user_id')],
    },
  },
  {
    name: 'memmachine bare numbers are numbers (MM-FLT): 123 matches 123',
    api: 'memmachine',
    steps: [machine('metadata.user_id=123', [episode('a', { metadata: { user_id: 123 } })])],
    expected: { status: 'checked', findings: [] },
  },
  {
    name: "memmachine bare numbers are numbers: the text '123' does not match 123",
    api: 'memmachine',
    steps: [machine('metadata.user_id=123', [episode('a', { metadata: { user_id: '123' } })])],
    expected: {
      status: 'checked',
      findings: [finding('/content/episodic_memory/long_term_memory/episodes/0/metadata/user_id')],
    },
  },
  {
    name: "memmachine quoted values are text: 123 does not match '123'",
    api: 'memmachine',
    steps: [machine("metadata.user_id='123'", [episode('a', { metadata: { user_id: 123 } })])],
    expected: {
      status: 'checked',
      findings: [finding('/content/episodic_memory/long_term_memory/episodes/0/metadata/user_id')],
    },
  },
  {
    name: 'memmachine filters the vendor refuses are not judged (a bare u-123 is a 422)',
    api: 'memmachine',
    steps: [machine('metadata.user_id=u-123', [episode('a', { metadata: { user_id: 'u-456' } })])],
    expected: { status: 'not-applicable' },
  },
  {
    name: 'memmachine OR filters are not evaluated',
    api: 'memmachine',
    steps: [
      machine('metadata.user_id=1 OR metadata.user_id=2', [episode('a', { metadata: { user_id: '3' } })]),
    ],
    expected: { status: 'not-applicable' },
  },
  {
    name: 'mem0 categories: one shared category is enough',
    api: 'mem0',
    steps: [
      {
        body: { query: 'q', user_id: 'alex', categories: ['travel'] },
        status: 200,
        response: [mem0Item('a', { categories: ['travel', 'food'] })],
      },
    ],
    expected: { status: 'checked', findings: [] },
  },
  {
    name: 'mem0 categories: an item outside them',
    api: 'mem0',
    steps: [
      {
        body: { query: 'q', user_id: 'alex', categories: ['travel'] },
        status: 200,
        response: [mem0Item('a', { categories: ['travel'] }), mem0Item('b', { categories: ['food'] })],
      },
    ],
    expected: { status: 'checked', findings: [finding('/1/categories')] },
  },
  {
    name: 'mem0 v3 categories `in` inside the filter AND list: an item outside them',
    api: 'mem0',
    steps: [
      {
        operation: 'searchMemoriesV3',
        body: { query: 'q', filters: { AND: [{ user_id: 'alex' }, { categories: { in: ['travel'] } }] } },
        status: 200,
        response: {
          results: [mem0Item('a', { categories: ['travel'] }), mem0Item('b', { categories: ['food'] })],
        },
      },
    ],
    expected: { status: 'checked', findings: [finding('/results/1/categories')] },
  },
  {
    name: 'mem0 v3 top-level metadata kept',
    api: 'mem0',
    steps: [
      {
        operation: 'searchMemoriesV3',
        body: { query: 'q', filters: { user_id: 'alex' }, metadata: { trip: 'japan-2025' } },
        status: 200,
        response: { results: [mem0Item('a', { metadata: { trip: 'japan-2025' } })] },
      },
    ],
    expected: { status: 'checked', findings: [] },
  },
  {
    name: 'mem0 metadata equality: a mismatch in v1.1',
    api: 'mem0',
    steps: [
      {
        body: { query: 'q', user_id: 'alex', metadata: { trip: 'japan-2025' }, output_format: 'v1.1' },
        status: 200,
        response: { results: [mem0Item('a', { metadata: { trip: 'peru' } })], relations: [] },
      },
    ],
    expected: { status: 'checked', findings: [finding('/results/0/metadata/trip')] },
  },
  {
    name: 'no filter is not applicable',
    api: 'mem0',
    steps: [{ body: { query: 'q', user_id: 'alex' }, status: 200, response: [mem0Item('a')] }],
    expected: { status: 'not-applicable' },
  },
  {
    name: 'an empty answer proves nothing',
    api: 'mem0',
    steps: [{ body: { query: 'q', user_id: 'alex', categories: ['travel'] }, status: 200, response: [] }],
    expected: { status: 'vacuous' },
  },
];

describe('filter-narrows-results', () => {
  it.each(cases)('$name', ({ api, steps, expected }) => {
    const isGet = api === 'memos' && !(steps[0]?.body as { query?: string } | undefined)?.query;
    const operation = api === 'memos' ? (isGet ? 'getMemory' : 'searchMemory') : 'searchMemories';
    const context = makeContext({ api, operation, steps, spec: requestSpecView(api) });
    expect(runReduced(filterNarrowsResults, context)).toEqual(expected);
  });
});
