import { describe, expect, it } from 'vitest';
import type { ApiName } from '../apis.js';
import {
  episode,
  expectedFinding,
  memmachineAnswer,
  memosAnswer,
  memosItem,
  type ReducedOutcome,
  requestSpecView,
  runReduced,
} from '../testing/behaviour.js';
import { makeContext, type StepInput } from '../testing/context.js';
import { thresholdNarrowsResults } from './threshold-narrows-results.js';

const memos = (relativity: number | null | undefined, ids: string[], name?: string): StepInput => ({
  ...(name === undefined ? {} : { name }),
  body: { user_id: 'u', query: 'travel', ...(relativity === undefined ? {} : { relativity }) },
  status: 200,
  response: memosAnswer({ memory: ids.map((id) => memosItem(id, { relativity: 0.9 })) }),
});
const machine = (threshold: number | null, uids: string[], shortTerm: string[] = []): StepInput => ({
  body: { query: 'q', score_threshold: threshold },
  status: 200,
  response: memmachineAnswer({
    shortTerm: shortTerm.map((uid) => episode(uid)),
    longTerm: uids.map((uid) => episode(uid, { score: 0.9 })),
  }),
});

const finding = (pointer: string) => expectedFinding(thresholdNarrowsResults, { pointer, step: 'request-2' });

const cases: { name: string; api: ApiName; steps: StepInput[]; expected: ReducedOutcome }[] = [
  {
    name: 'memos: the higher threshold returns a subset',
    api: 'memos',
    steps: [memos(0.2, ['a', 'b', 'c']), memos(0.6, ['a'])],
    expected: { status: 'checked', findings: [] },
  },
  {
    name: 'memos: the default threshold (absent) is compared with relativity 0 (off)',
    api: 'memos',
    steps: [memos(undefined, ['a', 'x']), memos(0, ['a', 'b'], 'off')],
    expected: {
      status: 'checked',
      findings: [
        {
          checkId: 'threshold-narrows-results',
          severity: 'warning',
          step: 'request',
          pointer: '/data/memory_detail_list/1/id',
        },
      ],
    },
  },
  {
    name: 'memos: null and absent are the same default threshold, so no pair',
    api: 'memos',
    steps: [memos(null, ['a']), memos(undefined, ['b'])],
    expected: { status: 'not-applicable' },
  },
  {
    name: 'memos: bodies that differ in more than the threshold are not compared',
    api: 'memos',
    steps: [
      memos(0.2, ['a']),
      {
        body: { user_id: 'u', query: 'food', relativity: 0.6 },
        status: 200,
        response: memosAnswer({ memory: [memosItem('z')] }),
      },
    ],
    expected: { status: 'not-applicable' },
  },
  {
    name: 'memos: nothing returned at the higher threshold is vacuous',
    api: 'memos',
    steps: [memos(0.2, ['a']), memos(0.9, [])],
    expected: { status: 'vacuous' },
  },
  {
    name: 'memos: a failed step leaves no pair to compare',
    api: 'memos',
    steps: [
      memos(0.2, ['a']),
      {
        body: { user_id: 'u', query: 'travel', relativity: 0.6 },
        status: 200,
        response: { code: 50005, message: 'down' },
      },
    ],
    expected: { status: 'vacuous' },
  },
  {
    name: 'memmachine: long-term subset; short-term is not thresholded',
    api: 'memmachine',
    steps: [machine(null, ['a', 'b'], ['s9']), machine(0.5, ['b'], ['s9'])],
    expected: { status: 'checked', findings: [] },
  },
  {
    name: 'memmachine: the threshold cut short-term episodes too (it applies to long-term only)',
    api: 'memmachine',
    steps: [machine(null, ['a', 'b'], ['s8', 's9']), machine(0.5, ['b'], [])],
    expected: {
      status: 'checked',
      findings: [finding('/content/episodic_memory/short_term_memory/episodes')],
    },
  },
  {
    name: 'memmachine: a long-term episode appears only at the higher threshold',
    api: 'memmachine',
    steps: [machine(0.1, ['a']), machine(0.5, ['a', 'c'])],
    expected: {
      status: 'checked',
      findings: [finding('/content/episodic_memory/long_term_memory/episodes/1/uid')],
    },
  },
  {
    name: 'a single step is not a threshold pair',
    api: 'memmachine',
    steps: [machine(0.5, ['a'])],
    expected: { status: 'not-applicable' },
  },
];

describe('threshold-narrows-results', () => {
  it.each(cases)('$name', ({ api, steps, expected }) => {
    const operation = api === 'memos' ? 'searchMemory' : 'searchMemories';
    const context = makeContext({ api, operation, steps, spec: requestSpecView(api) });
    expect(runReduced(thresholdNarrowsResults, context)).toEqual(expected);
  });
});
