import { describe } from 'vitest';
import {
  type CheckCase,
  episode,
  expectedFinding,
  feature,
  itJudgesEach,
  memmachineAnswer,
} from '../testing/behaviour.js';
import type { StepInput } from '../testing/context.js';
import { limitFilledPerList } from './limit-filled-per-list.js';

const step = (
  name: string,
  topK: number | undefined,
  lists: { short?: number; long?: number; semantic?: number },
  extra: Record<string, unknown> = {},
): StepInput => ({
  name,
  body: { query: 'q', ...(topK === undefined ? {} : { top_k: topK }), ...extra },
  status: 200,
  response: memmachineAnswer({
    shortTerm: Array.from({ length: lists.short ?? 0 }, (_, i) => episode(`s${i}`)),
    longTerm: Array.from({ length: lists.long ?? 0 }, (_, i) => episode(`l${i}`, { score: 0.5 })),
    semantic: Array.from({ length: lists.semantic ?? 0 }, (_, i) => feature(`f${i}`)),
  }),
});
const finding = (pointer: string) => expectedFinding(limitFilledPerList, { pointer, step: 'narrow' });

const cases: CheckCase[] = [
  {
    name: 'top_k 2 fills each list up to 2',
    steps: [
      step('wide', 10, { short: 3, long: 5, semantic: 4 }),
      step('narrow', 2, { short: 2, long: 2, semantic: 2 }),
    ],
    expected: { status: 'checked', findings: [] },
  },
  {
    name: 'a list with fewer items than top_k keeps them all',
    steps: [step('wide', 10, { short: 1, semantic: 1 }), step('narrow', 2, { short: 1, semantic: 1 })],
    expected: { status: 'checked', findings: [] },
  },
  {
    name: 'top_k cut the whole answer: short-term took both places, semantic got none',
    steps: [step('wide', 10, { short: 3, long: 5, semantic: 4 }), step('narrow', 2, { short: 2 })],
    expected: { status: 'checked', findings: [finding('/content/semantic_memory')] },
  },
  {
    name: 'the default top_k (10) counts as the higher limit',
    steps: [step('wide', undefined, { short: 3, semantic: 4 }), step('narrow', 2, { short: 1, semantic: 2 })],
    expected: {
      status: 'checked',
      findings: [finding('/content/episodic_memory/short_term_memory/episodes')],
    },
  },
  {
    name: 'long-term episodes are not compared (deduplicated after the cut)',
    steps: [step('wide', 10, { long: 5 }), step('narrow', 2, { long: 0 })],
    expected: { status: 'vacuous' },
  },
  {
    name: 'steps differing in more than top_k are not compared',
    steps: [step('wide', 10, { short: 3 }), step('narrow', 2, { short: 0 }, { score_threshold: 0.5 })],
    expected: { status: 'not-applicable' },
  },
];

describe('limit-filled-per-list', () => {
  itJudgesEach(limitFilledPerList, 'memmachine', 'searchMemories', cases);
});
