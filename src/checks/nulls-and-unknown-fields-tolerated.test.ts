import { describe } from 'vitest';
import {
  type ApiCheckCase,
  expectedFinding,
  itJudgesRows,
  memmachineAnswer,
  memosAnswer,
} from '../testing/behaviour.js';
import { nullsAndUnknownFieldsTolerated } from './nulls-and-unknown-fields-tolerated.js';

/** The body the official MemOS Python client sends for a plain search (M-CLI). */
const clientBody = {
  user_id: 'memos_user_345',
  query: 'spicy food',
  conversation_id: null,
  filter: null,
  knowledgebase_ids: null,
  memory_limit_number: 6,
  include_preference: true,
  preference_limit_number: 6,
  include_tool_memory: false,
  tool_memory_limit_number: 6,
  relativity: null,
  source: null,
};
const finding = (severity: string, pointer?: string) =>
  expectedFinding(nullsAndUnknownFieldsTolerated, { severity, pointer });

const cases: ApiCheckCase[] = [
  {
    name: 'memos: the official client body is accepted',
    api: 'memos',
    operation: 'searchMemory',
    steps: [{ body: clientBody, status: 200, response: memosAnswer({ memory: [] }) }],
    expected: { status: 'checked', findings: [] },
  },
  {
    name: 'memos: nulls rejected with a body-level code',
    api: 'memos',
    operation: 'searchMemory',
    steps: [
      { body: clientBody, status: 200, response: { code: 40000, message: 'Invalid request parameters{0}' } },
    ],
    expected: { status: 'checked', findings: [finding('error', '/code')] },
  },
  {
    name: 'memos: an unknown key alone rejected with HTTP 400 is a warning (tolerance inferred)',
    api: 'memos',
    operation: 'getMemory',
    steps: [
      { body: { user_id: 'u', context_hint: 'x' }, status: 400, response: { code: 40000, message: 'bad' } },
    ],
    expected: { status: 'checked', findings: [finding('warning')] },
  },
  {
    name: 'mem0: the unknown limit key is accepted',
    api: 'mem0',
    operation: 'searchMemories',
    steps: [{ body: { query: 'q', user_id: 'alex', limit: 1 }, status: 200, response: [] }],
    expected: { status: 'checked', findings: [] },
  },
  {
    name: 'mem0: the unknown limit key rejected',
    api: 'mem0',
    operation: 'searchMemories',
    steps: [
      { body: { query: 'q', user_id: 'alex', limit: 1 }, status: 400, response: { limit: ['unknown'] } },
    ],
    expected: { status: 'checked', findings: [finding('error')] },
  },
  {
    name: 'mem0: null for nullable ids rejected',
    api: 'mem0',
    operation: 'searchMemories',
    steps: [
      {
        body: { query: 'q', user_id: 'alex', agent_id: null, output_format: null },
        status: 422,
        response: {},
      },
    ],
    expected: { status: 'checked', findings: [finding('error')] },
  },
  {
    name: 'memmachine: null score_threshold and an unknown key accepted',
    api: 'memmachine',
    operation: 'searchMemories',
    steps: [
      {
        body: { query: 'q', score_threshold: null, client_version: '1' },
        status: 200,
        response: memmachineAnswer({ shortTerm: [], longTerm: [], semantic: [] }),
      },
    ],
    expected: { status: 'checked', findings: [] },
  },
  {
    name: 'memmachine: null where the spec forbids it is not a tolerance request',
    api: 'memmachine',
    operation: 'searchMemories',
    steps: [{ body: { query: 'q', top_k: null }, status: 422, response: { detail: { code: 422 } } }],
    expected: { status: 'not-applicable' },
  },
  {
    name: 'plain requests are not applicable',
    api: 'mem0',
    operation: 'searchMemories',
    steps: [{ body: { query: 'q', user_id: 'alex' }, status: 500, response: {} }],
    expected: { status: 'not-applicable' },
  },
  {
    name: 'steps marked invalid are not judged here',
    api: 'mem0',
    operation: 'searchMemories',
    steps: [
      { body: { query: '', user_id: null, limit: 1 }, invalid: 'empty query', status: 400, response: {} },
    ],
    expected: { status: 'not-applicable' },
  },
  {
    name: 'no answer at all leaves nothing to judge',
    api: 'mem0',
    operation: 'searchMemories',
    steps: [{ body: { query: 'q', user_id: 'alex', limit: 1 }, failure: { kind: 'timeout', message: 't' } }],
    expected: { status: 'vacuous' },
  },
];

describe('nulls-and-unknown-fields-tolerated', () => {
  itJudgesRows(nullsAndUnknownFieldsTolerated, cases);
});
