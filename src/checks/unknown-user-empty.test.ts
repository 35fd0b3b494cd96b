import { describe, expect, it } from 'vitest';
import type { ApiName } from '../apis.js';
import {
  episode,
  expectedFinding,
  feature,
  mem0Item,
  memmachineAnswer,
  memosAnswer,
  memosItem,
  type ReducedOutcome,
  requestSpecView,
  runReduced,
} from '../testing/behaviour.js';
import { makeContext, type StepInput } from '../testing/context.js';
import type { CaseContext } from './types.js';
import { unknownUserEmpty } from './unknown-user-empty.js';

const user = 'mc-unknown-0f1e2d3c';
const finding = (severity: string, pointer?: string) =>
  expectedFinding(unknownUserEmpty, { severity, pointer });

const cases: {
  name: string;
  api: ApiName;
  operation: string;
  steps: StepInput[];
  tagged?: boolean;
  expected: ReducedOutcome;
}[] = [
  {
    name: 'mem0: 200 []',
    api: 'mem0',
    operation: 'searchMemories',
    steps: [{ body: { query: 'q', user_id: user }, status: 200, response: [] }],
    expected: { status: 'checked', findings: [] },
  },
  {
    name: 'mem0: results for a user with no data',
    api: 'mem0',
    operation: 'searchMemories',
    steps: [
      { body: { query: 'q', user_id: user }, status: 200, response: [mem0Item('a', { user_id: 'alex' })] },
    ],
    expected: { status: 'checked', findings: [finding('error', '')] },
  },
  {
    name: 'mem0: 404 for a user with no data',
    api: 'mem0',
    operation: 'searchMemories',
    steps: [{ body: { query: 'q', user_id: user }, status: 404, response: { detail: 'Not found.' } }],
    expected: { status: 'checked', findings: [finding('error')] },
  },
  {
    name: 'memos get: empty lists',
    api: 'memos',
    operation: 'getMemory',
    steps: [
      {
        body: { user_id: user },
        status: 200,
        response: memosAnswer(
          { memory: [], preference: [], tool: [] },
          { total: 0, size: 10, current: 1, pages: 0 },
        ),
      },
    ],
    expected: { status: 'checked', findings: [] },
  },
  {
    name: 'memos search: a body-level not-found code is a warning',
    api: 'memos',
    operation: 'searchMemory',
    steps: [
      { body: { user_id: user, query: 'q' }, status: 200, response: { code: 40001, message: 'not found' } },
    ],
    expected: { status: 'checked', findings: [finding('warning')] },
  },
  {
    name: 'memos search: preferences of someone else are a warning',
    api: 'memos',
    operation: 'searchMemory',
    steps: [
      {
        body: { user_id: user, query: 'q' },
        status: 200,
        response: memosAnswer({ preference: [memosItem('p')] }),
      },
    ],
    expected: { status: 'checked', findings: [finding('warning', '/data/preference_detail_list')] },
  },
  {
    name: 'memmachine: episodes under an unknown user filter; semantic sets are not per user',
    api: 'memmachine',
    operation: 'searchMemories',
    steps: [
      {
        body: { query: 'q', filter: `metadata.user_id='${user}'` },
        status: 200,
        response: memmachineAnswer({ shortTerm: [episode('s')], longTerm: [], semantic: [feature('f')] }),
      },
    ],
    expected: {
      status: 'checked',
      findings: [finding('warning', '/content/episodic_memory/short_term_memory/episodes')],
    },
  },
  {
    name: 'cases not tagged unknown-user are not applicable',
    api: 'mem0',
    operation: 'searchMemories',
    tagged: false,
    steps: [{ body: { query: 'q', user_id: 'alex' }, status: 200, response: [mem0Item('a')] }],
    expected: { status: 'not-applicable' },
  },
  {
    name: 'no answer leaves nothing to judge',
    api: 'mem0',
    operation: 'searchMemories',
    steps: [{ body: { query: 'q', user_id: user }, failure: { kind: 'refused', message: 'refused' } }],
    expected: { status: 'vacuous' },
  },
];

describe('unknown-user-empty', () => {
  it.each(cases)('$name', ({ api, operation, steps, tagged, expected }) => {
    const base = makeContext({ api, operation, steps, spec: requestSpecView(api) });
    const context: CaseContext = {
      ...base,
      suiteCase: { ...base.suiteCase, tags: tagged === false ? [] : ['unknown-user'] },
    };
    expect(runReduced(unknownUserEmpty, context)).toEqual(expected);
  });
});
