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
import { relevanceThresholdRespected } from './relevance-threshold-respected.js';

const rel = (id: string, relativity: number) => memosItem(id, { relativity });
const finding = (pointer: string) => expectedFinding(relevanceThresholdRespected, { pointer });

const mem0Warning = (pointer: string) => ({ ...finding(pointer), severity: 'warning' });
const scored = (id: string, score: number, extra = {}) => mem0Item(id, { score, ...extra });

const cases: {
  name: string;
  api: ApiName;
  operation?: string;
  steps: StepInput[];
  expected: ReducedOutcome;
}[] = [
  {
    name: 'memos default threshold 0.45 (null sent) respected',
    api: 'memos',
    steps: [
      {
        body: { user_id: 'u', query: 'q', relativity: null },
        status: 200,
        response: memosAnswer({ memory: [rel('a', 0.9), rel('b', 0.45)], preference: [rel('p', 0.5)] }),
      },
    ],
    expected: { status: 'checked', findings: [] },
  },
  {
    name: 'memos default threshold 0.45 broken in the memory list',
    api: 'memos',
    steps: [
      {
        body: { user_id: 'u', query: 'q' },
        status: 200,
        response: memosAnswer({ memory: [rel('a', 0.9), rel('b', 0.3), rel('c', 0.2)] }),
      },
    ],
    expected: { status: 'checked', findings: [finding('/data/memory_detail_list/1/relativity')] },
  },
  {
    name: 'memos explicit threshold broken in the tool list',
    api: 'memos',
    steps: [
      {
        body: { user_id: 'u', query: 'q', relativity: 0.6, include_tool_memory: true },
        status: 200,
        response: memosAnswer({ memory: [rel('a', 0.7)], tool: [rel('t', 0.55)] }),
      },
    ],
    expected: { status: 'checked', findings: [finding('/data/tool_memory_detail_list/0/relativity')] },
  },
  {
    name: 'memos relativity 0 disables the threshold',
    api: 'memos',
    steps: [
      {
        body: { user_id: 'u', query: 'q', relativity: 0 },
        status: 200,
        response: memosAnswer({ memory: [rel('a', 0.01)] }),
      },
    ],
    expected: { status: 'not-applicable' },
  },
  {
    name: 'memos items without relativity leave nothing to judge',
    api: 'memos',
    steps: [
      {
        body: { user_id: 'u', query: 'q' },
        status: 200,
        response: memosAnswer({ memory: [memosItem('a')] }),
      },
    ],
    expected: { status: 'vacuous' },
  },
  {
    name: 'memmachine long-term episodes at or above score_threshold; short-term is not thresholded',
    api: 'memmachine',
    steps: [
      {
        body: { query: 'q', score_threshold: 0.5 },
        status: 200,
        response: memmachineAnswer({
          shortTerm: [episode('s', { score: 0.1 })],
          longTerm: [episode('a', { score: 0.5 }), episode('b', { score: 0.8 })],
        }),
      },
    ],
    expected: { status: 'checked', findings: [] },
  },
  {
    name: 'memmachine long-term episode below score_threshold',
    api: 'memmachine',
    steps: [
      {
        body: { query: 'q', score_threshold: 0.5 },
        status: 200,
        response: memmachineAnswer({
          longTerm: [episode('a', { score: 0.8 }), episode('b', { score: 0.2 })],
        }),
      },
    ],
    expected: {
      status: 'checked',
      findings: [finding('/content/episodic_memory/long_term_memory/episodes/1/score')],
    },
  },
  {
    name: 'memmachine without score_threshold has no threshold',
    api: 'memmachine',
    steps: [
      {
        body: { query: 'q', score_threshold: null },
        status: 200,
        response: memmachineAnswer({ longTerm: [episode('a', { score: 0.1 })] }),
      },
    ],
    expected: { status: 'not-applicable' },
  },
  {
    name: 'mem0 v3 default threshold 0.1 respected',
    api: 'mem0',
    operation: 'searchMemoriesV3',
    steps: [
      {
        body: { query: 'q', filters: { user_id: 'alex' } },
        status: 200,
        response: { results: [scored('a', 0.8), scored('b', 0.1)] },
      },
    ],
    expected: { status: 'checked', findings: [] },
  },
  {
    name: 'mem0 v3 item below the default threshold 0.1 (a warning: the threshold is semantic)',
    api: 'mem0',
    operation: 'searchMemoriesV3',
    steps: [
      {
        body: { query: 'q', filters: { user_id: 'alex' } },
        status: 200,
        response: { results: [scored('a', 0.8), scored('b', 0.05)] },
      },
    ],
    expected: { status: 'checked', findings: [mem0Warning('/results/1/score')] },
  },
  {
    name: 'mem0 v3 score_breakdown.semantic is judged when sent, not the fused score',
    api: 'mem0',
    operation: 'searchMemoriesV3',
    steps: [
      {
        body: { query: 'q', filters: { user_id: 'alex' }, threshold: 0.4 },
        status: 200,
        response: {
          results: [
            scored('a', 0.2, { score_breakdown: { semantic: 0.5, bm25: 0.1 } }),
            scored('b', 0.9, { score_breakdown: { semantic: 0.3 } }),
          ],
        },
      },
    ],
    expected: { status: 'checked', findings: [mem0Warning('/results/1/score_breakdown/semantic')] },
  },
  {
    name: 'mem0 v2 default threshold 0.3 broken in the bare array',
    api: 'mem0',
    operation: 'searchMemoriesV2',
    steps: [
      {
        body: { query: 'q', filters: { user_id: 'alex' } },
        status: 200,
        response: [scored('a', 0.5), scored('b', 0.2)],
      },
    ],
    expected: { status: 'checked', findings: [mem0Warning('/1/score')] },
  },
  {
    name: 'mem0 v3 threshold 0 disables the cut',
    api: 'mem0',
    operation: 'searchMemoriesV3',
    steps: [
      {
        body: { query: 'q', filters: { user_id: 'alex' }, threshold: 0 },
        status: 200,
        response: { results: [scored('a', 0.01)] },
      },
    ],
    expected: { status: 'not-applicable' },
  },
  {
    name: 'mem0 v1 has no threshold',
    api: 'mem0',
    operation: 'searchMemories',
    steps: [{ body: { query: 'q', user_id: 'alex' }, status: 200, response: [scored('a', 0.01)] }],
    expected: { status: 'not-applicable' },
  },
  {
    name: 'a failed step is not judged',
    api: 'memmachine',
    steps: [{ body: { query: 'q', score_threshold: 0.5 }, status: 404, response: { detail: { code: 404 } } }],
    expected: { status: 'vacuous' },
  },
];

describe('relevance-threshold-respected', () => {
  it.each(cases)('$name', ({ api, operation: given, steps, expected }) => {
    const operation = given ?? (api === 'memos' ? 'searchMemory' : 'searchMemories');
    const context = makeContext({ api, operation, steps, spec: requestSpecView(api) });
    expect(runReduced(relevanceThresholdRespected, context)).toEqual(expected);
  });
});
