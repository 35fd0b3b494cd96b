import { describe } from 'vitest';
import {
  type ApiCheckCase,
  expectedFinding,
  itJudgesRows,
  mem0Item,
  memosAnswer,
  memosItem,
} from '../testing/behaviour.js';
import { rankedByScoreDescending } from './ranked-by-score-descending.js';

const scored = (scores: number[], key: 'score' | 'relativity') =>
  scores.map((value, i) =>
    key === 'score' ? mem0Item(`m${i}`, { score: value }) : memosItem(`m${i}`, { relativity: value }),
  );

const finding = (pointer: string, step = 'request') =>
  expectedFinding(rankedByScoreDescending, { pointer, step });

const cases: ApiCheckCase[] = [
  {
    name: 'mem0 sorted by score (ties allowed)',
    api: 'mem0',
    operation: 'searchMemories',
    steps: [
      { body: { query: 'q', user_id: 'a' }, status: 200, response: scored([0.9, 0.7, 0.7, 0.1], 'score') },
    ],
    expected: { status: 'checked', findings: [] },
  },
  {
    name: 'mem0 out of order',
    api: 'mem0',
    operation: 'searchMemories',
    steps: [{ body: { query: 'q', user_id: 'a' }, status: 200, response: scored([0.9, 0.2, 0.7], 'score') }],
    expected: { status: 'checked', findings: [finding('/2/score')] },
  },
  {
    name: 'mem0 v1.1 out of order',
    api: 'mem0',
    operation: 'searchMemories',
    steps: [
      {
        body: { query: 'q', user_id: 'a', output_format: 'v1.1' },
        status: 200,
        response: { results: scored([0.1, 0.5], 'score'), relations: [] },
      },
    ],
    expected: { status: 'checked', findings: [finding('/results/1/score')] },
  },
  {
    name: 'mem0 reranked answers are not judged by score',
    api: 'mem0',
    operation: 'searchMemories',
    steps: [
      {
        body: { query: 'q', user_id: 'a', rerank: true },
        status: 200,
        response: scored([0.1, 0.5], 'score'),
      },
    ],
    expected: { status: 'vacuous' },
  },
  {
    name: 'memos lists sorted by relativity',
    api: 'memos',
    operation: 'searchMemory',
    steps: [
      {
        body: { user_id: 'u', query: 'q' },
        status: 200,
        response: memosAnswer({
          memory: scored([0.9, 0.8], 'relativity'),
          preference: scored([0.7, 0.6], 'relativity'),
        }),
      },
    ],
    expected: { status: 'checked', findings: [] },
  },
  {
    name: 'memos preference list out of order',
    api: 'memos',
    operation: 'searchMemory',
    steps: [
      {
        body: { user_id: 'u', query: 'q' },
        status: 200,
        response: memosAnswer({
          memory: scored([0.9, 0.8], 'relativity'),
          preference: scored([0.5, 0.6], 'relativity'),
        }),
      },
    ],
    expected: { status: 'checked', findings: [finding('/data/preference_detail_list/1/relativity')] },
  },
  {
    name: 'items without a score are skipped; a single scored item proves nothing',
    api: 'memos',
    operation: 'searchMemory',
    steps: [
      {
        body: { user_id: 'u', query: 'q' },
        status: 200,
        response: memosAnswer({ memory: [memosItem('a', { relativity: 0.5 }), memosItem('b')] }),
      },
    ],
    expected: { status: 'vacuous' },
  },
  {
    name: 'memos get has no relativity to rank by',
    api: 'memos',
    operation: 'getMemory',
    steps: [{ body: { user_id: 'u' }, status: 200, response: memosAnswer({ memory: [memosItem('a')] }) }],
    expected: { status: 'not-applicable' },
  },
  {
    name: 'a failed step is not judged',
    api: 'mem0',
    operation: 'searchMemories',
    steps: [{ body: { query: 'q', user_id: 'a' }, status: 500, response: { detail: 'boom' } }],
    expected: { status: 'vacuous' },
  },
];

describe('ranked-by-score-descending', () => {
  itJudgesRows(rankedByScoreDescending, cases);
});
