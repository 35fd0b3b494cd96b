import { describe, expect, it } from 'vitest';
import { fakeSpecView, json, type ReducedOutcome, reduceOutcome } from '../testing/check-harness.js';
import { makeContext, type StepInput } from '../testing/context.js';
import { requestCompletes } from './request-completes.js';

const spec = fakeSpecView('mem0', { searchMemories: { '200': json(), '400': json() } });
const body = { query: 'food', user_id: 'alex' };

const cases: { name: string; steps: StepInput[]; expected: ReducedOutcome }[] = [
  { name: 'an answered request conforms', steps: [{ body, status: 200, response: [] }], expected: [] },
  { name: 'an error status is still an answer', steps: [{ body, status: 400, response: {} }], expected: [] },
  ...(['timeout', 'refused', 'reset', 'dns', 'tls', 'protocol', 'other'] as const).map((kind) => ({
    name: `a ${kind} failure is a finding`,
    steps: [{ body, failure: { kind, message: `${kind} happened` } }],
    expected: [{ check: 'request-completes', severity: 'error', step: 'request' }],
  })),
  {
    name: 'only the failed step of a multi-step case is named',
    steps: [
      { body, status: 200, response: [] },
      { body, failure: { kind: 'reset', message: 'socket hang up' } },
    ],
    expected: [{ check: 'request-completes', severity: 'error', step: 'request-2' }],
  },
];

describe('request-completes', () => {
  it.each(cases)('$name', ({ steps, expected }) => {
    const context = makeContext({ api: 'mem0', operation: 'searchMemories', spec, steps });
    expect(reduceOutcome(requestCompletes, requestCompletes.run(context))).toEqual(expected);
  });

  it('names the failure kind in an Expected / Received message and cuts long target text', () => {
    const message = 'x'.repeat(500);
    const context = makeContext({
      api: 'mem0',
      operation: 'searchMemories',
      spec,
      steps: [{ body, failure: { kind: 'timeout', message } }],
    });
    const outcome = requestCompletes.run(context);
    if (outcome.status !== 'checked') throw new Error('expected a checked outcome');
    const text = outcome.findings[0]?.message ?? '';
    expect(text).toMatch(/^Expected an HTTP response within the timeout \/ Received timeout after \d+ ms/);
    expect(text.length).toBeLessThan(400);
    expect(outcome.findings[0]?.actual).toBe('timeout');
  });
});
