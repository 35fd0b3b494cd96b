import { describe, expect, it } from 'vitest';
import type { ApiName } from '../apis.js';
import {
  episode,
  expectedFinding,
  mem0Item,
  memmachineAnswer,
  memosAnswer,
  memosItem,
  type ReducedOutcome,
  requestSpecView,
  runReduced,
} from '../testing/behaviour.js';
import { makeContext, type StepInput } from '../testing/context.js';
import { stableResults } from './stable-results.js';

const finding = (pointer: string, step = 'request-2') => expectedFinding(stableResults, { pointer, step });
const mem0 = (ids: string[], body: Record<string, unknown> = {}): StepInput => ({
  body: { query: 'food', user_id: 'alex', ...body },
  status: 200,
  response: ids.map((id) => mem0Item(id)),
});
const memos = (ids: string[]): StepInput => ({
  body: { user_id: 'u', query: 'q', relativity: 0 },
  status: 200,
  response: memosAnswer({ memory: ids.map((id) => memosItem(id)) }),
});

const cases: { name: string; api: ApiName; steps: StepInput[]; expected: ReducedOutcome }[] = [
  {
    name: 'mem0: same ids, same order',
    api: 'mem0',
    steps: [mem0(['a', 'b']), mem0(['a', 'b']), mem0(['a', 'b'])],
    expected: { status: 'checked', findings: [] },
  },
  {
    name: 'mem0: same ids, different order',
    api: 'mem0',
    steps: [mem0(['a', 'b']), mem0(['b', 'a'])],
    expected: { status: 'checked', findings: [finding('/0/id')] },
  },
  {
    name: 'mem0: a shorter answer the second time',
    api: 'mem0',
    steps: [mem0(['a', 'b']), mem0(['a'])],
    expected: { status: 'checked', findings: [finding('')] },
  },
  {
    name: 'key order does not make requests different',
    api: 'mem0',
    steps: [
      { body: { user_id: 'alex', query: 'food' }, status: 200, response: [mem0Item('a')] },
      mem0(['b']),
    ],
    expected: { status: 'checked', findings: [finding('/0/id')] },
  },
  {
    name: 'different requests are not compared',
    api: 'mem0',
    steps: [mem0(['a']), mem0(['b'], { top_k: 1 })],
    expected: { status: 'not-applicable' },
  },
  {
    name: 'memos: an extra item the second time',
    api: 'memos',
    steps: [memos(['a']), memos(['a', 'b'])],
    expected: { status: 'checked', findings: [finding('/data/memory_detail_list/1/id')] },
  },
  {
    name: 'memmachine: long-term list changes',
    api: 'memmachine',
    steps: [
      {
        body: { query: 'q' },
        status: 200,
        response: memmachineAnswer({ longTerm: [episode('a')], shortTerm: [] }),
      },
      {
        body: { query: 'q' },
        status: 200,
        response: memmachineAnswer({ longTerm: [episode('b')], shortTerm: [] }),
      },
    ],
    expected: {
      status: 'checked',
      findings: [finding('/content/episodic_memory/long_term_memory/episodes/0/uid')],
    },
  },
  {
    name: 'empty twice proves nothing',
    api: 'mem0',
    steps: [mem0([]), mem0([])],
    expected: { status: 'vacuous' },
  },
  {
    name: 'a failed repeat is not compared',
    api: 'mem0',
    steps: [
      mem0(['a']),
      { body: { query: 'food', user_id: 'alex' }, status: 502, response: { detail: 'x' } },
    ],
    expected: { status: 'vacuous' },
  },
];

describe('stable-results', () => {
  it.each(cases)('$name', ({ api, steps, expected }) => {
    const operation = api === 'memos' ? 'searchMemory' : 'searchMemories';
    const context = makeContext({ api, operation, steps, spec: requestSpecView(api) });
    expect(runReduced(stableResults, context)).toEqual(expected);
  });
});
