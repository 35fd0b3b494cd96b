import { describe, expect, it } from 'vitest';
import type { ApiName } from '../apis.js';
import { fakeSpecView, json, type ReducedOutcome, reduceOutcome } from '../testing/check-harness.js';
import { makeContext, type StepInput } from '../testing/context.js';
import { credentialsRequired as check } from './credentials-required.js';
import type { TargetInfo } from './types.js';

const spec = fakeSpecView('memos', {
  searchMemory: { '200': json(), '400': json(), '401': json(), '500': json() },
  searchMemories: { '200': json(), '400': json(), '401': json(), '403': json(), default: json() },
  ping: { '200': json(), '401': json(), '403': json() },
});

const finding = (severity = 'error', pointer?: string, step = 'request') => ({
  check: 'credentials-required',
  severity,
  step,
  ...(pointer === undefined ? {} : { pointer }),
});

const cases: {
  name: string;
  api: ApiName;
  operation?: string;
  target?: Partial<TargetInfo>;
  steps: StepInput[];
  expected: ReducedOutcome;
}[] = [
  {
    name: 'Mem0 no credentials: 401',
    api: 'mem0',
    steps: [{ auth: 'none', status: 401, response: { detail: 'x' } }],
    expected: [],
  },
  {
    name: 'Mem0 no credentials: 403 is not the documented 401 (DRF TokenAuthentication, §4c)',
    api: 'mem0',
    steps: [{ auth: 'none', status: 403, response: { detail: 'x' } }],
    expected: [finding()],
  },
  {
    name: 'Mem0 invalid key: 403 is not the documented 401',
    api: 'mem0',
    steps: [{ auth: 'invalid', status: 403, response: { detail: 'x' } }],
    expected: [finding()],
  },
  {
    name: 'MemOS and the MemMachine Platform document no exact status: 403 passes',
    api: 'memmachine',
    steps: [{ auth: 'invalid', status: 403, response: { code: 403, message: 'x' } }],
    expected: [],
  },
  {
    name: 'Mem0 ping with an invalid key: 401',
    api: 'mem0',
    operation: 'ping',
    steps: [{ auth: 'invalid', status: 401, response: {} }],
    expected: [],
  },
  {
    name: 'Mem0 serves data without credentials',
    api: 'mem0',
    steps: [{ auth: 'none', status: 200, response: [] }],
    expected: [finding()],
  },
  {
    name: 'Mem0 serves data to an invalid key',
    api: 'mem0',
    steps: [{ auth: 'invalid', status: 200, response: [] }],
    expected: [finding()],
  },
  {
    name: 'Mem0 missing header answered 400: wrong kind, an error (401 documented, §4c)',
    api: 'mem0',
    steps: [{ auth: 'none', status: 400, response: { message: 'x' } }],
    expected: [finding()],
  },
  {
    name: 'Mem0 invalid key answered 400: wrong kind, an error (401 documented)',
    api: 'mem0',
    steps: [{ auth: 'invalid', status: 400, response: { message: 'x' } }],
    expected: [finding()],
  },
  {
    name: 'Mem0 crashes without credentials',
    api: 'mem0',
    steps: [{ auth: 'none', status: 500, response: {} }],
    expected: [finding()],
  },
  {
    name: 'MemOS HTTP 401',
    api: 'memos',
    steps: [{ auth: 'none', status: 401, response: { code: 40100, message: 'x' } }],
    expected: [],
  },
  {
    name: 'MemOS HTTP 200 with code 40130 (status unverified)',
    api: 'memos',
    steps: [
      { auth: 'none', status: 200, response: { code: 40130, message: 'API Key authentication required' } },
    ],
    expected: [],
  },
  {
    name: 'MemOS HTTP 400 with code 40132',
    api: 'memos',
    steps: [
      { auth: 'invalid', status: 400, response: { code: 40132, message: 'Invalid or expired API Key' } },
    ],
    expected: [],
  },
  {
    name: 'MemOS HTTP 200 with code 0 serves data',
    api: 'memos',
    steps: [{ auth: 'none', status: 200, response: { code: 0, data: {}, message: 'ok' } }],
    expected: [finding('error', '/code')],
  },
  {
    name: 'MemOS HTTP 400 with a non-auth code',
    api: 'memos',
    steps: [{ auth: 'invalid', status: 400, response: { code: 40000, message: 'x' } }],
    expected: [finding('error', '/code')],
  },
  {
    name: 'MemMachine Platform 400 for a bad token: a warning (unverified)',
    api: 'memmachine',
    steps: [{ auth: 'invalid', status: 400, response: { code: 400, message: 'x' } }],
    expected: [finding('warning')],
  },
  {
    name: 'MemMachine Platform serves data to a bad token',
    api: 'memmachine',
    steps: [{ auth: 'invalid', status: 200, response: { status: 0, content: {} } }],
    expected: [finding()],
  },
  {
    name: 'a target without auth: not applicable',
    api: 'memmachine',
    target: { authRequired: false, flavour: 'self-hosted' },
    steps: [{ auth: 'none', status: 200, response: { status: 0, content: {} } }],
    expected: 'not-applicable',
  },
  {
    name: 'only valid credentials: not applicable',
    api: 'mem0',
    steps: [{ status: 200, response: [] }],
    expected: 'not-applicable',
  },
  {
    name: 'only the credential-less step of a mixed case is judged',
    api: 'mem0',
    steps: [
      { status: 200, response: [] },
      { auth: 'none', status: 200, response: [] },
    ],
    expected: [finding('error', undefined, 'request-2')],
  },
  { name: 'no answer: not applicable', api: 'mem0', steps: [{ auth: 'none' }], expected: 'not-applicable' },
];

describe('credentials-required', () => {
  it.each(cases)('$name', ({ api, operation, target, steps, expected }) => {
    const op = operation ?? (api === 'memos' ? 'searchMemory' : 'searchMemories');
    const context = makeContext({ api, operation: op, spec, steps, ...(target ? { target } : {}) });
    expect(reduceOutcome(check, check.run(context))).toEqual(expected);
  });

  it('says which credentials were sent and what came back', () => {
    const context = makeContext({
      api: 'mem0',
      operation: 'searchMemories',
      spec,
      steps: [{ auth: 'none', status: 200, response: [] }],
    });
    expect(check.run(context)).toMatchObject({
      findings: [{ message: 'Expected 401 for a request with no credentials / Received HTTP 200 with data' }],
    });
  });
});
