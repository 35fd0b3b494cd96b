import { describe, expect, it } from 'vitest';
import {
  evaluateFilter,
  type FieldRef,
  type FieldValue,
  FilterSyntaxError,
  parseFilter,
  quoteBareValues,
} from './filter-parser.js';

const SYSTEM = new Set(['producer_role', 'created_at']);

function matches(filter: string, record: Record<string, FieldValue>): boolean {
  const node = parseFilter(filter, SYSTEM);
  if (node === undefined) return true;
  return evaluateFilter(node, (field: FieldRef) =>
    field.kind === 'metadata' ? record[`metadata.${field.key}`] : record[field.name],
  );
}

const alice = {
  'metadata.user_id': 'u-123',
  'metadata.session_id': 'abc',
  'metadata.turn': 2,
  'metadata.code': '42',
  'metadata.pinned': true,
  producer_role: 'user',
};

describe('parseFilter and evaluateFilter (typed values, MM-FLT in docs/sources.md)', () => {
  it.each([
    ['', true],
    ['   ', true],
    ["metadata.user_id='u-123'", true],
    ["m.user_id = 'u-123' AND metadata.session_id = abc", true],
    ["metadata.user_id='u-456'", false],
    ["metadata.user_id != 'u-456'", true],
    ["metadata.user_id <> 'u-123'", false],
    ['metadata.turn > 1 AND metadata.turn <= 2', true],
    ['metadata.turn = 2', true],
    // a quoted value is text, a bare number a number: neither matches the other type
    ["metadata.turn = '2'", false],
    ["metadata.code = '42'", true],
    ['metadata.code = 42', false],
    ['metadata.code != 42', true],
    ["metadata.turn > '1'", false],
    ['metadata.pinned = TRUE', true],
    ["metadata.pinned = 'true'", false],
    ["metadata.user_id IN ('u-1', 'u-123')", true],
    ['metadata.turn IN (1, 2)', true],
    ["metadata.turn IN ('2')", false],
    ["metadata.user_id NOT IN ('u-123')", false],
    ['metadata.missing IS NULL', true],
    ['metadata.user_id IS NOT NULL', true],
    ['metadata.missing = x', false],
    ['metadata.missing != x', false],
    ["NOT metadata.user_id = 'u-123'", false],
    ['producer_role = user', true],
    // AND binds tighter than OR: false OR (true AND true)
    ['metadata.user_id = nobody OR metadata.session_id = abc AND producer_role = user', true],
    // parentheses override it: (false OR true) AND false
    ['(metadata.user_id = nobody OR metadata.session_id = abc) AND producer_role = assistant', false],
    ["metadata.user_id = 'u-123' or metadata.session_id = zzz and producer_role = assistant", true],
  ])('%s -> %s', (filter, expected) => {
    expect(matches(filter, alice)).toBe(expected);
  });

  it("compares date('…') with a time held as ms, and a quoted date not at all", () => {
    const record = { created_at: Date.parse('2025-10-05T09:30:00Z') };
    expect(matches("created_at >= date('2025-10-01')", record)).toBe(true);
    expect(matches("created_at < date('2025-10-01')", record)).toBe(false);
    expect(matches("created_at >= '2025-10-01'", record)).toBe(false);
  });

  it.each([
    'metadata.user_id=u-123',
    'metadata.user_id =',
    "metadata.user_id 'u-123'",
    "(metadata.user_id = 'a'",
    'unknown_field = 1',
    'metadata.a = 1 extra',
  ])('rejects %s', (filter) => {
    expect(() => parseFilter(filter, SYSTEM)).toThrow(FilterSyntaxError);
  });
});

describe('quoteBareValues (the bare-literal-tokenizer fault)', () => {
  it('quotes bare values the vendor would split, and leaves identifiers and quoted text alone', () => {
    expect(quoteBareValues('metadata.user_id=u-123 AND m.turn >= 2')).toBe(
      "metadata.user_id='u-123' AND m.turn >= 2",
    );
    expect(quoteBareValues("m.a = 'x-y' AND m.b <> a@b.c")).toBe("m.a = 'x-y' AND m.b <> 'a@b.c'");
    expect(matches(quoteBareValues('metadata.user_id=u-123'), alice)).toBe(true);
  });
});
