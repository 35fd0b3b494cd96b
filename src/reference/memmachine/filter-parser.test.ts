import { describe, expect, it } from 'vitest';
import {
  evaluateFilter,
  type FieldRef,
  type FieldValue,
  FilterSyntaxError,
  parseFilter,
  tokenizeFilter,
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
  producer_role: 'user',
};

describe('tokenizeFilter', () => {
  it('splits operators, quoted strings and bare tokens', () => {
    const kinds = tokenizeFilter("m.a<>'it''s' AND b>=3").map((token) =>
      'text' in token ? token.text : token.kind,
    );
    expect(kinds).toEqual(['m.a', '!=', "it's", 'AND', 'b', '>=', '3']);
  });
  it('rejects an unterminated string', () => {
    expect(() => tokenizeFilter("m.a='x")).toThrow(FilterSyntaxError);
  });
});

describe('parseFilter and evaluateFilter', () => {
  it.each([
    ['', true],
    ['   ', true],
    ['metadata.user_id=u-123', true],
    ["m.user_id = 'u-123' AND metadata.session_id = abc", true],
    ['metadata.user_id=u-456', false],
    ['metadata.user_id != u-456', true],
    ['metadata.user_id <> u-123', false],
    ['metadata.turn > 1 AND metadata.turn <= 2', true],
    ['metadata.turn = 2', true],
    ["metadata.turn = '2'", true],
    ['metadata.turn < 2', false],
    ['metadata.user_id IN (u-1, u-123)', true],
    ["metadata.user_id NOT IN ('u-123')", false],
    ['metadata.missing IS NULL', true],
    ['metadata.user_id IS NOT NULL', true],
    ['metadata.missing = x', false],
    ['NOT metadata.user_id = u-123', false],
    ['producer_role = user', true],
    // AND binds tighter than OR: false OR (true AND true)
    ['metadata.user_id = nobody OR metadata.session_id = abc AND producer_role = user', true],
    // parentheses override it: (false OR true) AND false
    ['(metadata.user_id = nobody OR metadata.session_id = abc) AND producer_role = assistant', false],
    ['metadata.user_id = nobody OR metadata.session_id = abc AND producer_role = assistant', false],
    ['metadata.user_id = u-123 or metadata.session_id = zzz and producer_role = assistant', true],
  ])('%s -> %s', (filter, expected) => {
    expect(matches(filter, alice)).toBe(expected);
  });

  it('compares a date literal with a time held as ms', () => {
    const record = { created_at: Date.parse('2025-10-05T09:30:00Z') };
    expect(matches("created_at >= '2025-10-01'", record)).toBe(true);
    expect(matches("created_at < '2025-10-01'", record)).toBe(false);
  });

  it.each([
    'metadata.user_id =',
    'metadata.user_id u-123',
    '= u-123',
    '(metadata.user_id = a',
    'metadata.user_id = a AND',
    'metadata.user_id IN (a,',
    'metadata.user_id IS NOT 5',
    'unknown_field = 1',
    'metadata.a = 1 extra',
    'metadata.a ! 1',
  ])('rejects %s', (filter) => {
    expect(() => parseFilter(filter, SYSTEM)).toThrow(FilterSyntaxError);
  });
});
