import { describe } from 'vitest';
import {
  type CheckCase,
  episode,
  itJudgesEach,
  memmachineAnswer,
  type ReducedOutcome,
} from '../testing/behaviour.js';
import type { StepInput } from '../testing/context.js';
import { expandContextHonoured } from './expand-context-honoured.js';

/** Long-term episodes l0, l1, … with the given scores; short-term episodes s0, s1, … without one. */
const answer = (longTermScores: number[], shortTermCount = 0) =>
  memmachineAnswer({
    shortTerm: Array.from({ length: shortTermCount }, (_, i) => episode(`s${i}`)),
    longTerm: longTermScores.map((score, i) => episode(`l${i}`, { score })),
  });

const step = (body: Record<string, unknown>, response: unknown): StepInput => ({
  body: { query: 'q', ...body },
  status: 200,
  response,
});

const noFinding: ReducedOutcome = { status: 'checked', findings: [] };
const oneWarning: ReducedOutcome = {
  status: 'checked',
  findings: [
    {
      checkId: 'expand-context-honoured',
      severity: 'warning',
      step: 'request',
      pointer: '/content/episodic_memory/long_term_memory/episodes',
    },
  ],
};

const cases: CheckCase[] = [
  {
    name: 'neighbours share their anchor context score',
    steps: [step({ top_k: 4, expand_context: 3 }, answer([0.7, 0.7, 0.5]))],
    expected: noFinding,
  },
  {
    name: 'every long-term episode with its own score and no short-term episodes: expansion ignored',
    steps: [step({ top_k: 4, expand_context: 3 }, answer([0.7, 0.6, 0.5]))],
    expected: oneWarning,
  },
  {
    name: 'expand_context is clamped to top_k - 1, so 30 with top_k 4 still expands',
    steps: [step({ top_k: 4, expand_context: 30 }, answer([0.9, 0.8]))],
    expected: oneWarning,
  },
  {
    name: 'a threshold cuts whole contexts, so the long-term list still bounds what was added',
    steps: [step({ top_k: 4, expand_context: 3, score_threshold: 0.1 }, answer([0.9, 0.8, 0.7, 0.6]))],
    expected: oneWarning,
  },
  {
    name: 'a context as large as the timeline leaves every long-term episode sharing one score',
    steps: [step({ top_k: 100, expand_context: 99 }, answer([0.9, 0.8], 10))],
    expected: oneWarning,
  },
  {
    name: 'a large context with short-term episodes',
    steps: [step({ top_k: 100, expand_context: 99 }, answer([0.7, 0.7], 10))],
    expected: noFinding,
  },
  {
    name: 'short-term episodes may hold the neighbours: not judged',
    steps: [step({ top_k: 4, expand_context: 3 }, answer([0.7, 0.6, 0.5], 2))],
    expected: { status: 'vacuous' },
  },
  {
    name: 'a threshold and room for other contexts: not judged',
    steps: [step({ top_k: 10, expand_context: 3, score_threshold: 0.1 }, answer([0.9, 0.8]))],
    expected: { status: 'vacuous' },
  },
  {
    name: 'one episode passed the filter: nothing to expand',
    steps: [step({ top_k: 4, expand_context: 3 }, answer([0.9]))],
    expected: { status: 'vacuous' },
  },
  {
    name: 'more episodes than top_k is another check’s finding',
    steps: [step({ top_k: 4, expand_context: 3 }, answer([0.9, 0.8, 0.7, 0.6, 0.5]))],
    expected: { status: 'vacuous' },
  },
  {
    name: 'expand_context below 3 may add nothing (no earlier neighbour): not applicable',
    steps: [step({ top_k: 4, expand_context: 2 }, answer([0.7, 0.6, 0.5]))],
    expected: { status: 'not-applicable' },
  },
  {
    name: 'the default expand_context 0: not applicable',
    steps: [step({}, answer([0.7, 0.6, 0.5]))],
    expected: { status: 'not-applicable' },
  },
];

describe('expand-context-honoured', () => {
  itJudgesEach(expandContextHonoured, 'memmachine', 'searchMemories', cases);
});
