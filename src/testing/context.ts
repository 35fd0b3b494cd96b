/**
 * Builders for check tests: a finished case from plain request/response data, without any I/O.
 * Checks are pure functions of a CaseContext, so their table-driven tests build contexts here and run the
 * end-to-end behaviour against real servers elsewhere.
 */
import type { ApiName } from '../apis.js';
import type { CaseContext, SpecView, StepResult, TargetInfo } from '../checks/types.js';
import type { Exchange } from '../http/exchange.js';
import type { AuthMode, SuiteStep } from '../suite/types.js';

/** What a test says about one step; everything else gets a sensible default. */
export interface StepInput {
  name?: string;
  operation?: string;
  body?: unknown;
  rawBody?: string;
  /** Request Content-Type; default application/json. */
  contentType?: string;
  auth?: AuthMode;
  invalid?: string;
  /** Response status; omit together with `failure` to model a transport failure. */
  status?: number;
  /** Response JSON body (serialised for `response.body`). */
  response?: unknown;
  /** Raw response text, when it must not be JSON. */
  responseText?: string;
  responseHeaders?: Record<string, string>;
  failure?: Exchange['failure'];
}

/** Builds the exchange a step produced. */
export function makeExchange(input: StepInput, url = 'http://127.0.0.1:1/op'): Exchange {
  const requestBody = input.rawBody ?? (input.body === undefined ? undefined : JSON.stringify(input.body));
  const request = {
    method: 'POST',
    url,
    headers: { 'content-type': input.contentType ?? 'application/json' },
    ...(requestBody === undefined ? {} : { body: requestBody }),
    ...(input.body === undefined ? {} : { json: input.body }),
  };
  if (input.failure || input.status === undefined) {
    return { request, failure: input.failure ?? { kind: 'timeout', message: 'no answer' }, durationMs: 1 };
  }
  const text = input.responseText ?? (input.response === undefined ? '' : JSON.stringify(input.response));
  let json: unknown;
  let jsonError: string | undefined;
  try {
    json = text === '' ? undefined : JSON.parse(text);
    if (text === '') jsonError = 'empty body';
  } catch (error) {
    jsonError = (error as Error).message;
  }
  return {
    request,
    response: {
      status: input.status,
      headers: { 'content-type': 'application/json', ...lowerCaseKeys(input.responseHeaders ?? {}) },
      body: text,
      bodyBytes: Buffer.byteLength(text),
      truncated: false,
      ...(json === undefined ? {} : { json }),
      ...(jsonError === undefined ? {} : { jsonError }),
    },
    durationMs: 1,
  };
}

/** Builds a finished case for `api`/`operation` from step inputs. */
export function makeContext(options: {
  api: ApiName;
  operation: string;
  steps: readonly StepInput[];
  spec: SpecView;
  target?: Partial<TargetInfo>;
  caseId?: string;
}): CaseContext {
  const steps: StepResult[] = options.steps.map((input, index) => {
    const step: SuiteStep = {
      name: input.name ?? (index === 0 ? 'request' : `request-${index + 1}`),
      operation: input.operation ?? options.operation,
      auth: input.auth ?? 'valid',
      headers: {},
      ...(input.body === undefined ? {} : { body: input.body }),
      ...(input.rawBody === undefined ? {} : { rawBody: input.rawBody }),
      ...(input.invalid === undefined ? {} : { invalid: input.invalid }),
    };
    return { step, exchange: makeExchange(input) };
  });
  return {
    target: {
      api: options.api,
      url: 'http://127.0.0.1:1',
      flavour: 'hosted',
      authRequired: true,
      ...options.target,
    },
    spec: options.spec,
    suiteCase: {
      id: options.caseId ?? 'test-case',
      description: 'A case built by a unit test.',
      steps: steps.map((s) => s.step),
      tags: [],
    },
    steps,
  };
}

function lowerCaseKeys(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
}
