import { describe, expect, it } from 'vitest';
import { fakeSpecView, json, type ReducedOutcome, reduceOutcome } from '../testing/check-harness.js';
import { makeContext, type StepInput } from '../testing/context.js';
import { requiredHeadersPresent as check } from './required-headers-present.js';

const spec = fakeSpecView('mem0', {
  searchMemories: {
    '200': { ...json(), headers: [{ name: 'X-Request-Id', required: false }] },
    '429': {
      ...json(),
      headers: [
        { name: 'Retry-After', required: true },
        { name: 'X-RateLimit-Reset', required: true },
        { name: 'X-RateLimit-Limit', required: false },
      ],
    },
  },
});

const finding = (step = 'request') => ({ check: 'required-headers-present', severity: 'error', step });

const cases: { name: string; steps: StepInput[]; expected: ReducedOutcome }[] = [
  {
    name: 'required headers present (any case)',
    steps: [{ status: 429, response: {}, responseHeaders: { 'retry-after': '3', 'X-RateLimit-Reset': '3' } }],
    expected: [],
  },
  {
    name: 'one required header missing',
    steps: [{ status: 429, response: {}, responseHeaders: { 'Retry-After': '3' } }],
    expected: [finding()],
  },
  {
    name: 'each missing required header is a finding',
    steps: [{ status: 429, response: {} }],
    expected: [finding(), finding()],
  },
  {
    name: 'only the step whose status requires headers is judged',
    steps: [
      { status: 200, response: [] },
      { status: 429, response: {}, responseHeaders: { 'X-RateLimit-Reset': '1' } },
    ],
    expected: [finding('request-2')],
  },
  {
    name: 'only optional headers documented: not applicable',
    steps: [{ status: 200, response: [] }],
    expected: 'not-applicable',
  },
  {
    name: 'undocumented status: not applicable',
    steps: [{ status: 500, response: {} }],
    expected: 'not-applicable',
  },
  { name: 'no answer: not applicable', steps: [{}], expected: 'not-applicable' },
];

describe('required-headers-present', () => {
  it.each(cases)('$name', ({ steps, expected }) => {
    const context = makeContext({ api: 'mem0', operation: 'searchMemories', spec, steps });
    expect(reduceOutcome(check, check.run(context))).toEqual(expected);
  });
});
