import { describe } from 'vitest';
import {
  type ApiCheckCase,
  episode,
  expectedFinding,
  feature,
  itJudgesRows,
  mem0Item,
  memmachineAnswer,
  memosAnswer,
  memosItem,
} from '../testing/behaviour.js';
import { typeSwitchesHonoured } from './type-switches-honoured.js';

const finding = (pointer: string, step = 'request') =>
  expectedFinding(typeSwitchesHonoured, { pointer, step });

const cases: ApiCheckCase[] = [
  {
    name: 'memos search: tool memories off by default, list empty',
    api: 'memos',
    operation: 'searchMemory',
    steps: [
      {
        body: { user_id: 'u', query: 'q' },
        status: 200,
        response: memosAnswer({ memory: [memosItem('a')], preference: [memosItem('p')], tool: [] }),
      },
    ],
    expected: { status: 'checked', findings: [] },
  },
  {
    name: 'memos search: tool memories returned although off by default (null sent)',
    api: 'memos',
    operation: 'searchMemory',
    steps: [
      {
        body: { user_id: 'u', query: 'q', include_tool_memory: null },
        status: 200,
        response: memosAnswer({ tool: [memosItem('t')] }),
      },
    ],
    expected: { status: 'checked', findings: [finding('/data/tool_memory_detail_list')] },
  },
  {
    name: 'memos search: preferences returned with include_preference false',
    api: 'memos',
    operation: 'searchMemory',
    steps: [
      {
        body: { user_id: 'u', query: 'q', include_preference: false },
        status: 200,
        response: memosAnswer({ preference: [memosItem('p')] }),
      },
    ],
    expected: { status: 'checked', findings: [finding('/data/preference_detail_list')] },
  },
  {
    name: 'memos get: both included by default, nothing switched off',
    api: 'memos',
    operation: 'getMemory',
    steps: [{ body: { user_id: 'u' }, status: 200, response: memosAnswer({ tool: [memosItem('t')] }) }],
    expected: { status: 'not-applicable' },
  },
  {
    name: 'memos get: tool memories off, list absent',
    api: 'memos',
    operation: 'getMemory',
    steps: [
      {
        body: { user_id: 'u', include_tool_memory: false },
        status: 200,
        response: memosAnswer({ memory: [] }),
      },
    ],
    expected: { status: 'checked', findings: [] },
  },
  {
    name: 'memos get: tool memories returned with include_tool_memory false',
    api: 'memos',
    operation: 'getMemory',
    steps: [
      {
        name: 'no-tools',
        body: { user_id: 'u', include_tool_memory: false },
        status: 200,
        response: memosAnswer({ tool: [memosItem('t')] }),
      },
    ],
    expected: { status: 'checked', findings: [finding('/data/tool_memory_detail_list', 'no-tools')] },
  },
  {
    name: 'memmachine: semantic only, no episodic key',
    api: 'memmachine',
    operation: 'searchMemories',
    steps: [
      {
        body: { query: 'q', types: ['semantic'] },
        status: 200,
        response: memmachineAnswer({ semantic: [feature('f')] }),
      },
    ],
    expected: { status: 'checked', findings: [] },
  },
  {
    name: 'memmachine: semantic only, episodic key present',
    api: 'memmachine',
    operation: 'searchMemories',
    steps: [
      {
        body: { query: 'q', types: ['semantic'] },
        status: 200,
        response: memmachineAnswer({ shortTerm: [], longTerm: [], semantic: [] }),
      },
    ],
    expected: { status: 'checked', findings: [finding('/content/episodic_memory')] },
  },
  {
    name: 'memmachine: episodic only, semantic key present',
    api: 'memmachine',
    operation: 'searchMemories',
    steps: [
      {
        body: { query: 'q', types: ['episodic'] },
        status: 200,
        response: memmachineAnswer({ longTerm: [episode('a')], semantic: [feature('f')] }),
      },
    ],
    expected: { status: 'checked', findings: [finding('/content/semantic_memory')] },
  },
  {
    name: 'memmachine: both types asked for, the episodic key missing',
    api: 'memmachine',
    operation: 'searchMemories',
    steps: [
      {
        body: { query: 'q', types: ['episodic', 'semantic'] },
        status: 200,
        response: memmachineAnswer({ semantic: [] }),
      },
    ],
    expected: { status: 'checked', findings: [finding('/content/episodic_memory')] },
  },
  {
    name: 'memmachine: types [] means all types, both keys there (empty lists are fine)',
    api: 'memmachine',
    operation: 'searchMemories',
    steps: [
      {
        body: { query: 'q', types: [] },
        status: 200,
        response: memmachineAnswer({ shortTerm: [], longTerm: [], semantic: [] }),
      },
    ],
    expected: { status: 'checked', findings: [] },
  },
  {
    name: 'memmachine: types [] read as no types at all',
    api: 'memmachine',
    operation: 'searchMemories',
    steps: [{ body: { query: 'q', types: [] }, status: 200, response: memmachineAnswer({}) }],
    expected: {
      status: 'checked',
      findings: [finding('/content/episodic_memory'), finding('/content/semantic_memory')],
    },
  },
  {
    name: 'memmachine: episodic asked for, no episodic key',
    api: 'memmachine',
    operation: 'searchMemories',
    steps: [{ body: { query: 'q', types: ['episodic'] }, status: 200, response: memmachineAnswer({}) }],
    expected: { status: 'checked', findings: [finding('/content/episodic_memory')] },
  },
  {
    name: 'memmachine: no types sent, nothing to judge here',
    api: 'memmachine',
    operation: 'searchMemories',
    steps: [{ body: { query: 'q' }, status: 200, response: memmachineAnswer({}) }],
    expected: { status: 'not-applicable' },
  },
  {
    name: 'mem0: default format is a bare array',
    api: 'mem0',
    operation: 'searchMemories',
    steps: [
      { body: { query: 'q', user_id: 'a', output_format: null }, status: 200, response: [mem0Item('m')] },
    ],
    expected: { status: 'checked', findings: [] },
  },
  {
    name: 'mem0: v1.0 answered with an object',
    api: 'mem0',
    operation: 'searchMemories',
    steps: [
      {
        body: { query: 'q', user_id: 'a', output_format: 'v1.0' },
        status: 200,
        response: { results: [], relations: [] },
      },
    ],
    expected: { status: 'checked', findings: [finding('')] },
  },
  {
    name: 'mem0: v1.1 answered with a bare array',
    api: 'mem0',
    operation: 'searchMemories',
    steps: [{ body: { query: 'q', user_id: 'a', output_format: 'v1.1' }, status: 200, response: [] }],
    expected: { status: 'checked', findings: [finding('')] },
  },
  {
    name: 'mem0: v1.1 answered with results',
    api: 'mem0',
    operation: 'searchMemories',
    steps: [
      {
        body: { query: 'q', user_id: 'a', output_format: 'v1.1' },
        status: 200,
        response: { results: [], relations: [] },
      },
    ],
    expected: { status: 'checked', findings: [] },
  },
  {
    name: 'a failed step is not judged',
    api: 'mem0',
    operation: 'searchMemories',
    steps: [{ body: { query: 'q', user_id: 'a' }, status: 401, response: { detail: 'Invalid API key.' } }],
    expected: { status: 'vacuous' },
  },
];

describe('type-switches-honoured', () => {
  itJudgesRows(typeSwitchesHonoured, cases);
});
