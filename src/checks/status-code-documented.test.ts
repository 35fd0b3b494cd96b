import { describe, expect, it } from 'vitest';
import type { ApiName } from '../apis.js';
import { fakeSpecView, json, type ReducedOutcome, reduceOutcome } from '../testing/check-harness.js';
import { makeContext, type StepInput } from '../testing/context.js';
import { statusCodeDocumented } from './status-code-documented.js';

// Status tables as the three specs write them (specs/*.openapi.yaml).
const specs = {
  memos: fakeSpecView('memos', {
    searchMemory: { '200': json(), '400': json(), '401': json(), '429': json(), '500': json() },
  }),
  mem0: fakeSpecView('mem0', {
    searchMemories: {
      '200': json(),
      '400': json(),
      '401': json(),
      '403': json(),
      '404': json(),
      '500': json(),
    },
    ping: { '200': json(), '401': json(), '403': json() },
  }),
  memmachine: fakeSpecView('memmachine', {
    searchMemories: { '200': json(), '401': json(), '404': json(), '422': json(), default: json() },
  }),
  ranged: fakeSpecView('mem0', { searchMemories: { '200': json(), '4XX': json() } }),
};

const finding = (step = 'request', severity = 'error') => ({
  check: 'status-code-documented',
  severity,
  step,
});

const cases: {
  name: string;
  spec: keyof typeof specs;
  api: ApiName;
  operation: string;
  steps: StepInput[];
  expected: ReducedOutcome;
}[] = [
  {
    name: 'documented 200',
    spec: 'mem0',
    api: 'mem0',
    operation: 'searchMemories',
    steps: [{ status: 200, response: [] }],
    expected: [],
  },
  {
    name: 'documented 400',
    spec: 'mem0',
    api: 'mem0',
    operation: 'searchMemories',
    steps: [{ status: 400, response: {} }],
    expected: [],
  },
  {
    name: 'a documented 500 is left to the acceptance checks',
    spec: 'memos',
    api: 'memos',
    operation: 'searchMemory',
    steps: [{ status: 500, response: {} }],
    expected: [],
  },
  {
    name: 'a 4XX range covers 418',
    spec: 'ranged',
    api: 'mem0',
    operation: 'searchMemories',
    steps: [{ status: 418, response: {} }],
    expected: [],
  },
  {
    name: 'default covers an otherwise undocumented 400',
    spec: 'memmachine',
    api: 'memmachine',
    operation: 'searchMemories',
    steps: [{ status: 400, response: {} }],
    expected: [],
  },
  {
    name: 'undocumented 422 on Mem0',
    spec: 'mem0',
    api: 'mem0',
    operation: 'searchMemories',
    steps: [{ status: 422, response: {} }],
    expected: [finding()],
  },
  {
    name: 'undocumented 503 on MemOS: a warning (its error statuses are unverified, §1 Errors)',
    spec: 'memos',
    api: 'memos',
    operation: 'searchMemory',
    steps: [{ status: 503, response: {} }],
    expected: [finding('request', 'warning')],
  },
  {
    name: 'undocumented 202 on MemOS: an error (M-API documents 200)',
    spec: 'memos',
    api: 'memos',
    operation: 'searchMemory',
    steps: [{ status: 202, response: {} }],
    expected: [finding()],
  },
  {
    name: 'undocumented 201 on a range-only spec',
    spec: 'ranged',
    api: 'mem0',
    operation: 'searchMemories',
    steps: [{ status: 201, response: {} }],
    expected: [finding()],
  },
  {
    name: 'each step is judged against its own operation',
    spec: 'mem0',
    api: 'mem0',
    operation: 'searchMemories',
    steps: [
      { operation: 'ping', status: 200, response: { status: 'ok' } },
      { operation: 'ping', status: 404, response: {} },
      { status: 404, response: {} },
    ],
    expected: [finding('request-2')],
  },
  {
    name: 'no answer: not applicable',
    spec: 'mem0',
    api: 'mem0',
    operation: 'searchMemories',
    steps: [{}],
    expected: 'not-applicable',
  },
];

describe('status-code-documented', () => {
  it.each(cases)('$name', ({ spec, api, operation, steps, expected }) => {
    const context = makeContext({ api, operation, spec: specs[spec], steps });
    expect(reduceOutcome(statusCodeDocumented, statusCodeDocumented.run(context))).toEqual(expected);
  });

  it('lists the documented statuses in the message', () => {
    const context = makeContext({
      api: 'mem0',
      operation: 'ping',
      spec: specs.mem0,
      steps: [{ status: 418, response: {} }],
    });
    const outcome = statusCodeDocumented.run(context);
    expect(outcome).toMatchObject({
      status: 'checked',
      findings: [
        { message: 'Expected one of the statuses documented for ping (200, 401, 403) / Received 418' },
      ],
    });
  });
});
