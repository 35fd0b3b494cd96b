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
import { resultLimitRespected } from './result-limit-respected.js';
import type { TargetInfo } from './types.js';

const items = (n: number, make: (id: string) => Record<string, unknown>) =>
  Array.from({ length: n }, (_, i) => make(`id-${i}`));

const finding = (pointer: string, step = 'request') =>
  expectedFinding(resultLimitRespected, { pointer, step });

const cases: {
  name: string;
  api: ApiName;
  operation: string;
  steps: StepInput[];
  target?: Partial<TargetInfo>;
  expected: ReducedOutcome;
}[] = [
  {
    name: 'memos search within explicit limits',
    api: 'memos',
    operation: 'searchMemory',
    steps: [
      {
        body: { user_id: 'u', query: 'q', memory_limit_number: 2 },
        status: 200,
        response: memosAnswer({ memory: items(2, memosItem) }),
      },
    ],
    expected: { status: 'checked', findings: [] },
  },
  {
    name: 'memos search over memory_limit_number',
    api: 'memos',
    operation: 'searchMemory',
    steps: [
      {
        body: { user_id: 'u', query: 'q', memory_limit_number: 2 },
        status: 200,
        response: memosAnswer({ memory: items(3, memosItem) }),
      },
    ],
    expected: {
      status: 'checked',
      findings: [finding('/data/memory_detail_list')],
    },
  },
  {
    name: 'memos search over the spec default preference limit (null sent)',
    api: 'memos',
    operation: 'searchMemory',
    steps: [
      {
        body: { user_id: 'u', query: 'q', preference_limit_number: null },
        status: 200,
        response: memosAnswer({ memory: [memosItem('m')], preference: items(10, memosItem) }),
      },
    ],
    expected: {
      status: 'checked',
      findings: [finding('/data/preference_detail_list')],
    },
  },
  {
    name: 'memos search over the spec maximum although the request asked for more',
    api: 'memos',
    operation: 'searchMemory',
    steps: [
      {
        body: { user_id: 'u', query: 'q', include_tool_memory: true, tool_memory_limit_number: 40 },
        status: 200,
        response: memosAnswer({ tool: items(26, memosItem) }),
      },
    ],
    expected: {
      status: 'checked',
      findings: [finding('/data/tool_memory_detail_list')],
    },
  },
  {
    name: 'memos get over size in the second step',
    api: 'memos',
    operation: 'getMemory',
    steps: [
      {
        body: { user_id: 'u', size: 3 },
        status: 200,
        response: memosAnswer({ memory: items(3, memosItem) }),
      },
      {
        name: 'second',
        body: { user_id: 'u', size: 3, page: 2 },
        status: 200,
        response: memosAnswer({ memory: [], tool: items(4, memosItem) }),
      },
    ],
    expected: {
      status: 'checked',
      findings: [finding('/data/tool_memory_detail_list', 'second')],
    },
  },
  {
    name: 'memos get over the default size 10',
    api: 'memos',
    operation: 'getMemory',
    steps: [{ body: { user_id: 'u' }, status: 200, response: memosAnswer({ memory: items(11, memosItem) }) }],
    expected: {
      status: 'checked',
      findings: [finding('/data/memory_detail_list')],
    },
  },
  {
    name: 'mem0 bare array within top_k',
    api: 'mem0',
    operation: 'searchMemories',
    steps: [{ body: { query: 'q', user_id: 'alex', top_k: 2 }, status: 200, response: items(2, mem0Item) }],
    expected: { status: 'checked', findings: [] },
  },
  {
    name: 'mem0 v1.1 results over top_k; unknown limit field does not count',
    api: 'mem0',
    operation: 'searchMemories',
    steps: [
      {
        body: { query: 'q', user_id: 'alex', top_k: 2, limit: 5, output_format: 'v1.1' },
        status: 200,
        response: { results: items(3, mem0Item), relations: [] },
      },
    ],
    expected: {
      status: 'checked',
      findings: [finding('/results')],
    },
  },
  {
    name: 'mem0 over the default top_k 10',
    api: 'mem0',
    operation: 'searchMemories',
    steps: [{ body: { query: 'q', user_id: 'alex' }, status: 200, response: items(11, mem0Item) }],
    expected: {
      status: 'checked',
      findings: [finding('')],
    },
  },
  {
    name: 'memmachine top_k applies per list, so the total may reach 3 x top_k',
    api: 'memmachine',
    operation: 'searchMemories',
    steps: [
      {
        body: { query: 'q', top_k: 2, expand_context: 1 },
        status: 200,
        response: memmachineAnswer({
          shortTerm: items(2, episode),
          longTerm: items(2, (id) => episode(`lt-${id}`)),
          semantic: items(2, feature),
        }),
      },
    ],
    expected: { status: 'checked', findings: [] },
  },
  {
    name: 'memmachine long-term over top_k with expand_context neighbours',
    api: 'memmachine',
    operation: 'searchMemories',
    steps: [
      {
        body: { query: 'q', top_k: 2, expand_context: 1 },
        status: 200,
        response: memmachineAnswer({ shortTerm: [], longTerm: items(4, episode), semantic: [] }),
      },
    ],
    expected: {
      status: 'checked',
      findings: [finding('/content/episodic_memory/long_term_memory/episodes')],
    },
  },
  {
    name: 'memmachine semantic over top_k',
    api: 'memmachine',
    operation: 'searchMemories',
    steps: [
      {
        body: { query: 'q', top_k: 1, types: ['semantic'] },
        status: 200,
        response: memmachineAnswer({ semantic: items(2, feature) }),
      },
    ],
    expected: {
      status: 'checked',
      findings: [finding('/content/semantic_memory')],
    },
  },
  {
    name: 'only empty lists are vacuous',
    api: 'mem0',
    operation: 'searchMemories',
    steps: [{ body: { query: 'q', user_id: 'alex', top_k: 1 }, status: 200, response: [] }],
    expected: { status: 'vacuous' },
  },
  {
    name: 'a failed step is not judged',
    api: 'memos',
    operation: 'searchMemory',
    steps: [
      {
        body: { user_id: 'u', query: 'q', memory_limit_number: 1 },
        status: 200,
        response: {
          code: 40000,
          message: 'Invalid request parameters',
          data: { memory_detail_list: [{}, {}] },
        },
      },
    ],
    expected: { status: 'vacuous' },
  },
  {
    name: 'an invalid step makes the check not applicable',
    api: 'mem0',
    operation: 'searchMemories',
    steps: [{ body: { query: '' }, invalid: 'empty query', status: 400, response: { query: ['blank'] } }],
    expected: { status: 'not-applicable' },
  },
  {
    name: 'a step sent without credentials is meant to fail, so it is not applicable',
    api: 'mem0',
    operation: 'searchMemories',
    steps: [
      { body: { query: 'q', user_id: 'alex' }, auth: 'none', status: 401, response: { detail: 'no key' } },
    ],
    expected: { status: 'not-applicable' },
  },
  {
    name: 'without auth on the target, a step without credentials is judged',
    api: 'memmachine',
    operation: 'searchMemories',
    target: { flavour: 'self-hosted', authRequired: false },
    steps: [
      {
        body: { query: 'q', top_k: 1 },
        auth: 'none',
        status: 200,
        response: memmachineAnswer({ shortTerm: items(2, episode), longTerm: [], semantic: [] }),
      },
    ],
    expected: {
      status: 'checked',
      findings: [finding('/content/episodic_memory/short_term_memory/episodes')],
    },
  },
  {
    name: 'another operation is not applicable',
    api: 'mem0',
    operation: 'ping',
    steps: [{ status: 200, response: { status: 'ok' } }],
    expected: { status: 'not-applicable' },
  },
];

describe('result-limit-respected', () => {
  it.each(cases)('$name', ({ api, operation, steps, target, expected }) => {
    const context = makeContext({
      api,
      operation,
      steps,
      spec: requestSpecView(api),
      ...(target ? { target } : {}),
    });
    expect(runReduced(resultLimitRespected, context)).toEqual(expected);
  });
});
