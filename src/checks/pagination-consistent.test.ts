import { describe, expect, it } from 'vitest';
import {
  type CheckCase,
  expectedFinding,
  itJudgesEach,
  memosAnswer,
  memosItem,
  requestSpecView,
  runReduced,
} from '../testing/behaviour.js';
import { makeContext, type StepInput } from '../testing/context.js';
import { paginationConsistent } from './pagination-consistent.js';

const page = (
  body: Record<string, unknown>,
  count: number,
  meta: { total: number; size: number; current: number; pages: number },
): StepInput => ({
  body: { user_id: 'u', ...body },
  status: 200,
  response: memosAnswer(
    { memory: Array.from({ length: count }, (_, i) => memosItem(`m${i}`)), preference: [], tool: [] },
    meta,
  ),
});
const finding = (pointer: string, severity = 'error') =>
  expectedFinding(paginationConsistent, { pointer, severity });

const cases: CheckCase[] = [
  {
    name: 'defaults: page 1, size 10',
    steps: [page({}, 10, { total: 23, size: 10, current: 1, pages: 3 })],
    expected: { status: 'checked', findings: [] },
  },
  {
    name: 'explicit page and size, nulls mean defaults',
    steps: [page({ page: 2, size: 5, filter: null }, 5, { total: 10, size: 5, current: 2, pages: 2 })],
    expected: { status: 'checked', findings: [] },
  },
  {
    name: 'current does not echo page',
    steps: [page({ page: 2, size: 5 }, 5, { total: 10, size: 5, current: 1, pages: 2 })],
    expected: { status: 'checked', findings: [finding('/data/current')] },
  },
  {
    name: 'size does not echo size',
    steps: [page({ page: 1, size: 5 }, 5, { total: 10, size: 10, current: 1, pages: 2 })],
    expected: { status: 'checked', findings: [finding('/data/size')] },
  },
  {
    name: 'total below a list length',
    steps: [page({ size: 5 }, 5, { total: 3, size: 5, current: 1, pages: 1 })],
    expected: { status: 'checked', findings: [finding('/data/total')] },
  },
  {
    name: 'pages not ceil(total / size) is a warning',
    steps: [page({ size: 5 }, 5, { total: 11, size: 5, current: 1, pages: 2 })],
    expected: { status: 'checked', findings: [finding('/data/pages', 'warning')] },
  },
  {
    name: 'no pagination fields leave nothing to judge',
    steps: [{ body: { user_id: 'u' }, status: 200, response: memosAnswer({ memory: [] }) }],
    expected: { status: 'vacuous' },
  },
  {
    name: 'a failed step is not judged',
    steps: [{ body: { user_id: 'u', size: 5 }, status: 200, response: { code: 40000, message: 'bad' } }],
    expected: { status: 'vacuous' },
  },
];

describe('pagination-consistent', () => {
  itJudgesEach(paginationConsistent, 'memos', 'getMemory', cases);

  it('does not apply to search', () => {
    const context = makeContext({
      api: 'memos',
      operation: 'searchMemory',
      steps: [{ body: { user_id: 'u', query: 'q' }, status: 200, response: memosAnswer({}) }],
      spec: requestSpecView('memos'),
    });
    expect(runReduced(paginationConsistent, context)).toEqual({ status: 'not-applicable' });
  });
});
