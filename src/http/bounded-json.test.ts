import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { boundJson, pruneJsonText } from './bounded-json.js';

const bounds = { maxDepth: 5, maxItems: 3, text: (s: string) => s.replaceAll('secret', '[X]') };

describe('boundJson', () => {
  it('cuts lists and key sets to their first items and records each cut', () => {
    const value = JSON.parse('{"results":[1,2,3,4,5],"m":{"a":1,"b":2,"c":3,"d":4}}') as unknown;
    const bounded = boundJson(value, { ...bounds, maxItems: 4 });
    expect(bounded.json).toEqual({ results: [1, 2, 3, 4], m: { a: 1, b: 2, c: 3, d: 4 } });
    expect(bounded.cuts).toEqual([{ pointer: '/results', kept: 4, total: 5 }]);
    const many = boundJson(JSON.parse(`[${'{},'.repeat(999_999)}{}]`), { ...bounds, maxItems: 1_000 });
    expect((many.json as unknown[]).length).toBe(1_000);
    expect(many.cuts).toEqual([{ pointer: '', kept: 1_000, total: 1_000_000 }]);
  });

  it('refuses a body nested deeper than maxDepth without using the call stack', () => {
    const deep = JSON.parse(`${'['.repeat(100_000)}${']'.repeat(100_000)}`) as unknown;
    const bounded = boundJson(deep, bounds);
    expect(bounded.json).toBeUndefined();
    expect(bounded.jsonError).toMatch(/^JSON nested deeper than 5 levels/);
    expect(boundJson([[[[[]]]]], bounds).json).toEqual([[[[[]]]]]);
  });

  it('rewrites every string and key, and keeps __proto__ an own data key', () => {
    const value = JSON.parse(
      '{"secret-key":"a secret","__proto__":{"polluted":"secret"},"list":["secret",{"k":"secret"}]}',
    ) as Record<string, unknown>;
    const bounded = boundJson(value, bounds);
    expect(JSON.stringify(bounded.json)).not.toContain('secret');
    expect(bounded.json).toEqual(
      JSON.parse('{"[X]-key":"a [X]","__proto__":{"polluted":"[X]"},"list":["[X]",{"k":"[X]"}]}'),
    );
    expect(Object.getPrototypeOf(bounded.json)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('pruneJsonText', () => {
  it('cuts in the text what boundJson would cut in the value, with the same pointers', () => {
    const raw = '{"a,b":[1,"x]",3,4],"n":{"k":[{"p":"}"},2,3,4,5]},"o":{"a":1,"b":2,"c":3,"d":4}}';
    const pruned = pruneJsonText(raw, { maxDepth: 10, maxItems: 3 });
    expect(pruned).toEqual({
      text: '{"a,b":[1,"x]",3],"n":{"k":[{"p":"}"},2,3]},"o":{"a":1,"b":2,"c":3}}',
      cuts: [
        { pointer: '/a,b', kept: 3, total: 4 },
        { pointer: '/n/k', kept: 3, total: 5 },
        { pointer: '/o', kept: 3, total: 4 },
      ],
    });
  });

  it('refuses text nested deeper than maxDepth', () => {
    expect(pruneJsonText('[[[[[[]]]]]]', { maxDepth: 5, maxItems: 3 })).toEqual({ tooDeep: true });
    expect(pruneJsonText('[[[[[]]]]]', { maxDepth: 5, maxItems: 3 })).toEqual({
      text: '[[[[[]]]]]',
      cuts: [],
    });
  });

  it('agrees with boundJson on any JSON value (fast-check, fixed seed)', () => {
    const limits = { maxDepth: 50, maxItems: 2 };
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 6 }), (value) => {
        const raw = JSON.stringify(value);
        const pruned = pruneJsonText(raw, limits);
        if ('tooDeep' in pruned) throw new Error('not deep');
        const direct = boundJson(JSON.parse(raw), { ...limits, text: (t) => t });
        const viaText = boundJson(JSON.parse(pruned.text), { ...limits, text: (t) => t });
        expect(viaText.json).toEqual(direct.json);
        expect(viaText.cuts).toEqual([]);
        expect([...pruned.cuts].sort((a, b) => a.pointer.localeCompare(b.pointer))).toEqual(
          [...direct.cuts].sort((a, b) => a.pointer.localeCompare(b.pointer)),
        );
      }),
      { seed: 12, numRuns: 300 },
    );
  });
});
