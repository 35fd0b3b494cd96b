/**
 * Step expressions: `${…}` in a step's body or headers that read the answer of an earlier step of the same
 * case, so a case can derive its inputs from the target's own data (the page past the last one, a threshold
 * between the weakest and the strongest score, a tag that exists). The grammar is deliberately tiny and is
 * parsed, never evaluated as code:
 *
 *   expression := value [ ("+" | "-") number ]          (spaces around the operator)
 *   value      := reference | function "(" reference ")"
 *   function   := min | max | mid | first | count
 *   reference  := "steps." step-name pointer            e.g. steps.first/data/pages
 *   pointer    := ("/" token)+                           a JSON pointer; the token "*" matches every element
 *
 * A plain reference reads one value; a pointer with `*` matches many and needs a function: `min`, `max` and
 * `mid` (halfway between min and max) over the numbers matched, `first` the first value matched, `count` how
 * many values matched. An expression that fills a whole string keeps its JSON type; one inside a longer
 * string is spliced in as text. `${name}` without `steps.` stays a suite variable (see placeholders.ts).
 */

/** The functions a step expression may apply to the values its pointer matches. */
export const EXPRESSION_FUNCTIONS = ['min', 'max', 'mid', 'first', 'count'] as const;

/** One of EXPRESSION_FUNCTIONS. */
export type ExpressionFunction = (typeof EXPRESSION_FUNCTIONS)[number];

/** A parsed step expression. */
export interface StepExpression {
  /** The text between `${` and `}`, for messages. */
  readonly text: string;
  readonly fn?: ExpressionFunction;
  /** The earlier step whose answer is read. */
  readonly step: string;
  /** Unescaped JSON pointer tokens; `*` is the wildcard. */
  readonly pointer: readonly string[];
  /** Added to a numeric result (`+ 1`, `- 1`); 0 when absent. */
  readonly offset: number;
}

/** Thrown for an expression that does not follow the grammar; the suite loader names file, case and step. */
export class ExpressionSyntaxError extends Error {}

/** Every `${…}` in a string: `${name}` variables and step expressions alike. */
export const BRACES = /\$\{([^{}]*)\}/g;
const VARIABLE = /^[A-Za-z][A-Za-z0-9]*$/;
const STEP = /^steps\.([a-z0-9]+(?:-[a-z0-9]+)*)((?:\/[^/]*)+)$/;
const TOKEN = /^(?:\*|(?:[A-Za-z0-9_.-]|~[01])+)$/;
const SHAPE = /^\s*(?:([a-z]+)\(\s*([^()\s]+)\s*\)|([^()\s]+))(?:\s+([+-])\s+(\d+(?:\.\d+)?))?\s*$/;

/**
 * Parses the inside of one `${…}`: undefined when it is a suite variable name, else the step expression.
 * Throws ExpressionSyntaxError saying what is wrong.
 */
export function parseExpression(text: string): StepExpression | undefined {
  if (VARIABLE.test(text)) return undefined;
  const shape = SHAPE.exec(text);
  if (!shape) {
    throw new ExpressionSyntaxError(
      `\${${text}} is not a step expression: write \${steps.<step>/<pointer>}, optionally inside min|max|mid|first|count(…) and followed by " + N" or " - N"`,
    );
  }
  const [, fnName, inner, bare, sign, amount] = shape;
  if (fnName !== undefined && !(EXPRESSION_FUNCTIONS as readonly string[]).includes(fnName)) {
    throw new ExpressionSyntaxError(
      `\${${text}}: unknown function "${fnName}" (known: ${EXPRESSION_FUNCTIONS.join(', ')})`,
    );
  }
  const reference = (inner ?? bare) as string;
  const match = STEP.exec(reference);
  if (!match) {
    throw new ExpressionSyntaxError(
      `\${${text}}: "${reference}" is not a reference; write steps.<step-name>/<json-pointer>, e.g. steps.first/data/pages`,
    );
  }
  const tokens = (match[2] as string).slice(1).split('/');
  const bad = tokens.find((token) => !TOKEN.test(token));
  if (bad !== undefined) {
    throw new ExpressionSyntaxError(
      `\${${text}}: pointer token "${bad}" is not allowed (letters, digits, _ . - and ~0 ~1 escapes, or * alone)`,
    );
  }
  const fn = fnName as ExpressionFunction | undefined;
  if (fn === undefined && tokens.includes('*')) {
    throw new ExpressionSyntaxError(
      `\${${text}}: a pointer with * matches many values; wrap it in one of ${EXPRESSION_FUNCTIONS.join(', ')}`,
    );
  }
  const offset = amount === undefined ? 0 : (sign === '-' ? -1 : 1) * Number(amount);
  return {
    text,
    ...(fn === undefined ? {} : { fn }),
    step: match[1] as string,
    pointer: tokens.map((token) => token.replace(/~1/g, '/').replace(/~0/g, '~')),
    offset,
  };
}

/** Every step expression in the strings of a JSON value (throws ExpressionSyntaxError for a bad one). */
export function stepExpressionsIn(value: unknown): StepExpression[] {
  const found: StepExpression[] = [];
  const visit = (v: unknown): void => {
    if (typeof v === 'string') {
      for (const m of v.matchAll(BRACES)) {
        const expression = parseExpression(m[1] as string);
        if (expression) found.push(expression);
      }
    } else if (Array.isArray(v)) v.forEach(visit);
    else if (typeof v === 'object' && v !== null) Object.values(v).forEach(visit);
  };
  visit(value);
  return found;
}

/** The answer bodies of the earlier steps of a case, by step name (undefined: no readable JSON answer). */
export type EarlierAnswers = ReadonlyMap<string, unknown>;

/** A value derived from earlier answers, or why it could not be. */
export type Evaluation = { readonly value: unknown } | { readonly missing: string };

/** Evaluates one expression against the earlier answers of its case. */
export function evaluate(expression: StepExpression, answers: EarlierAnswers): Evaluation {
  const missing = (why: string): Evaluation => ({ missing: `\${${expression.text}}: ${why}` });
  const body = answers.get(expression.step);
  if (body === undefined) return missing(`step "${expression.step}" got no readable answer`);
  const matches = select(body, expression.pointer);
  let value: unknown;
  switch (expression.fn) {
    case undefined:
    case 'first':
      value = matches.find((m) => m !== null);
      if (value === undefined) return missing('the pointer matches nothing in the answer');
      break;
    case 'count':
      value = matches.length;
      break;
    default: {
      const numbers = matches.filter((m): m is number => typeof m === 'number' && Number.isFinite(m));
      if (numbers.length === 0) return missing('the pointer matches no number in the answer');
      const lo = Math.min(...numbers);
      const hi = Math.max(...numbers);
      value = expression.fn === 'min' ? lo : expression.fn === 'max' ? hi : (lo + hi) / 2;
    }
  }
  if (expression.offset !== 0) {
    if (typeof value !== 'number') return missing(`cannot add ${expression.offset} to a non-number`);
    value += expression.offset;
  }
  return { value };
}

/** The values a pointer with wildcards selects (absent paths select nothing). */
function select(value: unknown, tokens: readonly string[]): unknown[] {
  if (tokens.length === 0) return value === undefined ? [] : [value];
  const [token, ...rest] = tokens as [string, ...string[]];
  if (typeof value !== 'object' || value === null) return [];
  if (token === '*') {
    const children = Array.isArray(value) ? value : Object.values(value);
    return children.flatMap((child) => select(child, rest));
  }
  if (Array.isArray(value)) {
    if (!/^(0|[1-9]\d*)$/.test(token)) return [];
    return select(value[Number(token)], rest);
  }
  return Object.hasOwn(value, token) ? select((value as Record<string, unknown>)[token], rest) : [];
}
