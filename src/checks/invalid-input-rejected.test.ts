import { describe, expect, it } from 'vitest';
import type { ApiName } from '../apis.js';
import { fakeSpecView, json, type ReducedOutcome, reduceOutcome } from '../testing/check-harness.js';
import { makeContext, type StepInput } from '../testing/context.js';
import { invalidInputRejected as check } from './invalid-input-rejected.js';
import type { TargetInfo } from './types.js';

const spec = fakeSpecView('memos', {
  searchMemory: { '200': json(), '400': json(), '401': json(), '500': json() },
  searchMemories: { '200': json(), '400': json(), '401': json(), '422': json(), default: json() },
});

const finding = (step = 'request', severity = 'error') => ({
  check: 'invalid-input-rejected',
  severity,
  step,
});
const warning = () => finding('request', 'warning');
const textPlain = (status: number, response: unknown = {}): StepInput => ({
  invalid: 'declared text/plain',
  contentType: 'text/plain',
  body: { query: 'food', user_id: 'alex' },
  status,
  response,
});
const hosted: Partial<TargetInfo> = { flavour: 'hosted', authRequired: true };
const selfHosted: Partial<TargetInfo> = { flavour: 'self-hosted', authRequired: false };
const noEntity = { query: 'food' };
const emptyQuery = { query: '', user_id: 'alex' };

const cases: {
  name: string;
  api: ApiName;
  target?: Partial<TargetInfo>;
  steps: StepInput[];
  expected: ReducedOutcome;
}[] = [
  {
    name: 'Mem0 empty query: 400',
    api: 'mem0',
    steps: [{ invalid: 'empty query', body: emptyQuery, status: 400, response: {} }],
    expected: [],
  },
  {
    name: 'Mem0 empty query: any 4xx (status unverified)',
    api: 'mem0',
    steps: [{ invalid: 'empty query', body: emptyQuery, status: 422, response: {} }],
    expected: [],
  },
  {
    name: 'Mem0 no entity id: the documented 400',
    api: 'mem0',
    steps: [{ invalid: 'no entity id', body: noEntity, status: 400, response: {} }],
    expected: [],
  },
  {
    name: 'Mem0 no entity id: another 4xx breaks the documented 400',
    api: 'mem0',
    steps: [{ invalid: 'no entity id', body: noEntity, status: 422, response: {} }],
    expected: [finding()],
  },
  {
    name: 'Mem0 answers an invalid request with data',
    api: 'mem0',
    steps: [{ invalid: 'empty query', body: emptyQuery, status: 200, response: [] }],
    expected: [finding()],
  },
  {
    name: 'Mem0 crashes on an invalid request',
    api: 'mem0',
    steps: [{ invalid: 'wrong type', body: { query: 5, user_id: 'alex' }, status: 500, response: {} }],
    expected: [finding()],
  },
  {
    name: 'MemOS HTTP 200 with a non-zero code is a rejection',
    api: 'memos',
    steps: [
      { invalid: 'user_id too long', status: 200, response: { code: 40010, message: 'User ID too long' } },
    ],
    expected: [],
  },
  {
    name: 'MemOS HTTP 400 with a code',
    api: 'memos',
    steps: [{ invalid: 'missing query', status: 400, response: { code: 40002, message: 'x' } }],
    expected: [],
  },
  {
    name: 'MemOS HTTP 200 with code 0 serves data',
    api: 'memos',
    steps: [{ invalid: 'limit 26', status: 200, response: { code: 0, data: {}, message: 'ok' } }],
    expected: [finding()],
  },
  {
    name: 'MemOS 5xx even with a client error code',
    api: 'memos',
    steps: [{ invalid: 'limit 26', status: 500, response: { code: 40000, message: 'x' } }],
    expected: [finding()],
  },
  {
    name: 'MemMachine hosted: any 4xx (Platform status unverified)',
    api: 'memmachine',
    steps: [{ invalid: 'missing query', status: 400, response: { code: 400, message: 'x' } }],
    expected: [],
  },
  {
    name: 'MemMachine self-hosted: 422',
    api: 'memmachine',
    target: selfHosted,
    steps: [
      {
        invalid: 'bad filter',
        status: 422,
        response: { detail: { code: 422, message: 'invalid argument' } },
      },
    ],
    expected: [],
  },
  {
    name: 'MemMachine self-hosted: 400 instead of the server 422',
    api: 'memmachine',
    target: selfHosted,
    steps: [{ invalid: 'bad filter', body: { query: 'q', filter: 'a = = b' }, status: 400, response: {} }],
    expected: [finding()],
  },
  {
    name: 'MemMachine self-hosted: an unparseable body may get any 4xx (no source pins it)',
    api: 'memmachine',
    target: selfHosted,
    steps: [{ invalid: 'truncated JSON', rawBody: '{"query": ', status: 400, response: {} }],
    expected: [],
  },
  {
    name: 'Mem0 no entity id in an unparseable body: any 4xx',
    api: 'mem0',
    steps: [{ invalid: 'truncated JSON', rawBody: '{"query": "food"', status: 415, response: {} }],
    expected: [],
  },
  {
    name: 'MemMachine self-hosted judges steps whatever their auth mode (no auth there)',
    api: 'memmachine',
    target: selfHosted,
    steps: [{ invalid: 'bad enum', auth: 'none', status: 200, response: { status: 0, content: {} } }],
    expected: [finding()],
  },
  { name: 'Mem0 text/plain: the documented 415 (§4c)', api: 'mem0', steps: [textPlain(415)], expected: [] },
  { name: 'Mem0 text/plain: 400 is not 415', api: 'mem0', steps: [textPlain(400)], expected: [finding()] },
  {
    name: 'MemMachine self-hosted text/plain: the documented 422 (§4c)',
    api: 'memmachine',
    target: selfHosted,
    steps: [textPlain(422)],
    expected: [],
  },
  {
    name: 'MemMachine self-hosted text/plain: 415 is not 422',
    api: 'memmachine',
    target: selfHosted,
    steps: [textPlain(415)],
    expected: [finding()],
  },
  {
    name: 'MemOS text/plain answered with data: a warning (undocumented, §4c)',
    api: 'memos',
    steps: [textPlain(200, { code: 0, data: {}, message: 'ok' })],
    expected: [warning()],
  },
  {
    name: 'MemMachine Platform text/plain answered with data: a warning (unverified)',
    api: 'memmachine',
    target: hosted,
    steps: [textPlain(200, { status: 0, content: {} })],
    expected: [warning()],
  },
  {
    name: 'MemMachine Platform accepts a filter the server code refuses: a warning',
    api: 'memmachine',
    target: hosted,
    steps: [
      {
        invalid: 'bare u-123',
        body: { query: 'q', filter: 'metadata.user_id=u-123' },
        status: 200,
        response: {},
      },
    ],
    expected: [warning()],
  },
  {
    name: 'MemMachine self-hosted accepts a filter its parser refuses (MM-FLT): an error',
    api: 'memmachine',
    target: selfHosted,
    steps: [
      {
        invalid: 'bare u-123',
        body: { query: 'q', filter: 'metadata.user_id=u-123' },
        status: 200,
        response: {},
      },
    ],
    expected: [finding()],
  },
  {
    name: 'MemMachine Platform accepts a wrong type the Platform schema forbids: an error',
    api: 'memmachine',
    target: hosted,
    steps: [{ invalid: 'types is a string', body: { query: 'q', types: 'x' }, status: 200, response: {} }],
    expected: [finding()],
  },
  {
    name: 'a redirect is no rejection',
    api: 'mem0',
    steps: [{ invalid: 'wrong content type', status: 302, responseText: '' }],
    expected: [finding()],
  },
  {
    name: 'steps without `invalid` are not judged',
    api: 'mem0',
    steps: [{ body: { query: 'q', user_id: 'alex' }, status: 500, response: {} }],
    expected: 'not-applicable',
  },
  {
    name: 'invalid steps without valid credentials are left to credentials-required',
    api: 'mem0',
    steps: [{ invalid: 'empty query', auth: 'none', status: 200, response: [] }],
    expected: 'not-applicable',
  },
  {
    name: 'no answer: not applicable',
    api: 'mem0',
    steps: [{ invalid: 'empty query' }],
    expected: 'not-applicable',
  },
];

describe('invalid-input-rejected', () => {
  it.each(cases)('$name', ({ api, target, steps, expected }) => {
    const operation = api === 'memos' ? 'searchMemory' : 'searchMemories';
    const context = makeContext({ api, operation, spec, steps, ...(target ? { target } : {}) });
    expect(reduceOutcome(check, check.run(context))).toEqual(expected);
  });

  it('names how the request was invalid and what came back', () => {
    const context = makeContext({
      api: 'mem0',
      operation: 'searchMemories',
      spec,
      steps: [
        {
          invalid: 'empty query',
          body: emptyQuery,
          status: 500,
          response: { detail: 'A server error occurred.' },
        },
      ],
    });
    expect(check.run(context)).toMatchObject({
      findings: [
        {
          message:
            'Expected a 4xx rejection of an invalid request (empty query) / Received HTTP 500: A server error occurred.',
        },
      ],
    });
  });
});
