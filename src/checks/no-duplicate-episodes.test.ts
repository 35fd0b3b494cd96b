import { describe } from 'vitest';
import { type CheckCase, episode, itJudgesEach, memmachineAnswer } from '../testing/behaviour.js';
import { noDuplicateEpisodes } from './no-duplicate-episodes.js';

const answer = (shortTerm: string[], longTerm: string[]) =>
  memmachineAnswer({
    shortTerm: shortTerm.map((uid) => episode(uid)),
    longTerm: longTerm.map((uid) => episode(uid)),
  });

const cases: CheckCase[] = [
  {
    name: 'disjoint lists',
    steps: [{ body: { query: 'q' }, status: 200, response: answer(['s1', 's2'], ['l1', 'l2']) }],
    expected: { status: 'checked', findings: [] },
  },
  {
    name: 'an episode in both lists',
    steps: [{ body: { query: 'q' }, status: 200, response: answer(['s1', 's2'], ['l1', 's2', 's1']) }],
    expected: {
      status: 'checked',
      findings: [
        {
          checkId: 'no-duplicate-episodes',
          severity: 'error',
          step: 'request',
          pointer: '/content/episodic_memory/long_term_memory/episodes/1/uid',
        },
      ],
    },
  },
  {
    name: 'one list empty leaves nothing to compare',
    steps: [{ body: { query: 'q' }, status: 200, response: answer([], ['l1']) }],
    expected: { status: 'vacuous' },
  },
  {
    name: 'semantic only has no episodes',
    steps: [
      {
        body: { query: 'q', types: ['semantic'] },
        status: 200,
        response: memmachineAnswer({ semantic: [] }),
      },
    ],
    expected: { status: 'vacuous' },
  },
  {
    name: 'an invalid step is not applicable',
    steps: [{ body: {}, invalid: 'query missing', status: 422, response: { detail: { code: 422 } } }],
    expected: { status: 'not-applicable' },
  },
];

describe('no-duplicate-episodes', () => {
  itJudgesEach(noDuplicateEpisodes, 'memmachine', 'searchMemories', cases);
});
