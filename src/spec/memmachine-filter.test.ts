import { describe, expect, it } from 'vitest';
import {
  FilterParseError,
  formatFilterValue,
  metadataKeyOf,
  parseFilter,
  tokenizeFilter,
} from './memmachine-filter.js';

/** Tokens as `TYPE:value` strings, for compact expectations. */
const tokens = (source: string) => tokenizeFilter(source).map((t) => `${t.type}:${t.value}`);
const compare = (field: string, value: unknown, op = '=') => ({ type: 'compare', field, op, value });

describe('tokenizeFilter (MM-FLT in docs/sources.md)', () => {
  it('scans every alternative, longest operator first, and drops whitespace', () => {
    expect(tokens("(a!=1,b<>'x')>=<=>< = c.d_9")).toEqual([
      'LPAREN:(',
      'IDENT:a',
      'NE:!=',
      'IDENT:1',
      'COMMA:,',
      'IDENT:b',
      'NE:<>',
      'STRING:x',
      'RPAREN:)',
      'GE:>=',
      'LE:<=',
      'GT:>',
      'LT:<',
      'EQ:=',
      'IDENT:c.d_9',
    ]);
  });

  it('skips characters that match no alternative, so a bare u-123 is two identifiers', () => {
    expect(tokens('metadata.user_id=u-123')).toEqual([
      'IDENT:metadata.user_id',
      'EQ:=',
      'IDENT:u',
      'IDENT:123',
    ]);
    expect(tokens('a=alice@example.com')).toEqual(['IDENT:a', 'EQ:=', 'IDENT:alice', 'IDENT:example.com']);
    expect(tokens('a=é!')).toEqual(['IDENT:a', 'EQ:=']);
  });

  it('has no escape in quoted literals: doubled quotes are two literals, a stray quote is skipped', () => {
    expect(tokens("a='it''s'")).toEqual(['IDENT:a', 'EQ:=', 'STRING:it', 'STRING:s']);
    expect(tokens("a='open")).toEqual(['IDENT:a', 'EQ:=', 'IDENT:open']);
    expect(tokens("a='u-123 @ ü: x'")).toEqual(['IDENT:a', 'EQ:=', 'STRING:u-123 @ ü: x']);
  });

  it('reads AND OR IN IS NOT as keywords in any case, and NULL TRUE FALSE as identifiers', () => {
    expect(tokens('and Or iN is NoT null True')).toEqual([
      'AND:AND',
      'OR:OR',
      'IN:IN',
      'IS:IS',
      'NOT:NOT',
      'IDENT:null',
      'IDENT:True',
    ]);
  });
});

describe('parseFilter', () => {
  it('is no filter when blank or when every character is skipped', () => {
    expect(parseFilter('')).toBeUndefined();
    expect(parseFilter('  \n')).toBeUndefined();
    expect(parseFilter('@@ !')).toBeUndefined();
  });

  it.each([
    ['metadata.user_id=u-123', /Unexpected token: IDENT 123/],
    ['metadata.user_id=alice@example.com', /Unexpected token/],
    ['metadata.user_id=a:b', /Unexpected token/],
    ['metadata.user_id=a/b', /Unexpected token/],
    ['metadata.user_id=Ada Lovelace', /Unexpected token/],
    ['metadata.user_id=ü', /Expected IDENT or STRING, got EOF/],
    ["metadata.user_id='it''s'", /Unexpected token: STRING 's'/],
    ['metadata.a = 1 metadata.b = 2', /Unexpected token/],
  ])('refuses the leftover tokens of %s', (filter, message) => {
    expect(() => parseFilter(filter)).toThrow(FilterParseError);
    expect(() => parseFilter(filter)).toThrow(message);
  });

  it.each([
    ["metadata.user_id='u-123'", 'u-123'],
    ["metadata.user_id='550e8400-e29b-41d4-a716-446655440000'", '550e8400-e29b-41d4-a716-446655440000'],
    ["metadata.user_id='Zoë O. Brien: a@b.c'", 'Zoë O. Brien: a@b.c'],
    ["metadata.user_id='123'", '123'],
    ['metadata.user_id=123', 123],
    ['metadata.user_id=0123', 123],
    ['metadata.x=1.5', 1.5],
    ['metadata.x=1.2.3', '1.2.3'],
    ['metadata.x=-5', 5],
    ['metadata.x=true', true],
    ['metadata.x=FALSE', false],
    ['metadata.x=tRuE', true],
    ["metadata.x='true'", 'true'],
    ['metadata.x=null', 'null'],
    ['metadata.x=abc', 'abc'],
    ["created_at >= date('2025-10-01')", { date: Date.parse('2025-10-01T00:00:00Z') }],
    ["created_at >= date('2025-10-01T09:30:00+02:00')", { date: Date.parse('2025-10-01T07:30:00Z') }],
  ])('types the value of %s', (filter, value) => {
    const expr = parseFilter(filter);
    expect(expr?.type).toBe('compare');
    expect(expr?.type === 'compare' && expr.value).toEqual(value);
  });

  it('reads one expression: AND binds tighter than OR, NOT takes the next primary, parentheses group', () => {
    expect(parseFilter('a=1 or b=2 AND c=3')).toEqual({
      type: 'or',
      left: compare('a', 1),
      right: { type: 'and', left: compare('b', 2), right: compare('c', 3) },
    });
    expect(parseFilter('not a=1 and (b<>2 OR c<3)')).toEqual({
      type: 'and',
      left: { type: 'not', expr: compare('a', 1) },
      right: { type: 'or', left: compare('b', 2, '!='), right: compare('c', 3, '<') },
    });
  });

  it('reads IN, NOT IN, IS NULL and IS NOT NULL in any case', () => {
    expect(parseFilter("m.a in ('x', 'y')")).toEqual({ type: 'in', field: 'm.a', values: ['x', 'y'] });
    expect(parseFilter('m.a NOT IN (1, 2)')).toEqual({
      type: 'not',
      expr: { type: 'in', field: 'm.a', values: [1, 2] },
    });
    expect(parseFilter('m.a is null')).toEqual({ type: 'is-null', field: 'm.a' });
    expect(parseFilter('m.a IS NOT Null')).toEqual({ type: 'not', expr: { type: 'is-null', field: 'm.a' } });
  });

  it.each([
    'metadata.user_id =',
    '= 1',
    '(a = 1',
    'a = 1 AND',
    'a NOT = 1',
    'a IS 5',
    "a IS 'NULL'",
    'a IN (1,',
    "a IN (1, 'x')",
    'a IN (1.5)',
    'a IN (true)',
    "a = date('yesterday')",
    'a = AND',
  ])('refuses %s', (filter) => {
    expect(() => parseFilter(filter)).toThrow(FilterParseError);
  });
});

describe('helpers', () => {
  it('names the metadata key of m.<key> and metadata.<key> fields only', () => {
    expect(metadataKeyOf('m.user_id')).toBe('user_id');
    expect(metadataKeyOf('metadata.session_id')).toBe('session_id');
    expect(metadataKeyOf('producer_role')).toBeUndefined();
  });

  it('writes values back as the literals that parse to them', () => {
    for (const value of ['u-123', 123, 1.5, true, { date: Date.parse('2025-10-01T00:00:00Z') }]) {
      const expr = parseFilter(`m.a = ${formatFilterValue(value)}`);
      expect(expr?.type === 'compare' && expr.value).toEqual(value);
    }
  });
});
