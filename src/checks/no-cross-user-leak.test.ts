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
import { noCrossUserLeak } from './no-cross-user-leak.js';
import type { TargetInfo } from './types.js';

const finding = (step: string, pointer: string) => expectedFinding(noCrossUserLeak, { step, pointer });
const memos = (user: string, ids: string[], name?: string): StepInput => ({
  ...(name === undefined ? {} : { name }),
  body: { user_id: user, query: 'food' },
  status: 200,
  response: memosAnswer({ memory: ids.map((id) => memosItem(id)) }),
});
const mem0 = (body: Record<string, unknown>, items: Record<string, unknown>[]): StepInput => ({
  body: { query: 'food', ...body },
  status: 200,
  response: items,
});
const machine = (
  user: string,
  episodes: [string, string | undefined][],
  semantic: string[] = [],
): StepInput => ({
  body: { query: 'q', filter: `metadata.user_id='${user}'` },
  status: 200,
  response: memmachineAnswer({
    shortTerm: [],
    longTerm: episodes.map(([uid, owner]) =>
      episode(uid, owner === undefined ? {} : { metadata: { user_id: owner } }),
    ),
    semantic: semantic.map(feature),
  }),
});

const cases: {
  name: string;
  api: ApiName;
  steps: StepInput[];
  target?: Partial<TargetInfo>;
  expected: ReducedOutcome;
}[] = [
  {
    name: 'memos: two users, disjoint results',
    api: 'memos',
    steps: [memos('a', ['m1', 'm2']), memos('b', ['m3'])],
    expected: { status: 'checked', findings: [] },
  },
  {
    name: "memos: one user's memory comes back for another",
    api: 'memos',
    steps: [memos('a', ['m1', 'm2']), memos('b', ['m3', 'm2'], 'other')],
    expected: { status: 'checked', findings: [finding('other', '/data/memory_detail_list/1/id')] },
  },
  {
    name: 'memos: a single user has nothing to compare',
    api: 'memos',
    steps: [memos('a', ['m1'])],
    expected: { status: 'not-applicable' },
  },
  {
    name: 'memos: the other user got nothing',
    api: 'memos',
    steps: [memos('a', ['m1']), memos('b', [])],
    expected: { status: 'vacuous' },
  },
  {
    name: 'mem0: items carry the requested user and agent',
    api: 'mem0',
    steps: [
      mem0({ user_id: 'alex', agent_id: 'travel' }, [
        mem0Item('a', { user_id: 'alex', agent_id: 'travel' }),
        mem0Item('b', { user_id: 'alex' }),
      ]),
    ],
    expected: { status: 'checked', findings: [] },
  },
  {
    name: "mem0: another user's item",
    api: 'mem0',
    steps: [mem0({ user_id: 'alex' }, [mem0Item('a'), mem0Item('b', { user_id: 'priya' })])],
    expected: { status: 'checked', findings: [finding('request', '/1/user_id')] },
  },
  {
    name: 'mem0: an item owned by no user answers a user request',
    api: 'mem0',
    steps: [mem0({ user_id: 'alex' }, [mem0Item('a', { user_id: null, agent_id: 'travel' })])],
    expected: { status: 'checked', findings: [finding('request', '/0/user_id')] },
  },
  {
    name: 'mem0: another run',
    api: 'mem0',
    steps: [mem0({ user_id: 'alex', run_id: 'r1' }, [mem0Item('a', { run_id: 'r2' })])],
    expected: { status: 'checked', findings: [finding('request', '/0/run_id')] },
  },
  {
    name: 'mem0 v3: the user inside filters (top level and AND members) is the owner',
    api: 'mem0',
    steps: [
      {
        operation: 'searchMemoriesV3',
        body: { query: 'food', filters: { AND: [{ user_id: 'alex' }, { run_id: 'r1' }] } },
        status: 200,
        response: {
          results: [mem0Item('a', { run_id: 'r1' }), mem0Item('b', { user_id: 'priya', run_id: 'r1' })],
        },
      },
    ],
    expected: { status: 'checked', findings: [finding('request', '/results/1/user_id')] },
  },
  {
    name: 'mem0 v2: an OR of owners and the wildcard name no owner to compare with',
    api: 'mem0',
    steps: [
      {
        operation: 'searchMemoriesV2',
        body: { query: 'food', filters: { OR: [{ user_id: 'alex' }, { agent_id: 'a' }], run_id: '*' } },
        status: 200,
        response: [mem0Item('a', { user_id: 'priya' })],
      },
    ],
    expected: { status: 'not-applicable' },
  },
  {
    name: 'mem0: items restricted by fields carry no owner to compare',
    api: 'mem0',
    steps: [mem0({ user_id: 'alex', fields: ['memory'] }, [{ memory: 'x' }])],
    expected: { status: 'vacuous' },
  },
  {
    name: 'mem0: two users share an id although each item names its user',
    api: 'mem0',
    steps: [
      mem0({ user_id: 'alex' }, [mem0Item('same', { user_id: 'alex' })]),
      mem0({ user_id: 'priya' }, [mem0Item('same', { user_id: 'priya' })]),
    ],
    expected: { status: 'checked', findings: [finding('request-2', '/0/id')] },
  },
  {
    name: 'memmachine: every episode carries the filtered user; semantic features are not scoped',
    api: 'memmachine',
    steps: [machine('u-123', [['e1', 'u-123']], ['f1']), machine('u-456', [['e2', 'u-456']], ['f1'])],
    expected: { status: 'checked', findings: [] },
  },
  {
    name: 'memmachine: an episode of another user, and one with no user',
    api: 'memmachine',
    steps: [
      machine('u-123', [
        ['e1', 'u-123'],
        ['e2', 'u-456'],
        ['e3', undefined],
      ]),
    ],
    expected: {
      status: 'checked',
      findings: [finding('request', '/content/episodic_memory/long_term_memory/episodes/1/metadata/user_id')],
    },
  },
  {
    name: 'memmachine self-hosted: two projects (the default universal/universal and another) share no episode or feature',
    api: 'memmachine',
    target: { flavour: 'self-hosted' },
    steps: [
      {
        body: { query: 'q' },
        status: 200,
        response: memmachineAnswer({ longTerm: [episode('e1')], semantic: [feature('f1')] }),
      },
      {
        body: { query: 'q', org_id: 'acme', project_id: 'desk' },
        status: 200,
        response: memmachineAnswer({ longTerm: [episode('e2')], semantic: [feature('f1')] }),
      },
    ],
    expected: {
      status: 'checked',
      findings: [finding('request-2', '/content/semantic_memory/0/metadata/id')],
    },
  },
  {
    name: 'memmachine hosted: the default project has no known name, so it is not compared',
    api: 'memmachine',
    steps: [
      {
        body: { query: 'q', org_id: 'x' },
        status: 200,
        response: memmachineAnswer({ longTerm: [episode('e1')] }),
      },
      {
        body: { query: 'q', project_id: 'desk' },
        status: 200,
        response: memmachineAnswer({ longTerm: [episode('e1')] }),
      },
    ],
    expected: { status: 'not-applicable' },
  },
  {
    name: 'memmachine hosted: org_id is ignored, two named projects are compared',
    api: 'memmachine',
    steps: [
      {
        body: { query: 'q', project_id: 'a', org_id: 'o1' },
        status: 200,
        response: memmachineAnswer({ longTerm: [episode('e1')] }),
      },
      {
        body: { query: 'q', project_id: 'a', org_id: 'o2' },
        status: 200,
        response: memmachineAnswer({ longTerm: [episode('e1')] }),
      },
      {
        body: { query: 'q', project_id: 'b' },
        status: 200,
        response: memmachineAnswer({ longTerm: [episode('e3')] }),
      },
    ],
    expected: { status: 'checked', findings: [] },
  },
  {
    name: 'memmachine: no user filter is not applicable',
    api: 'memmachine',
    steps: [{ body: { query: 'q' }, status: 200, response: memmachineAnswer({ longTerm: [episode('e')] }) }],
    expected: { status: 'not-applicable' },
  },
];

describe('no-cross-user-leak', () => {
  it.each(cases)('$name', ({ api, steps, target, expected }) => {
    const operation = api === 'memos' ? 'searchMemory' : 'searchMemories';
    const context = makeContext({
      api,
      operation,
      steps,
      spec: requestSpecView(api),
      ...(target ? { target } : {}),
    });
    expect(runReduced(noCrossUserLeak, context)).toEqual(expected);
  });
});
