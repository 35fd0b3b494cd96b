// biome-ignore-all lint/suspicious/noTemplateCurlyInString: suites use ${…} templates, not template literals.
import { describe, expect, it } from 'vitest';
import { ExpressionSyntaxError, evaluate, parseExpression, stepExpressionsIn } from './expressions.js';
import { MissingInputError, resolvePlaceholders } from './placeholders.js';

const PAGE = {
  code: 0,
  data: {
    pages: 3,
    total: 22,
    memory_detail_list: [
      { id: 'm1', relativity: 0.9, tags: ['food', 'travel'] },
      { id: 'm2', relativity: 0.5, tags: [] },
      { id: 'm3', relativity: 0.2 },
    ],
    preference_detail_list: [{ id: 'p1', relativity: 0.7 }],
    'a/b': { '~x': 'escaped' },
  },
};
const answers = new Map<string, unknown>([
  ['first', PAGE],
  ['empty', { code: 0, data: { memory_detail_list: [] } }],
]);

describe('step expressions', () => {
  it.each([
    ['steps.first/data/pages', 3],
    ['steps.first/data/pages + 1', 4],
    ['steps.first/data/pages - 1', 2],
    ['steps.first/data/total + 0.5', 22.5],
    ['min(steps.first/data/memory_detail_list/*/relativity)', 0.2],
    ['max(steps.first/data/*/*/relativity)', 0.9],
    ['mid(steps.first/data/*/*/relativity)', 0.55],
    ['first(steps.first/data/memory_detail_list/*/tags/0)', 'food'],
    ['count(steps.first/data/memory_detail_list/*)', 3],
    ['count(steps.empty/data/memory_detail_list/*)', 0],
    ['steps.first/data/a~1b/~0x', 'escaped'],
    ['steps.first/data/memory_detail_list/1/id', 'm2'],
    [' max( steps.first/data/pages )  +  2 ', 5],
  ])('${%s} reads %j', (text, expected) => {
    const expression = parseExpression(text);
    expect(expression).toBeDefined();
    expect(evaluate(expression as NonNullable<typeof expression>, answers)).toEqual({ value: expected });
  });

  it.each([
    ['steps.first/data/nothing', 'matches nothing'],
    ['steps.first/data/memory_detail_list/9/id', 'matches nothing'],
    ['steps.first/data/memory_detail_list/01/id', 'matches nothing'],
    ['first(steps.empty/data/memory_detail_list/*/tags/0)', 'matches nothing'],
    ['mid(steps.empty/data/memory_detail_list/*/relativity)', 'matches no number'],
    ['max(steps.first/data/memory_detail_list/*/id)', 'matches no number'],
    ['steps.first/data/memory_detail_list/0/id + 1', 'cannot add 1 to a non-number'],
    ['steps.later/data/pages', 'step "later" got no readable answer'],
  ])('${%s} is a missing input (%s), never a guess', (text, why) => {
    const expression = parseExpression(text);
    const result = evaluate(expression as NonNullable<typeof expression>, answers);
    expect(result).toEqual({ missing: expect.stringContaining(why) });
  });

  it.each([
    ['steps.first', 'is not a reference'],
    ['steps.First/data', 'is not a reference'],
    ['step.first/data', 'is not a reference'],
    ['avg(steps.first/data/*/relativity)', 'unknown function "avg"'],
    ['steps.first/data/pages+1', 'pointer token "pages+1"'],
    ['steps.first/data/*/relativity', 'wrap it in one of min, max, mid, first, count'],
    ['steps.first/data/pages * 2', 'is not a step expression'],
    ['max(min(steps.first/data/pages))', 'is not a step expression'],
    ['', 'is not a step expression'],
  ])('${%s} is a syntax error (%s)', (text, why) => {
    expect(() => parseExpression(text)).toThrow(ExpressionSyntaxError);
    expect(() => parseExpression(text)).toThrow(why);
  });

  it('leaves variable names to the variables and finds every expression in a value', () => {
    expect(parseExpression('user')).toBeUndefined();
    const found = stepExpressionsIn({
      a: ['${user}', "x='${steps.first/data/pages}'"],
      b: '${max(steps.b/c/*)}',
    });
    expect(found.map((e) => [e.fn, e.step, e.pointer])).toEqual([
      [undefined, 'first', ['data', 'pages']],
      ['max', 'b', ['c', '*']],
    ]);
  });
});

describe('resolving a step', () => {
  it('keeps JSON types for whole strings and splices text into longer ones, variables in the same pass', () => {
    const body = {
      user_id: '${user}',
      page: '${steps.first/data/pages + 1}',
      relativity: '${mid(steps.first/data/memory_detail_list/*/relativity)}',
      filter: "metadata.tag='${first(steps.first/data/memory_detail_list/*/tags/0)}' AND u='${user}'",
      tags: '${steps.first/data/memory_detail_list/0/tags}',
    };
    expect(resolvePlaceholders(body, { user: 'u-1' }, answers)).toEqual({
      user_id: 'u-1',
      page: 4,
      relativity: 0.55,
      filter: "metadata.tag='food' AND u='u-1'",
      tags: ['food', 'travel'],
    });
  });

  it('never reads a substituted value as a template again', () => {
    const body = { user_id: '${user}', note: 'by ${user}' };
    expect(resolvePlaceholders(body, { user: '${steps.first/data/pages}' }, answers)).toEqual({
      user_id: '${steps.first/data/pages}',
      note: 'by ${steps.first/data/pages}',
    });
  });

  it('leaves step expressions as written without answers, and reports a missing input with them', () => {
    const body = { page: '${steps.first/data/pages + 1}', user_id: '${user}' };
    expect(resolvePlaceholders(body, { user: 'u' })).toEqual({
      page: '${steps.first/data/pages + 1}',
      user_id: 'u',
    });
    expect(() => resolvePlaceholders(body, { user: 'u' }, new Map())).toThrow(MissingInputError);
    expect(() =>
      resolvePlaceholders({ q: 'x ${steps.first/data/memory_detail_list/0/tags}' }, {}, answers),
    ).toThrow('a list cannot be spliced into text');
  });
});
