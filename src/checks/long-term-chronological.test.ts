import { describe, expect, it } from 'vitest';
import {
  type CheckCase,
  episode,
  expectedFinding,
  itJudgesEach,
  memmachineAnswer,
  requestSpecView,
  runReduced,
} from '../testing/behaviour.js';
import { makeContext } from '../testing/context.js';
import { longTermChronological } from './long-term-chronological.js';

const at = (uid: string, createdAt: string, score = 0.5) => episode(uid, { created_at: createdAt, score });
const body = { query: 'q' };
const finding = (index: number) =>
  expectedFinding(longTermChronological, {
    pointer: `/content/episodic_memory/long_term_memory/episodes/${index}/created_at`,
  });

const cases: CheckCase[] = [
  {
    name: 'chronological, ties broken by uid, scores in any order',
    steps: [
      {
        body,
        status: 200,
        response: memmachineAnswer({
          longTerm: [
            at('b', '2026-03-01T10:00:00Z', 0.2),
            at('a', '2026-03-01T11:00:00+01:00', 0.1),
            at('c', '2026-03-01T10:00:00.000Z', 0.9),
            at('d', '2026-03-02T09:00:00Z', 0.3),
          ],
        }),
      },
    ],
    expected: { status: 'checked', findings: [] },
  },
  {
    name: 'sorted by score instead of time',
    steps: [
      {
        body,
        status: 200,
        response: memmachineAnswer({
          longTerm: [at('x', '2026-03-02T09:00:00Z', 0.9), at('y', '2026-03-01T09:00:00Z', 0.5)],
        }),
      },
    ],
    expected: { status: 'checked', findings: [finding(1)] },
  },
  {
    name: 'same time, uids out of order',
    steps: [
      {
        body,
        status: 200,
        response: memmachineAnswer({
          longTerm: [at('b', '2026-03-01T09:00:00Z'), at('a', '2026-03-01T09:00:00Z')],
        }),
      },
    ],
    expected: { status: 'checked', findings: [finding(1)] },
  },
  {
    name: 'equal at ms precision with different microseconds is not judged on uid',
    steps: [
      {
        body,
        status: 200,
        response: memmachineAnswer({
          longTerm: [at('b', '2026-03-01T09:00:00.000100Z'), at('a', '2026-03-01T09:00:00.000200Z')],
        }),
      },
    ],
    expected: { status: 'checked', findings: [] },
  },
  {
    name: 'short-term order is not judged; one long-term episode proves nothing',
    steps: [
      {
        body,
        status: 200,
        response: memmachineAnswer({
          shortTerm: [
            episode('s2', { created_at: '2026-03-02T00:00:00Z' }),
            episode('s1', { created_at: '2026-03-01T00:00:00Z' }),
          ],
          longTerm: [at('a', '2026-03-01T09:00:00Z')],
        }),
      },
    ],
    expected: { status: 'vacuous' },
  },
  {
    name: 'a failed step is not judged',
    steps: [{ body, status: 422, response: { detail: { code: 422, message: 'invalid argument' } } }],
    expected: { status: 'vacuous' },
  },
];

describe('long-term-chronological', () => {
  itJudgesEach(longTermChronological, 'memmachine', 'searchMemories', cases);

  it('does not apply to other apis', () => {
    const context = makeContext({
      api: 'mem0',
      operation: 'searchMemories',
      steps: [{ body: { query: 'q', user_id: 'a' }, status: 200, response: [] }],
      spec: requestSpecView('mem0'),
    });
    expect(runReduced(longTermChronological, context)).toEqual({ status: 'not-applicable' });
  });
});
