import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { ApiName } from '../apis.js';
import { loadApiSpec } from '../spec/index.js';
import { fakeSpecView, json, type ReducedOutcome, reduceOutcome } from '../testing/check-harness.js';
import { makeContext, type StepInput } from '../testing/context.js';
import { responseSchemaConformance as check } from './response-schema-conformance.js';
import type { SchemaViolation, SpecView } from './types.js';

const violation = (
  pointer: string,
  keyword = 'type',
  severity: 'error' | 'warning' = 'error',
): SchemaViolation => ({
  pointer,
  keyword,
  severity,
  message: `Expected something at ${pointer} / Received ${keyword}`,
});

/** A validator that reports `violations` for every body. */
const always =
  (...violations: SchemaViolation[]) =>
  (): readonly SchemaViolation[] =>
    violations;

// The error-branch complaints about a code-0 body, as the real spec layer words them.
const codeNot = {
  ...violation('/code', 'not'),
  message: 'Expected a value the "not" schema rejects / Received 0',
};
const dataNull = { ...violation('/data'), message: 'Expected null / Received object {}' };
const rootOneOf = violation('', 'oneOf');

const fake = (
  api: ApiName,
  status200: readonly SchemaViolation[],
  status400: readonly SchemaViolation[] = [],
) =>
  fakeSpecView(api, {
    searchMemory: { '200': json(always(...status200)), '400': json(always(...status400)), '404': {} },
    searchMemories: { '200': json(always(...status200)), '400': json(always(...status400)), '404': {} },
  });

const finding = (pointer: string, extra: { severity?: string; count?: number; step?: string } = {}) => ({
  check: 'response-schema-conformance',
  severity: extra.severity ?? 'error',
  step: extra.step ?? 'request',
  pointer,
  ...(extra.count === undefined ? {} : { count: extra.count }),
});

const memosOk = { code: 0, data: {}, message: 'ok' };

const cases: { name: string; api: ApiName; spec: SpecView; steps: StepInput[]; expected: ReducedOutcome }[] =
  [
    {
      name: 'a body that validates',
      api: 'mem0',
      spec: fake('mem0', []),
      steps: [{ status: 200, response: [] }],
      expected: [],
    },
    {
      name: 'one violation',
      api: 'mem0',
      spec: fake('mem0', [violation('/0/created_at')]),
      steps: [{ status: 200, response: [{}] }],
      expected: [finding('/0/created_at')],
    },
    {
      name: 'repeats over array items collapse into one finding with a count, pointing at the first',
      api: 'mem0',
      spec: fake('mem0', [
        violation('/0/created_at'),
        violation('/1/created_at'),
        violation('/2/created_at'),
      ]),
      steps: [{ status: 200, response: [{}, {}, {}] }],
      expected: [finding('/0/created_at', { count: 3 })],
    },
    {
      name: 'different keywords at one place stay apart',
      api: 'mem0',
      spec: fake('mem0', [violation('/0/score'), violation('/0/score', 'minimum')]),
      steps: [{ status: 200, response: [{}] }],
      expected: [finding('/0/score'), finding('/0/score')],
    },
    {
      name: 'a warn-level rule stays a warning',
      api: 'mem0',
      spec: fake('mem0', [violation('/0/score', 'required', 'warning')]),
      steps: [{ status: 200, response: [{}] }],
      expected: [finding('/0/score', { severity: 'warning' })],
    },
    {
      name: 'an error status is validated against its own schema',
      api: 'mem0',
      spec: fake('mem0', [], [violation('', 'type')]),
      steps: [{ status: 400, response: [] }],
      expected: [finding('')],
    },
    {
      name: 'Mem0 with `fields`: missing required item keys are not findings, other violations are',
      api: 'mem0',
      spec: fake('mem0', [
        violation('/0/user_id', 'required'),
        violation('/results/1/id', 'required'),
        violation('/0/memory'),
      ]),
      steps: [{ body: { query: 'q', user_id: 'alex', fields: ['memory'] }, status: 200, response: [{}] }],
      expected: [finding('/0/memory')],
    },
    {
      name: 'Mem0 without `fields`: missing required item keys are findings',
      api: 'mem0',
      spec: fake('mem0', [violation('/0/user_id', 'required')]),
      steps: [{ body: { query: 'q', user_id: 'alex' }, status: 200, response: [{}] }],
      expected: [finding('/0/user_id')],
    },
    {
      name: 'MemOS error body on HTTP 200 is judged as the documented error response',
      api: 'memos',
      spec: fake(
        'memos',
        [codeNot, dataNull, violation('/data/memory_detail_list', 'required')],
        [violation('/message', 'required')],
      ),
      steps: [{ status: 200, response: { code: 40000 } }],
      expected: [finding('/message')],
    },
    {
      name: 'MemOS well-formed error body on HTTP 200',
      api: 'memos',
      spec: fake('memos', [violation('/data', 'required')], []),
      steps: [{ status: 200, response: { code: 40002, message: 'Required field cannot be empty' } }],
      expected: [],
    },
    {
      name: 'MemOS success body: error-branch complaints and the oneOf summary are dropped',
      api: 'memos',
      spec: fake(
        'memos',
        [rootOneOf, codeNot, dataNull, violation('/data/memory_detail_list/0/id')],
        [codeNot, dataNull],
      ),
      steps: [{ status: 200, response: memosOk }],
      expected: [finding('/data/memory_detail_list/0/id')],
    },
    {
      name: 'MemOS success body judged only by the error branch: one finding for the envelope',
      api: 'memos',
      spec: fake('memos', [codeNot, dataNull], [codeNot, dataNull]),
      steps: [{ status: 200, response: memosOk }],
      expected: [finding('')],
    },
    {
      name: 'MemOS success body: a /data violation the error schema does not produce is kept',
      api: 'memos',
      spec: fake(
        'memos',
        [{ ...violation('/data'), message: 'Expected object / Received string "x"' }],
        [codeNot, dataNull],
      ),
      steps: [{ status: 200, response: { code: 0, data: 'x', message: 'ok' } }],
      expected: [finding('/data')],
    },
    {
      name: 'MemOS 4xx with code 0 keeps the error schema complaint',
      api: 'memos',
      spec: fake('memos', [], [codeNot]),
      steps: [{ status: 400, response: { code: 0, message: 'x' } }],
      expected: [finding('/code')],
    },
    {
      name: 'each step is judged',
      api: 'mem0',
      spec: fake('mem0', [violation('/0/id')], [violation('/message', 'required')]),
      steps: [
        { status: 200, response: [{}] },
        { status: 400, response: {} },
      ],
      expected: [finding('/0/id'), finding('/message', { step: 'request-2' })],
    },
    {
      name: 'no JSON body: vacuous (content-type-json reports it)',
      api: 'mem0',
      spec: fake('mem0', [violation('')]),
      steps: [{ status: 200, responseText: '<html>' }],
      expected: 'vacuous',
    },
    {
      name: 'no schema documented for the status: vacuous (status-code-documented reports it)',
      api: 'mem0',
      spec: fake('mem0', [violation('')]),
      steps: [{ status: 404, response: { detail: 'Not found.' } }],
      expected: 'vacuous',
    },
    {
      name: 'no answer: not applicable',
      api: 'mem0',
      spec: fake('mem0', []),
      steps: [{}],
      expected: 'not-applicable',
    },
  ];

describe('response-schema-conformance', () => {
  it.each(cases)('$name', ({ api, spec, steps, expected }) => {
    const context = makeContext({
      api,
      operation: api === 'memos' ? 'searchMemory' : 'searchMemories',
      spec,
      steps,
    });
    expect(reduceOutcome(check, check.run(context))).toEqual(expected);
  });

  it('counts the places that broke the rule, names their pattern and keeps the spec message', () => {
    const spec = fake('mem0', [violation('/0/id'), violation('/1/id')]);
    const context = makeContext({
      api: 'mem0',
      operation: 'searchMemories',
      spec,
      steps: [{ status: 200, response: [{}, {}] }],
    });
    expect(check.run(context)).toMatchObject({
      status: 'checked',
      findings: [{ message: 'Expected something at /0/id / Received type (every /*/id)', count: 2 }],
    });
  });
});

describe('response-schema-conformance against the shipped specs', () => {
  const root = fileURLToPath(new URL('../..', import.meta.url));
  const memos = loadApiSpec('memos', root).view;
  const mem0 = loadApiSpec('mem0', root).view;
  const emptyData = {
    memory_detail_list: [],
    preference_detail_list: [],
    tool_memory_detail_list: [],
    preference_note: '',
  };
  const item = {
    id: 'a8aec934-756b-4f7e-afdf-da4f567b2f85',
    memory_key: 'k',
    memory_value: 'v',
    memory_type: 'WorkingMemory',
    create_time: 1762675057192,
    update_time: 1762675059740,
    conversation_id: 'c',
    status: 'activated',
    confidence: 0.9,
    tags: [],
    relativity: 0.8,
  };
  const realCases: {
    name: string;
    api: ApiName;
    spec: SpecView;
    steps: StepInput[];
    expected: ReducedOutcome;
  }[] = [
    {
      name: 'MemOS empty success envelope',
      api: 'memos',
      spec: memos,
      steps: [{ status: 200, response: { code: 0, data: emptyData, message: 'ok' } }],
      expected: [],
    },
    {
      name: 'MemOS ISO string create_time (the seed page form) is one finding at the item',
      api: 'memos',
      spec: memos,
      steps: [
        {
          status: 200,
          response: {
            code: 0,
            data: { ...emptyData, memory_detail_list: [{ ...item, create_time: '2025-11-09' }] },
            message: 'ok',
          },
        },
      ],
      expected: [finding('/data/memory_detail_list/0/create_time')],
    },
    {
      name: 'MemOS error body on HTTP 200 without message: one finding, no oneOf noise',
      api: 'memos',
      spec: memos,
      steps: [{ status: 200, response: { code: 40000 } }],
      expected: [finding('/message')],
    },
    {
      name: 'MemOS error body on HTTP 200',
      api: 'memos',
      spec: memos,
      steps: [
        { status: 200, response: { code: 40000, message: 'Invalid request parameters{0}', data: null } },
      ],
      expected: [],
    },
    {
      name: 'Mem0 `fields` restricts item keys',
      api: 'mem0',
      spec: mem0,
      steps: [
        {
          body: { query: 'food', user_id: 'alex', fields: ['memory'] },
          status: 200,
          response: [{ memory: 'x' }, { memory: 'y' }],
        },
      ],
      expected: [],
    },
    {
      name: 'Mem0 items without required keys, two items collapse per key',
      api: 'mem0',
      spec: mem0,
      steps: [
        {
          body: { query: 'food', user_id: 'alex' },
          status: 200,
          response: [{ memory: 'x' }, { memory: 'y' }],
        },
      ],
      expected: [
        finding('/0/id', { count: 2 }),
        finding('/0/user_id', { count: 2 }),
        finding('/0/created_at', { count: 2 }),
        finding('/0/updated_at', { count: 2 }),
        finding('/0/score', { count: 2, severity: 'warning' }),
      ],
    },
  ];
  it.each(realCases)('$name', ({ api, spec, steps, expected }) => {
    const context = makeContext({
      api,
      operation: api === 'memos' ? 'searchMemory' : 'searchMemories',
      spec,
      steps,
    });
    expect(reduceOutcome(check, check.run(context))).toEqual(expected);
  });
});
