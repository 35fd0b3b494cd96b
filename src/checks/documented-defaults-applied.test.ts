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
import type { StepInput } from '../testing/context.js';
import { documentedDefaultsApplied } from './documented-defaults-applied.js';

const finding = (step: string, pointer: string) =>
  expectedFinding(documentedDefaultsApplied, { step, pointer });
const items = (ids: string[]) => ids.map((id) => memosItem(id));
const get = (
  name: string,
  body: Record<string, unknown>,
  lists: Parameters<typeof memosAnswer>[0],
): StepInput => ({
  name,
  body: { user_id: 'u', ...body },
  status: 200,
  response: memosAnswer(lists),
});
const mem0 = (name: string, body: Record<string, unknown>, ids: string[]): StepInput => ({
  name,
  body: { query: 'food', user_id: 'alex', ...body },
  status: 200,
  response: ids.map((id) => mem0Item(id)),
});

const cases: ApiCheckCase[] = [
  {
    name: 'memos get: page 1 and no page list the same memories (1-based pages)',
    api: 'memos',
    operation: 'getMemory',
    steps: [
      get('no-page', { size: 2 }, { memory: items(['a', 'b']) }),
      get('page-1', { size: 2, page: 1 }, { memory: items(['b', 'a']) }),
    ],
    expected: { status: 'checked', findings: [] },
  },
  {
    name: 'memos get: a 0-based server answers page 1 with the second page',
    api: 'memos',
    operation: 'getMemory',
    steps: [
      get('no-page', { size: 2 }, { memory: items(['a', 'b']) }),
      get('page-1', { size: 2, page: 1 }, { memory: items(['c', 'd']) }),
    ],
    expected: { status: 'checked', findings: [finding('no-page', '/data/memory_detail_list')] },
  },
  {
    name: 'memos get: include_tool_memory defaults to true, so leaving it out must not drop tool memories',
    api: 'memos',
    operation: 'getMemory',
    steps: [
      get('defaults', {}, { memory: items(['a']), tool: [] }),
      get('tools-on', { include_tool_memory: true }, { memory: items(['a']), tool: items(['t1']) }),
    ],
    expected: { status: 'checked', findings: [finding('defaults', '/data/tool_memory_detail_list')] },
  },
  {
    name: 'memos get: null takes the default like an absent field',
    api: 'memos',
    operation: 'getMemory',
    steps: [
      get('nulls', { size: null, page: null }, { memory: items(['a']) }),
      get('explicit', { size: 10, page: 1 }, { memory: items(['b']) }),
    ],
    expected: { status: 'checked', findings: [finding('nulls', '/data/memory_detail_list')] },
  },
  {
    name: 'memos search: include_preference defaults to true',
    api: 'memos',
    operation: 'searchMemory',
    steps: [
      get('default', { query: 'q' }, { memory: items(['a']), preference: [] }),
      get('on', { query: 'q', include_preference: true }, { memory: items(['a']), preference: items(['p']) }),
    ],
    expected: { status: 'checked', findings: [finding('default', '/data/preference_detail_list')] },
  },
  {
    name: 'memos search: a value other than the default is not compared',
    api: 'memos',
    operation: 'searchMemory',
    steps: [
      get('default', { query: 'q' }, { memory: items(['a']) }),
      get('off', { query: 'q', include_preference: false }, { memory: items(['a']) }),
    ],
    expected: { status: 'not-applicable' },
  },
  {
    name: 'identical requests are stable-results business, not this check',
    api: 'memos',
    operation: 'searchMemory',
    steps: [
      get('first', { query: 'q' }, { memory: items(['a']) }),
      get('again', { query: 'q' }, { memory: items(['b']) }),
    ],
    expected: { status: 'not-applicable' },
  },
  {
    name: 'mem0: top_k defaults to 10, so a server defaulting to 5 differs from top_k 10',
    api: 'mem0',
    operation: 'searchMemories',
    steps: [
      mem0('default', {}, ['a', 'b', 'c', 'd', 'e']),
      mem0('explicit', { top_k: 10 }, ['a', 'b', 'c', 'd', 'e', 'f', 'g']),
    ],
    expected: { status: 'checked', findings: [finding('default', '')] },
  },
  {
    name: 'mem0: output_format v1.0 is the default (same memories either way)',
    api: 'mem0',
    operation: 'searchMemories',
    steps: [mem0('default', {}, ['a', 'b']), mem0('v1-0', { output_format: 'v1.0' }, ['a', 'b'])],
    expected: { status: 'checked', findings: [] },
  },
  {
    name: 'memmachine: types [] means all types; a server reading it as none leaves the lists out',
    api: 'memmachine',
    operation: 'searchMemories',
    steps: [
      {
        name: 'default',
        body: { query: 'q' },
        status: 200,
        response: memmachineAnswer({
          shortTerm: [episode('s')],
          longTerm: [episode('l')],
          semantic: [feature('f')],
        }),
      },
      { name: 'empty-types', body: { query: 'q', types: [] }, status: 200, response: memmachineAnswer({}) },
    ],
    expected: {
      status: 'checked',
      findings: [
        finding('default', '/content/episodic_memory/short_term_memory/episodes'),
        finding('default', '/content/episodic_memory/long_term_memory/episodes'),
        finding('default', '/content/semantic_memory'),
      ],
    },
  },
  {
    name: 'nothing to compare when both answers are empty',
    api: 'mem0',
    operation: 'searchMemories',
    steps: [mem0('default', {}, []), mem0('explicit', { top_k: 10 }, [])],
    expected: { status: 'vacuous' },
  },
  {
    name: 'a failed step leaves the pair unjudged',
    api: 'mem0',
    operation: 'searchMemories',
    steps: [
      mem0('default', {}, ['a']),
      { name: 'explicit', body: { query: 'food', user_id: 'alex', top_k: 10 }, status: 500, response: {} },
    ],
    expected: { status: 'vacuous' },
  },
];

describe('documented-defaults-applied', () => {
  itJudgesRows(documentedDefaultsApplied, cases);
});
