import { describe } from 'vitest';
import {
  type CheckCase,
  expectedFinding,
  itJudgesEach,
  memosAnswer,
  memosItem,
} from '../testing/behaviour.js';
import type { StepInput } from '../testing/context.js';
import { pagesDoNotOverlap } from './pages-do-not-overlap.js';

const page = (
  number: number | undefined,
  memory: string[],
  extra: { tool?: string[]; pages?: number; size?: number; name?: string; total?: number } = {},
): StepInput => ({
  ...(extra.name === undefined ? {} : { name: extra.name }),
  body: { user_id: 'u', size: extra.size ?? 2, ...(number === undefined ? {} : { page: number }) },
  status: 200,
  response: memosAnswer(
    { memory: memory.map((id) => memosItem(id)), tool: (extra.tool ?? []).map((id) => memosItem(id)) },
    { total: extra.total ?? 5, size: extra.size ?? 2, current: number ?? 1, pages: extra.pages ?? 3 },
  ),
});
const finding = (step: string, pointer: string) => expectedFinding(pagesDoNotOverlap, { step, pointer });

const cases: CheckCase[] = [
  {
    name: 'three disjoint pages and an empty page past the last',
    steps: [page(undefined, ['a', 'b']), page(2, ['c', 'd']), page(3, ['e']), page(4, [])],
    expected: { status: 'checked', findings: [] },
  },
  {
    name: 'page 2 repeats an item of page 1 (default page)',
    steps: [page(undefined, ['a', 'b']), page(2, ['b', 'c'], { name: 'second' })],
    expected: { status: 'checked', findings: [finding('second', '/data/memory_detail_list/0/id')] },
  },
  {
    name: 'overlap across lists counts too',
    steps: [page(1, ['a'], { tool: ['t1'] }), page(2, ['c'], { tool: ['t1'] })],
    expected: { status: 'checked', findings: [finding('request-2', '/data/tool_memory_detail_list/0/id')] },
  },
  {
    name: 'a page past the last reports another total',
    steps: [page(1, ['a', 'b']), page(4, [], { name: 'beyond', total: 0, pages: 0 })],
    expected: { status: 'checked', findings: [finding('beyond', '/data/total')] },
  },
  {
    name: 'a page past the last still holds items',
    steps: [page(9, ['a'], { name: 'beyond' })],
    expected: { status: 'checked', findings: [finding('beyond', '/data/memory_detail_list')] },
  },
  {
    name: 'different sizes are different listings, not pages of one',
    steps: [page(1, ['a', 'b'], { size: 2 }), page(2, ['b'], { size: 3 })],
    expected: { status: 'not-applicable' },
  },
  {
    name: 'identical requests are not pages',
    steps: [page(1, ['a']), page(1, ['a'])],
    expected: { status: 'not-applicable' },
  },
  {
    name: 'an empty page leaves nothing to compare',
    steps: [page(1, ['a']), page(2, [])],
    expected: { status: 'vacuous' },
  },
  {
    name: 'a failed page leaves nothing to compare',
    steps: [
      page(1, ['a']),
      { body: { user_id: 'u', size: 2, page: 2 }, status: 503, response: { code: 50004, message: 'down' } },
    ],
    expected: { status: 'vacuous' },
  },
];

describe('pages-do-not-overlap', () => {
  itJudgesEach(pagesDoNotOverlap, 'memos', 'getMemory', cases);
});
