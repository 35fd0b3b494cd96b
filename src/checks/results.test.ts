import { describe, expect, it } from 'vitest';
import {
  episode,
  feature,
  mem0Item,
  memmachineAnswer,
  memosAnswer,
  memosItem,
  requestSpecView,
} from '../testing/behaviour.js';
import { makeContext, makeExchange, type StepInput } from '../testing/context.js';
import { checked } from './outcome.js';
import {
  canonicalBody,
  idsOf,
  isSuccess,
  judgeAnswers,
  NO_SUCCESSFUL_ANSWER,
  resultLists,
  timeOf,
} from './results.js';

describe('resultLists', () => {
  it('reads MemOS lists with ids, relativity and ms times, and marks absent lists', () => {
    const lists = resultLists(
      'memos',
      memosAnswer({ memory: [memosItem('a', { relativity: 0.7, create_time: 5 })], preference: [] }),
    );
    expect(lists.map((l) => [l.name, l.pointer, l.present, l.items.length])).toEqual([
      ['memory', '/data/memory_detail_list', true, 1],
      ['preference', '/data/preference_detail_list', true, 0],
      ['tool', '/data/tool_memory_detail_list', false, 0],
      ['skill', '/data/skill_detail_list', false, 0],
    ]);
    expect(lists[0]?.items[0]).toMatchObject({
      id: 'a',
      idPointer: '/data/memory_detail_list/0/id',
      score: 0.7,
      scorePointer: '/data/memory_detail_list/0/relativity',
      createdAt: 5,
    });
  });

  it('reads Mem0 bare arrays and v1.1 objects', () => {
    expect(resultLists('mem0', [mem0Item('a', { score: 0.5 })])[0]).toMatchObject({
      pointer: '',
      present: true,
    });
    const v11 = resultLists('mem0', { results: [mem0Item('a'), 'junk', mem0Item('b')], relations: [] })[0];
    expect(v11?.pointer).toBe('/results');
    expect(v11?.items.map((i) => i.pointer)).toEqual(['/results/0', '/results/2']);
    expect(v11?.items[0]?.createdAt).toBe(Date.parse('2025-03-02T17:14:22.481Z'));
  });

  it('reads MemMachine episodes (short-term without score) and semantic features', () => {
    const lists = resultLists(
      'memmachine',
      memmachineAnswer({
        shortTerm: [episode('s', { score: 0.3 })],
        longTerm: [episode('l', { score: 0.9, created_at: '2026-03-01T00:00:00Z' })],
        semantic: [feature('f')],
      }),
    );
    expect(lists.map((l) => [l.name, idsOf([l])])).toEqual([
      ['short-term', ['s']],
      ['long-term', ['l']],
      ['semantic', ['f']],
    ]);
    expect(lists[0]?.items[0]?.score).toBeUndefined();
    expect(lists[1]?.items[0]).toMatchObject({
      score: 0.9,
      idPointer: '/content/episodic_memory/long_term_memory/episodes/0/uid',
    });
    expect(lists[2]?.items[0]?.idPointer).toBe('/content/semantic_memory/0/metadata/id');
    expect(resultLists('memmachine', memmachineAnswer({ semantic: [] }))[0]?.present).toBe(false);
  });
});

describe('isSuccess', () => {
  it.each([
    ['memos', 200, { code: 0, data: {}, message: 'ok' }, true],
    ['memos', 200, { code: 40000, message: 'bad' }, false],
    ['memos', 400, { code: 0 }, false],
    ['mem0', 200, [], true],
    ['mem0', 204, undefined, false],
    ['memmachine', 200, { status: 0, content: {} }, true],
    ['memmachine', 200, { content: {} }, true],
    ['memmachine', 200, { status: 1, content: {} }, false],
  ] as const)('%s %i %j -> %s', (api, status, response, expected) => {
    expect(isSuccess(api, makeExchange({ status, response }))).toBe(expected);
  });
});

describe('helpers', () => {
  it('canonicalBody ignores key order and omitted keys', () => {
    expect(canonicalBody({ b: 1, a: { d: 1, c: 2 }, page: 2 }, ['page'])).toBe(
      canonicalBody({ a: { c: 2, d: 1 }, b: 1 }),
    );
  });
  it('timeOf reads ms numbers and date-time strings with microseconds', () => {
    expect(timeOf(1_762_675_057_192)).toBe(1_762_675_057_192);
    expect(timeOf('2024-11-27T16:53:43.276872-08:00')).toBe(Date.parse('2024-11-28T00:53:43.276Z'));
    expect(timeOf('not a date')).toBeUndefined();
  });
});

describe('judgeAnswers', () => {
  const context = (steps: StepInput[]) =>
    makeContext({ api: 'memos', operation: 'searchMemory', steps, spec: requestSpecView('memos') });
  const answered: StepInput = { body: { query: 'q' }, status: 200, response: memosAnswer({}) };
  const judged = checked([]);

  it('is not applicable without a step of the operations meant to succeed, and never judges', () => {
    const invalid: StepInput = { body: {}, invalid: 'query missing', status: 400, response: { code: 40000 } };
    const judge = () => {
      throw new Error('judged');
    };
    expect(judgeAnswers(context([invalid]), ['memos.searchMemory'], judge)).toEqual({
      status: 'not-applicable',
    });
    expect(judgeAnswers(context([answered]), ['memos.getMemory'], judge)).toEqual({
      status: 'not-applicable',
    });
  });

  it('is vacuous when no applicable step got a successful answer', () => {
    const failed: StepInput = { body: { query: 'q' }, status: 200, response: { code: 50000 } };
    expect(judgeAnswers(context([failed]), ['memos.searchMemory'], () => judged)).toEqual({
      status: 'vacuous',
      reason: NO_SUCCESSFUL_ANSWER,
    });
  });

  it('hands the successful answers to the judge and returns its outcome', () => {
    const failed: StepInput = { body: { query: 'x' }, status: 500, response: { code: 50000 } };
    let seen: string[] = [];
    const outcome = judgeAnswers(context([failed, answered]), ['memos.searchMemory'], (answers) => {
      seen = answers.map((answer) => answer.name);
      return judged;
    });
    expect(outcome).toBe(judged);
    expect(seen).toEqual(['request-2']);
  });

  it('asks `applies` about the applicable steps, failed ones included', () => {
    const failed: StepInput = { body: { query: 'x' }, status: 500, response: { code: 50000 } };
    const invalid: StepInput = { body: {}, invalid: 'query missing', status: 400, response: {} };
    let asked: string[] = [];
    const applies = (verdict: boolean) => (steps: readonly { step: { name: string } }[]) => {
      asked = steps.map((result) => result.step.name);
      return verdict;
    };
    const steps = context([failed, invalid, answered]);
    expect(judgeAnswers(steps, ['memos.searchMemory'], applies(false), () => judged)).toEqual({
      status: 'not-applicable',
    });
    expect(asked).toEqual(['request', 'request-3']);
    expect(judgeAnswers(steps, ['memos.searchMemory'], applies(true), () => judged)).toBe(judged);
  });
});
