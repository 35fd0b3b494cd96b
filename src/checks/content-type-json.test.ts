import { describe, expect, it } from 'vitest';
import type { ExchangeResponse } from '../http/exchange.js';
import { fakeSpecView, json, type ReducedOutcome, reduceOutcome } from '../testing/check-harness.js';
import { makeContext, type StepInput } from '../testing/context.js';
import { contentTypeJson } from './content-type-json.js';
import type { CaseContext } from './types.js';

const spec = fakeSpecView('mem0', {
  searchMemories: {
    '200': json(),
    '400': { mediaTypes: ['application/json', 'application/problem+json'] },
    '404': {},
    '500': { mediaTypes: ['application/*'] },
  },
});

type Patch = (response: ExchangeResponse) => ExchangeResponse;

const withoutContentType: Patch = (response) => {
  const { 'content-type': _dropped, ...headers } = response.headers;
  return { ...response, headers };
};
const truncated: Patch = (response) => {
  const { json: _dropped, ...rest } = response;
  return { ...rest, body: response.body.slice(0, 10), truncated: true, jsonError: 'truncated' };
};

function build(step: StepInput, patch?: Patch): CaseContext {
  const context = makeContext({ api: 'mem0', operation: 'searchMemories', spec, steps: [step] });
  if (!patch) return context;
  return {
    ...context,
    steps: context.steps.map(({ step: s, exchange }) => ({
      step: s,
      exchange: exchange.response ? { ...exchange, response: patch(exchange.response) } : exchange,
    })),
  };
}

const error = (severity = 'error') => [{ check: 'content-type-json', severity, step: 'request' }];
const ct = (value: string) => ({ 'content-type': value });

const cases: { name: string; step: StepInput; patch?: Patch; expected: ReducedOutcome }[] = [
  { name: 'application/json with a JSON body', step: { status: 200, response: [] }, expected: [] },
  {
    name: 'charset parameter and upper case are fine',
    step: { status: 200, response: [], responseHeaders: ct('Application/JSON; charset=utf-8') },
    expected: [],
  },
  {
    name: 'a documented +json type',
    step: { status: 400, response: { title: 'bad' }, responseHeaders: ct('application/problem+json') },
    expected: [],
  },
  {
    name: 'a +json type within a documented range',
    step: { status: 500, response: {}, responseHeaders: ct('application/vnd.mem0+json') },
    expected: [],
  },
  {
    name: 'no content documented: any JSON type will do',
    step: { status: 404, response: {}, responseHeaders: ct('application/problem+json') },
    expected: [],
  },
  { name: 'empty body where nothing is documented', step: { status: 404 }, expected: [] },
  { name: 'empty body where JSON is documented', step: { status: 200 }, expected: error() },
  {
    name: 'no Content-Type header',
    step: { status: 200, response: [] },
    patch: withoutContentType,
    expected: error(),
  },
  {
    name: 'text/html answer',
    step: { status: 200, responseText: '<html>oops</html>', responseHeaders: ct('text/html') },
    expected: error(),
  },
  {
    name: 'JSON body declared text/plain',
    step: { status: 200, response: [], responseHeaders: ct('text/plain') },
    expected: error(),
  },
  {
    name: 'a +json type the spec does not document for the status',
    step: { status: 200, response: [], responseHeaders: ct('application/problem+json') },
    expected: error(),
  },
  {
    name: 'declared JSON, body does not parse',
    step: { status: 200, responseText: '{"a":' },
    expected: error(),
  },
  {
    name: 'body cut at the size limit',
    step: { status: 200, response: [1, 2, 3, 4, 5, 6] },
    patch: truncated,
    expected: error('warning'),
  },
  { name: 'no answer: not applicable', step: {}, expected: 'not-applicable' },
];

describe('content-type-json', () => {
  it.each(cases)('$name', ({ step, patch, expected }) => {
    expect(reduceOutcome(contentTypeJson, contentTypeJson.run(build(step, patch)))).toEqual(expected);
  });

  it('reports a non-JSON answer once, saying the body does not parse either', () => {
    const outcome = contentTypeJson.run(
      build({ status: 200, responseText: '<html>oops</html>', responseHeaders: ct('text/html') }),
    );
    expect(outcome).toMatchObject({
      status: 'checked',
      findings: [
        {
          message:
            'Expected Content-Type application/json / Received text/html; the body does not parse as JSON either',
        },
      ],
    });
  });
});
