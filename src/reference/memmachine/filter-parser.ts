/**
 * The reference's reading of MemMachine filters: the vendor's parser (src/spec/memmachine-filter.ts, MM-FLT)
 * plus what an implementation adds, namely which fields exist and how a typed value compares with what an
 * episode or feature holds.
 *
 * Comparison follows the vendor's typed values (MM-FLT in docs/sources.md): `= 123` matches the number 123 and not the
 * text "123", `= '123'` the text only, `= true` the boolean only; ordering compares numbers with numbers,
 * text with text and a `date('…')` with a time held as ms. A field the item does not hold satisfies only
 * IS NULL (a missing value compares like SQL NULL, as the stores behind long-term memory do).
 */
import {
  type ComparisonOp,
  type FilterExpr,
  FilterParseError,
  type FilterValue,
  IDENTIFIER,
  metadataKeyOf,
  parseFilter as parseVendorFilter,
} from '../../spec/memmachine-filter.js';

/** Where a comparison reads its left-hand side. */
export type FieldRef =
  | { readonly kind: 'metadata'; readonly key: string }
  | { readonly kind: 'system'; readonly name: string };

/** A parsed filter whose fields are resolved to metadata keys or known system fields. */
export type FilterNode =
  | { readonly type: 'and' | 'or'; readonly left: FilterNode; readonly right: FilterNode }
  | { readonly type: 'not'; readonly operand: FilterNode }
  | {
      readonly type: 'compare';
      readonly field: FieldRef;
      readonly operator: ComparisonOp;
      readonly value: FilterValue;
    }
  | { readonly type: 'in'; readonly field: FieldRef; readonly values: readonly (string | number)[] }
  | { readonly type: 'is-null'; readonly field: FieldRef };

/** A filter the vendor refuses, or one naming a field the searched memories do not have (answered 422). */
export class FilterSyntaxError extends Error {
  override readonly name = 'FilterSyntaxError';
}

/**
 * Parses a filter. An empty filter (or one with no token the vendor's scanner keeps) is `undefined`: no
 * restriction. `systemFields` lists the non-metadata fields that may be named.
 */
export function parseFilter(source: string, systemFields: ReadonlySet<string>): FilterNode | undefined {
  let expr: FilterExpr | undefined;
  try {
    expr = parseVendorFilter(source);
  } catch (error) {
    if (error instanceof FilterParseError) throw new FilterSyntaxError(error.message);
    throw error;
  }
  return expr === undefined ? undefined : resolveFields(expr, systemFields);
}

function resolveFields(expr: FilterExpr, systemFields: ReadonlySet<string>): FilterNode {
  const field = (name: string): FieldRef => {
    const key = metadataKeyOf(name);
    if (key !== undefined) return { kind: 'metadata', key };
    if (systemFields.has(name)) return { kind: 'system', name };
    // Stricter than the vendor's short-term store (which logs and reads null), as strict as its SQL stores.
    throw new FilterSyntaxError(
      `Unsupported filter field: ${name}: use metadata.<key> (or m.<key>) or one of ${[...systemFields].join(', ')}`,
    );
  };
  switch (expr.type) {
    case 'and':
    case 'or':
      return {
        type: expr.type,
        left: resolveFields(expr.left, systemFields),
        right: resolveFields(expr.right, systemFields),
      };
    case 'not':
      return { type: 'not', operand: resolveFields(expr.expr, systemFields) };
    case 'compare':
      return { type: 'compare', field: field(expr.field), operator: expr.op, value: expr.value };
    case 'in':
      return { type: 'in', field: field(expr.field), values: expr.values };
    case 'is-null':
      return { type: 'is-null', field: field(expr.field) };
  }
}

/**
 * For the `bare-literal-tokenizer` fault: quotes every bare comparison value holding characters outside
 * `[A-Za-z0-9_.]`, so `metadata.user_id=u-123` reads as the text 'u-123', as a lenient tokenizer would
 * (the vendor's refuses it: MM-FLT in docs/sources.md).
 */
export function quoteBareValues(source: string): string {
  return source.replace(
    /(!=|<>|>=|<=|=|>|<)(\s*)([^\s()',=<>!]+)/g,
    (whole, op: string, space: string, word: string) =>
      IDENTIFIER.test(word) ? whole : `${op}${space}'${word}'`,
  );
}

/** A value a field can hold. */
export type FieldValue = string | number | boolean | null | undefined;

/** Evaluates a parsed filter against one item, reading its fields through `resolve`. */
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
      return value !== null && value !== undefined && node.values.some((literal) => equals(value, literal));
    }
    case 'compare':
      return compare(resolve(node.field), node.operator, node.value);
  }
}

function compare(value: FieldValue, operator: ComparisonOp, literal: FilterValue): boolean {
  if (value === null || value === undefined) return false;
  if (operator === '=') return equals(value, literal);
  if (operator === '!=') return !equals(value, literal);
  const order = ordering(value, literal);
  if (order === undefined) return false;
  switch (operator) {
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

/** Typed equality: a number equals only a number, text only text, a date only a time held as ms. */
function equals(value: string | number | boolean, literal: FilterValue): boolean {
  if (typeof literal === 'object') return typeof value === 'number' && value === literal.date;
  return value === literal;
}

/** Sign of value − literal for two numbers, two texts or a ms time and a date; otherwise undefined. */
function ordering(value: string | number | boolean, literal: FilterValue): number | undefined {
  const right = typeof literal === 'object' ? literal.date : literal;
  if (typeof value === 'number' && typeof right === 'number') return Math.sign(value - right);
  if (typeof value === 'string' && typeof right === 'string')
    return value < right ? -1 : value > right ? 1 : 0;
  return undefined;
}
