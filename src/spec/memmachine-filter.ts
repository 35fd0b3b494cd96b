/**
 * MemMachine's filter language as the vendor's server reads it (MM-FLT in docs/sources.md:
 * `common/filter/filter_parser.py`). Part of the contract, so both the reference implementation (which
 * evaluates filters) and the checks (which judge answers against them) read filters through this one parser.
 *
 * Facts it keeps, each pinned by a test in memmachine-filter.test.ts:
 * - One scan with the alternatives `(` `)` `,` `!=`/`<>` `>=` `<=` `=` `>` `<` `'[^']*'` `[A-Za-z0-9_.]+`
 *   and whitespace, tried in that order. A character none of them matches is skipped silently, so
 *   `metadata.user_id=u-123` reads as `metadata.user_id` `=` `u` `123`.
 * - A quoted literal has no escape: `'it''s'` is two literals. A stray `'` is skipped like any other character.
 * - `AND OR IN IS NOT` are keywords in any case; `NULL`, `TRUE`, `FALSE` and `date` are identifiers read by
 *   position.
 * - One expression is read (AND binds tighter than OR; `NOT` applies to the next primary); any token left
 *   over is an error (the router answers 422 "invalid argument").
 * - A bare value is typed: `true`/`false` (any case) are booleans, digits an integer, `digits.digits` a float,
 *   anything else text; a quoted value is always text; `date('…')` is an ISO date-time.
 * - IN lists hold integers only or text only.
 * - A filter that is blank, or has no token at all, is no filter.
 */

/** A typed filter value: quoted text, a bare word, number or boolean, or a `date('…')` instant. */
export type FilterValue = string | number | boolean | FilterDate;

/** `date('2025-10-01T09:30:00+00:00')`: an instant, as ms since the epoch. */
export interface FilterDate {
  readonly date: number;
}

/** The comparison operators, with `<>` read as `!=`. */
export type ComparisonOp = '=' | '!=' | '>' | '<' | '>=' | '<=';

/** A parsed filter. `field` is the identifier as written (`metadata.user_id`, `m.topic`, `producer_role`). */
export type FilterExpr =
  | {
      readonly type: 'compare';
      readonly field: string;
      readonly op: ComparisonOp;
      readonly value: FilterValue;
    }
  | { readonly type: 'in'; readonly field: string; readonly values: readonly (string | number)[] }
  | { readonly type: 'is-null'; readonly field: string }
  | { readonly type: 'and' | 'or'; readonly left: FilterExpr; readonly right: FilterExpr }
  | { readonly type: 'not'; readonly expr: FilterExpr };

/** A filter the vendor's parser refuses (its FilterParseError, answered 422 "invalid argument"). */
export class FilterParseError extends Error {
  override readonly name = 'FilterParseError';
}

/** The kinds of token the vendor's scanner emits (whitespace is dropped). */
export type FilterTokenType =
  | 'LPAREN'
  | 'RPAREN'
  | 'COMMA'
  | 'NE'
  | 'GE'
  | 'LE'
  | 'EQ'
  | 'GT'
  | 'LT'
  | 'STRING'
  | 'IDENT'
  | 'AND'
  | 'OR'
  | 'IN'
  | 'IS'
  | 'NOT';

/** One token: STRING without its quotes, keywords upper-cased. */
export interface FilterToken {
  readonly type: FilterTokenType;
  readonly value: string;
}

/** The alternatives of the vendor's one regular expression, in its order (the first that matches wins). */
const TOKEN_PATTERN =
  /(?<LPAREN>\()|(?<RPAREN>\))|(?<COMMA>,)|(?<NE>!=|<>)|(?<GE>>=)|(?<LE><=)|(?<EQ>=)|(?<GT>>)|(?<LT><)|(?<STRING>'[^']*')|(?<IDENT>[A-Za-z0-9_.]+)|(?<WS>\s+)/g;

const KEYWORDS = new Set(['AND', 'OR', 'IN', 'IS', 'NOT']);

/** Characters an identifier (and so a bare value) may hold. */
export const IDENTIFIER = /^[A-Za-z0-9_.]+$/;

/** Scans a filter as the vendor does: unmatched characters are skipped, never an error. */
export function tokenizeFilter(source: string): FilterToken[] {
  const tokens: FilterToken[] = [];
  for (const match of source.matchAll(TOKEN_PATTERN)) {
    const [type, text] = Object.entries(match.groups ?? {}).find(([, value]) => value !== undefined) ?? [];
    if (type === undefined || text === undefined || type === 'WS') continue;
    if (type === 'STRING') tokens.push({ type, value: text.slice(1, -1) });
    else if (type === 'IDENT' && KEYWORDS.has(text.toUpperCase()))
      tokens.push({ type: text.toUpperCase() as FilterTokenType, value: text.toUpperCase() });
    else tokens.push({ type: type as FilterTokenType, value: text });
  }
  return tokens;
}

/** Parses a filter; undefined when it is blank or holds no token (the vendor then applies no filter). */
export function parseFilter(source: string): FilterExpr | undefined {
  if (source.trim() === '') return undefined;
  const tokens = tokenizeFilter(source);
  if (tokens.length === 0) return undefined;
  const parser = new Parser(tokens);
  const expr = parser.expression();
  const rest = parser.peek();
  if (rest !== undefined) throw new FilterParseError(`Unexpected token: ${describe(rest)}`);
  return expr;
}

/** `value` written as a filter literal: text quoted, numbers and booleans bare, instants as date('…'). */
export function formatFilterValue(value: FilterValue): string {
  if (typeof value === 'string') return `'${value}'`;
  if (typeof value === 'object') return `date('${new Date(value.date).toISOString()}')`;
  return String(value);
}

/** The user-metadata key a field names (`metadata.<key>` or `m.<key>`), or undefined for a system field. */
export function metadataKeyOf(field: string): string | undefined {
  for (const prefix of ['m.', 'metadata.']) if (field.startsWith(prefix)) return field.slice(prefix.length);
  return undefined;
}

const OPERATORS: Partial<Record<FilterTokenType, ComparisonOp>> = {
  EQ: '=',
  NE: '!=',
  GE: '>=',
  LE: '<=',
  GT: '>',
  LT: '<',
};

class Parser {
  private position = 0;

  constructor(private readonly tokens: readonly FilterToken[]) {}

  peek(): FilterToken | undefined {
    return this.tokens[this.position];
  }

  /** or := and (OR and)*; and := primary (AND primary)* — both left-associative. */
  expression(): FilterExpr {
    let expr = this.conjunction();
    while (this.accept('OR')) expr = { type: 'or', left: expr, right: this.conjunction() };
    return expr;
  }

  private conjunction(): FilterExpr {
    let expr = this.primary();
    while (this.accept('AND')) expr = { type: 'and', left: expr, right: this.primary() };
    return expr;
  }

  private primary(): FilterExpr {
    if (this.accept('LPAREN')) {
      const expr = this.expression();
      this.expect('RPAREN');
      return expr;
    }
    if (this.accept('NOT')) return { type: 'not', expr: this.primary() };
    return this.predicate();
  }

  private predicate(): FilterExpr {
    const field = this.expect('IDENT').value;
    const operator = this.peek();
    const op = operator === undefined ? undefined : OPERATORS[operator.type];
    if (op !== undefined) {
      this.position += 1;
      return { type: 'compare', field, op, value: this.value() };
    }
    const negated = this.accept('NOT') !== undefined;
    if (this.accept('IN')) {
      const expr: FilterExpr = { type: 'in', field, values: this.valueList() };
      return negated ? { type: 'not', expr } : expr;
    }
    if (negated) throw new FilterParseError(`Expected IN after NOT for field ${field}`);
    if (this.accept('IS')) {
      const negatedNull = this.accept('NOT') !== undefined;
      if (this.expect('IDENT').value.toUpperCase() !== 'NULL')
        throw new FilterParseError('Expected NULL after IS/IS NOT');
      const expr: FilterExpr = { type: 'is-null', field };
      return negatedNull ? { type: 'not', expr } : expr;
    }
    throw new FilterParseError(
      `Expected operator after field ${field}: comparison, membership (IN, NOT IN) or nullity (IS NULL)`,
    );
  }

  private valueList(): (string | number)[] {
    this.expect('LPAREN');
    const values = [this.listValue()];
    while (this.accept('COMMA')) values.push(this.listValue());
    this.expect('RPAREN');
    const kinds = new Set(values.map((value) => typeof value));
    if (kinds.size > 1)
      throw new FilterParseError('Mixed types in IN list: all values must be int or all str');
    return values;
  }

  /** IN lists take integers and text only (not booleans, floats or dates). */
  private listValue(): string | number {
    const token = this.peek();
    const value = this.value();
    const integer = typeof value === 'number' && token?.type === 'IDENT' && /^[0-9]+$/.test(token.value);
    if (typeof value === 'string' || integer) return value as string | number;
    throw new FilterParseError('IN lists only support int and str values');
  }

  private value(): FilterValue {
    const token = this.expect('IDENT', 'STRING');
    if (token.type === 'STRING') return token.value;
    if (token.value.toLowerCase() === 'date') {
      this.expect('LPAREN');
      const text = this.expect('STRING').value;
      this.expect('RPAREN');
      return { date: parseIsoDate(text) };
    }
    const upper = token.value.toUpperCase();
    if (upper === 'TRUE') return true;
    if (upper === 'FALSE') return false;
    if (/^[0-9]+$/.test(token.value) || /^[0-9]+\.[0-9]+$/.test(token.value)) return Number(token.value);
    return token.value;
  }

  private accept(...types: FilterTokenType[]): FilterToken | undefined {
    const token = this.peek();
    if (token === undefined || !types.includes(token.type)) return undefined;
    this.position += 1;
    return token;
  }

  private expect(...types: FilterTokenType[]): FilterToken {
    const token = this.accept(...types);
    if (token !== undefined) return token;
    const found = this.peek();
    throw new FilterParseError(
      `Expected ${types.join(' or ')}, got ${found === undefined ? 'EOF' : describe(found)}`,
    );
  }
}

function describe(token: FilterToken): string {
  return token.type === 'STRING' ? `STRING '${token.value}'` : `${token.type} ${token.value}`;
}

/**
 * Python's `datetime.fromisoformat` in the forms that matter here: a date, or a date and time with optional
 * seconds, fraction and offset. A time without an offset is read as UTC (Python would keep it naive).
 */
function parseIsoDate(text: string): number {
  const match =
    /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d{1,6})?)?)(Z|[+-]\d{2}:?\d{2})?)?$/.exec(text);
  const [, day, time = '00:00', offset = 'Z'] = match ?? [];
  const ms =
    day === undefined
      ? Number.NaN
      : Date.parse(`${day}T${time}${offset.replace(/^([+-]\d{2})(\d{2})$/, '$1:$2')}`);
  if (Number.isNaN(ms)) throw new FilterParseError(`Invalid ISO format date string: '${text}'`);
  return ms;
}
