import { describe, expect, it } from 'vitest';
import type { ApiName } from '../apis.js';
import { fakeSpecView, json, type ReducedOutcome, reduceOutcome } from '../testing/check-harness.js';
import { makeContext, type StepInput } from '../testing/context.js';
import type { TargetInfo } from './types.js';
import { validRequestAccepted as check } from './valid-request-accepted.js';

const spec = fakeSpecView('memos', {
  searchMemory: { '200': json(), '400': json(), '401': json(), '500': json() },
  searchMemories: { '200': json(), '400': json(), '401': json(), '500': json() },
});

const finding = (pointer?: string, step = 'request') => ({
  check: 'valid-request-accepted',
  severity: 'error',
  step,
  ...(pointer === undefined ? {} : { pointer }),
});

const memosOk = { code: 0, data: { memory_detail_list: [] }, message: 'ok' };

const cases: {
  name: string;
  api: ApiName;
  target?: Partial<TargetInfo>;
  steps: StepInput[];
  expected: ReducedOutcome;
}[] = [
  { name: 'Mem0 200', api: 'mem0', steps: [{ status: 200, response: [] }], expected: [] },
  { name: 'MemOS 200 with code 0', api: 'memos', steps: [{ status: 200, response: memosOk }], expected: [] },
  { name: 'any 2xx is accepted', api: 'mem0', steps: [{ status: 201, response: [] }], expected: [] },
  {
    name: 'a 400 answer',
    api: 'mem0',
    steps: [{ status: 400, response: { message: 'nope' } }],
    expected: [finding()],
  },
  {
    name: 'a 401 answer to valid credentials',
    api: 'mem0',
    steps: [{ status: 401, response: { detail: 'x' } }],
    expected: [finding()],
  },
  {
    name: 'a 500 answer',
    api: 'memmachine',
    steps: [{ status: 500, response: { code: 500, message: 'boom' } }],
    expected: [finding()],
  },
  { name: 'a redirect', api: 'mem0', steps: [{ status: 301, responseText: '' }], expected: [finding()] },
  {
    name: 'MemOS HTTP 200 with a non-zero code is a rejection',
    api: 'memos',
    steps: [{ status: 200, response: { code: 40000, message: 'Invalid request parameters{0}' } }],
    expected: [finding('/code')],
  },
  {
    name: 'Mem0 body `code` means nothing',
    api: 'mem0',
    steps: [{ status: 200, response: { code: 5, results: [] } }],
    expected: [],
  },
  {
    name: 'steps marked invalid are not judged',
    api: 'mem0',
    steps: [{ invalid: 'empty query', status: 400, response: {} }],
    expected: 'not-applicable',
  },
  {
    name: 'steps without valid credentials are not judged',
    api: 'mem0',
    steps: [
      { auth: 'none', status: 401, response: {} },
      { auth: 'invalid', status: 401, response: {} },
    ],
    expected: 'not-applicable',
  },
  {
    name: 'a target without auth ignores credentials, so an auth-none step must be accepted',
    api: 'memmachine',
    target: { authRequired: false, flavour: 'self-hosted' },
    steps: [{ auth: 'none', status: 401, response: {} }],
    expected: [finding()],
  },
  {
    name: 'only the valid step of a mixed case is judged',
    api: 'mem0',
    steps: [
      { auth: 'none', status: 401, response: {} },
      { status: 422, response: {} },
    ],
    expected: [finding(undefined, 'request-2')],
  },
  { name: 'no answer: not applicable', api: 'mem0', steps: [{}], expected: 'not-applicable' },
];

describe('valid-request-accepted', () => {
  it.each(cases)('$name', ({ api, target, steps, expected }) => {
    const operation = api === 'memos' ? 'searchMemory' : 'searchMemories';
    const context = makeContext({ api, operation, spec, steps, ...(target ? { target } : {}) });
    expect(reduceOutcome(check, check.run(context))).toEqual(expected);
  });

  it('quotes the status, the MemOS code and the start of the error message', () => {
    const message = `Invalid request parameters ${'x'.repeat(400)}`;
    const context = makeContext({
      api: 'memos',
      operation: 'searchMemory',
      spec,
      steps: [{ status: 200, response: { code: 40000, message } }],
    });
    const outcome = check.run(context);
    if (outcome.status !== 'checked') throw new Error('expected checked');
    const text = outcome.findings[0]?.message ?? '';
    expect(text).toMatch(
      /^Expected code 0 \(success\) for a valid request \/ Received HTTP 200 with code 40000: Invalid request parameters x+…$/,
    );
    expect(text.length).toBeLessThan(300);
  });

  it('reads FastAPI-style nested detail messages', () => {
    const context = makeContext({
      api: 'memmachine',
      operation: 'searchMemories',
      spec,
      steps: [{ status: 422, response: { detail: { code: 422, message: 'invalid argument' } } }],
    });
    expect(check.run(context)).toMatchObject({
      findings: [
        { message: 'Expected a 2xx answer to a valid request / Received HTTP 422: invalid argument' },
      ],
    });
  });
});
