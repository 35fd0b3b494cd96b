/**
 * MemMachine's filter language (ENDPOINTS.md §4 "Filter language", MM-FLT): a small tokenizer and a
 * recursive-descent parser producing an AST, plus its evaluation.
 *
 *   expr       := or
 *   or         := and ( OR and )*              AND binds tighter than OR
 *   and        := unary ( AND unary )*
 *   unary      := NOT unary | primary
 *   primary    := '(' expr ')' | comparison
 *   comparison := field ( op value | [NOT] IN '(' value ( ',' value )* ')' | IS [NOT] NULL )
 *   op         := '=' | '!=' | '<>' | '>' | '<' | '>=' | '<='
 *   field      := [A-Za-z0-9_.]+               metadata.<key> or m.<key> for user metadata, else a system field
 *   value      := 'single-quoted' ('' escapes a quote) | bare token (metadata.user_id=123)
 *
 * Keywords are case-insensitive. Bad syntax or an unknown field is a FilterSyntaxError (answered 422).
 */

/** Where a comparison reads its left-hand side. */
export type FieldRef =
  | { readonly kind: 'metadata'; readonly key: string }
  | { readonly kind: 'system'; readonly name: string };

/** A literal: quoted text is always a string; a bare token may also read as a number or boolean. */
export interface Literal {
  readonly text: string;
  readonly quoted: boolean;
}

/** The comparison operators, with `<>` normalised to `!=`. */
export type ComparisonOperator = '=' | '!=' | '>' | '<' | '>=' | '<=';

/** A parsed filter expression. */
export type FilterNode =
  | { readonly type: 'and' | 'or'; readonly left: FilterNode; readonly right: FilterNode }
  | { readonly type: 'not'; readonly operand: FilterNode }
  | {
      readonly type: 'compare';
      readonly field: FieldRef;
      readonly operator: ComparisonOperator;
      readonly value: Literal;
    }
  | { readonly type: 'in'; readonly field: FieldRef; readonly values: readonly Literal[] }
  | { readonly type: 'is-null'; readonly field: FieldRef };

/** A filter that does not parse, or names a field the searched memories do not have. */
export class FilterSyntaxError extends Error {
  override readonly name = 'FilterSyntaxError';
}

type Token =
  | { readonly kind: 'word'; readonly text: string; readonly at: number }
  | { readonly kind: 'string'; readonly text: string; readonly at: number }
  | { readonly kind: 'op'; readonly text: ComparisonOperator; readonly at: number }
  | { readonly kind: '(' | ')' | ','; readonly at: number };

/** Splits a filter into tokens. */
export function tokenizeFilter(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < source.length) {
    const char = source[i] as string;
    if (/\s/.test(char)) {
      i += 1;
    } else if (char === '(' || char === ')' || char === ',') {
      tokens.push({ kind: char, at: i });
      i += 1;
    } else if (char === "'") {
      const start = i;
      let text = '';
      i += 1;
      for (;;) {
        if (i >= source.length)
          throw new FilterSyntaxError(`unterminated string starting at position ${start}`);
        if (source[i] === "'") {
          if (source[i + 1] === "'") {
            text += "'";
            i += 2;
            continue;
          }
          i += 1;
          break;
        }
        text += source[i];
        i += 1;
      }
      tokens.push({ kind: 'string', text, at: start });
    } else {
      const op = /^(<>|!=|>=|<=|=|>|<)/.exec(source.slice(i))?.[0];
      if (op !== undefined) {
        tokens.push({ kind: 'op', text: op === '<>' ? '!=' : (op as ComparisonOperator), at: i });
        i += op.length;
        continue;
      }
      const word = /^[^\s(),'=<>!]+/.exec(source.slice(i))?.[0];
      if (word === undefined) throw new FilterSyntaxError(`unexpected character "${char}" at position ${i}`);
      tokens.push({ kind: 'word', text: word, at: i });
      i += word.length;
    }
  }
  return tokens;
}

const FIELD_PATTERN = /^[A-Za-z0-9_.]+$/;

/**
 * Parses a filter. An empty or blank filter is `undefined` (no restriction). `systemFields` lists the
 * non-metadata fields that may be named.
 */
export function parseFilter(source: string, systemFields: ReadonlySet<string>): FilterNode | undefined {
  if (source.trim() === '') return undefined;
  return new Parser(tokenizeFilter(source), systemFields).parseAll();
}

class Parser {
  private position = 0;

  constructor(
    private readonly tokens: readonly Token[],
    private readonly systemFields: ReadonlySet<string>,
  ) {}

  parseAll(): FilterNode {
    const node = this.parseOr();
    const rest = this.peek();
    if (rest !== undefined)
      throw new FilterSyntaxError(`unexpected ${describe(rest)} at position ${rest.at}`);
    return node;
  }

  private parseOr(): FilterNode {
    let node = this.parseAnd();
    while (this.acceptKeyword('OR')) node = { type: 'or', left: node, right: this.parseAnd() };
    return node;
  }

  private parseAnd(): FilterNode {
    let node = this.parseUnary();
    while (this.acceptKeyword('AND')) node = { type: 'and', left: node, right: this.parseUnary() };
    return node;
  }

  private parseUnary(): FilterNode {
    if (this.acceptKeyword('NOT')) return { type: 'not', operand: this.parseUnary() };
    if (this.accept('(')) {
      const node = this.parseOr();
      this.expect(')');
      return node;
    }
    return this.parseComparison();
  }

  private parseComparison(): FilterNode {
    const field = this.parseField();
    if (this.acceptKeyword('IS')) {
      const negated = this.acceptKeyword('NOT');
      this.expectKeyword('NULL');
      const node: FilterNode = { type: 'is-null', field };
      return negated ? { type: 'not', operand: node } : node;
    }
    const negatedIn = this.acceptKeyword('NOT');
    if (this.acceptKeyword('IN')) {
      this.expect('(');
      const values = [this.parseValue()];
      while (this.accept(',')) values.push(this.parseValue());
      this.expect(')');
      const node: FilterNode = { type: 'in', field, values };
      return negatedIn ? { type: 'not', operand: node } : node;
    }
    if (negatedIn) this.fail('IN after NOT');
    const token = this.peek();
    if (token?.kind !== 'op') return this.fail('a comparison operator');
    this.position += 1;
    return { type: 'compare', field, operator: token.text, value: this.parseValue() };
  }

  private parseField(): FieldRef {
    const token = this.peek();
    if (token?.kind !== 'word' || isKeyword(token.text) || !FIELD_PATTERN.test(token.text))
      return this.fail('a field name');
    this.position += 1;
    const match = /^(?:metadata|m)\.(.+)$/.exec(token.text);
    if (match?.[1] !== undefined) return { kind: 'metadata', key: match[1] };
    if (!this.systemFields.has(token.text)) {
      throw new FilterSyntaxError(
        `unknown field "${token.text}" at position ${token.at}: use metadata.<key> (or m.<key>) or one of ${[...this.systemFields].join(', ')}`,
      );
    }
    return { kind: 'system', name: token.text };
  }

  private parseValue(): Literal {
    const token = this.peek();
    if (token?.kind === 'string') {
      this.position += 1;
      return { text: token.text, quoted: true };
    }
    if (token?.kind === 'word' && !isKeyword(token.text)) {
      this.position += 1;
      return { text: token.text, quoted: false };
    }
    return this.fail('a value');
  }

  private peek(): Token | undefined {
    return this.tokens[this.position];
  }

  private accept(kind: '(' | ')' | ','): boolean {
    if (this.peek()?.kind !== kind) return false;
    this.position += 1;
    return true;
  }

  private expect(kind: '(' | ')' | ','): void {
    if (!this.accept(kind)) this.fail(`"${kind}"`);
  }

  private acceptKeyword(keyword: string): boolean {
    const token = this.peek();
    if (token?.kind !== 'word' || token.text.toUpperCase() !== keyword) return false;
    this.position += 1;
    return true;
  }

  private expectKeyword(keyword: string): void {
    if (!this.acceptKeyword(keyword)) this.fail(keyword);
  }

  private fail(expected: string): never {
    const token = this.peek();
    const found = token === undefined ? 'end of filter' : `${describe(token)} at position ${token.at}`;
    throw new FilterSyntaxError(`expected ${expected}, found ${found}`);
  }
}

const KEYWORDS = new Set(['AND', 'OR', 'NOT', 'IN', 'IS', 'NULL']);

function isKeyword(text: string): boolean {
  return KEYWORDS.has(text.toUpperCase());
}

function describe(token: Token): string {
  if (token.kind === 'word' || token.kind === 'op') return `"${token.text}"`;
  if (token.kind === 'string') return `'${token.text}'`;
  return `"${token.kind}"`;
}

/** A value a field can hold. */
export type FieldValue = string | number | boolean | null | undefined;

/**
 * Evaluates a parsed filter. A missing field satisfies only IS NULL (and its negations); equality compares
 * numbers numerically and everything else as text, so a bare `123` matches both 123 and "123"; ordering
 * compares numbers (or a date literal against a numeric ms time) numerically, text lexically.
 */
export function evaluateFilter(node: FilterNode, resolve: (field: FieldRef) => FieldValue): boolean {
  switch (node.type) {
    case 'and':
      return evaluateFilter(node.left, resolve) && evaluateFilter(node.right, resolve);
    case 'or':
      return evaluateFilter(node.left, resolve) || evaluateFilter(node.right, resolve);
    case 'not':
      return !evaluateFilter(node.operand, resolve);
    case 'is-null': {
      const value = resolve(node.field);
      return value === null || value === undefined;
    }
    case 'in': {
      const value = resolve(node.field);
      return node.values.some((literal) => compare(value, '=', literal));
    }
    case 'compare':
      return compare(resolve(node.field), node.operator, node.value);
  }
}

function compare(value: FieldValue, operator: ComparisonOperator, literal: Literal): boolean {
  if (value === null || value === undefined) return false;
  const order = ordering(value, literal);
  if (order === undefined) return operator === '!=';
  switch (operator) {
    case '=':
      return order === 0;
    case '!=':
      return order !== 0;
    case '>':
      return order > 0;
    case '<':
      return order < 0;
    case '>=':
      return order >= 0;
    case '<=':
      return order <= 0;
  }
}

/** Sign of value − literal, or undefined when they cannot be compared. */
function ordering(value: string | number | boolean, literal: Literal): number | undefined {
  if (typeof value === 'number') {
    // A number literal, or a date such as '2025-10-01' compared with a time held as ms.
    const asNumber = /^-?\d+(?:\.\d+)?$/.test(literal.text) ? Number(literal.text) : Date.parse(literal.text);
    return Number.isNaN(asNumber) ? undefined : Math.sign(value - asNumber);
  }
  if (typeof value === 'boolean') {
    const text = literal.text.toLowerCase();
    if (text !== 'true' && text !== 'false') return undefined;
    return value === (text === 'true') ? 0 : value ? 1 : -1;
  }
  return value < literal.text ? -1 : value > literal.text ? 1 : 0;
}
