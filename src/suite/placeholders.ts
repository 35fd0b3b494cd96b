import { randomUUID } from 'node:crypto';
import { BRACES, type EarlierAnswers, evaluate, parseExpression } from './expressions.js';

const PLACEHOLDER = /\$\{([A-Za-z][A-Za-z0-9]*)\}/g;

/** Thrown when a string names a variable nobody defined; the suite loader turns it into a suite error. */
export class UnknownPlaceholderError extends Error {
  constructor(
    readonly placeholder: string,
    readonly known: readonly string[],
  ) {
    super(
      `unknown placeholder \${${placeholder}} (known: ${known.length === 0 ? 'none' : known.join(', ')})`,
    );
  }
}

/** Thrown when a step expression cannot be evaluated (an earlier answer lacks what it reads): the step is not sent. */
export class MissingInputError extends Error {}

/** Variables every run defines; `unknownUser` is a user id no target can hold data for. */
export function builtInVariables(): Record<string, string> {
  return { unknownUser: `mc-unknown-${randomUUID()}` };
}

/**
 * Replaces `${name}` variables and, when `answers` is given, `${steps.…}` expressions (expressions.ts) in
 * every string of a JSON value, in one pass, so a value substituted in is never read as a template again.
 * Object keys are left alone. A string that is exactly one placeholder takes the value's JSON type;
 * placeholders inside longer strings are spliced in as text. Without `answers` step expressions are left as
 * written. Throws UnknownPlaceholderError for an undefined variable and MissingInputError for an expression
 * the earlier answers cannot satisfy.
 */
export function resolvePlaceholders<T>(
  value: T,
  variables: Readonly<Record<string, string>>,
  answers?: EarlierAnswers,
): T {
  return walk(value, (inner) => {
    const expression = parseExpression(inner);
    if (expression === undefined) {
      if (!Object.hasOwn(variables, inner))
        throw new UnknownPlaceholderError(inner, Object.keys(variables).sort());
      return { value: variables[inner] };
    }
    if (answers === undefined) return undefined;
    const result = evaluate(expression, answers);
    if ('missing' in result) throw new MissingInputError(result.missing);
    return result;
  }) as T;
}

/** The variable names used anywhere in a JSON value (step expressions are not variables). */
export function placeholdersIn(value: unknown): string[] {
  const names = new Set<string>();
  const visit = (v: unknown): void => {
    if (typeof v === 'string') for (const m of v.matchAll(PLACEHOLDER)) names.add(m[1] as string);
    else if (Array.isArray(v)) v.forEach(visit);
    else if (typeof v === 'object' && v !== null) Object.values(v).forEach(visit);
  };
  visit(value);
  return [...names];
}

/** The value of one `${…}`, or undefined to leave it as written. */
type Lookup = (inner: string) => { readonly value: unknown } | undefined;

function walk(value: unknown, lookup: Lookup): unknown {
  if (typeof value === 'string') return value.includes('${') ? substitute(value, lookup) : value;
  if (Array.isArray(value)) return value.map((v) => walk(v, lookup));
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, walk(v, lookup)]));
  }
  return value;
}

function substitute(text: string, lookup: Lookup): unknown {
  const whole = /^\$\{([^{}]*)\}$/.exec(text);
  if (whole) {
    const found = lookup(whole[1] as string);
    return found === undefined ? text : found.value;
  }
  return text.replace(BRACES, (all, inner: string) => {
    const found = lookup(inner);
    if (found === undefined) return all;
    const v = found.value;
    if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return String(v);
    throw new MissingInputError(
      `\${${inner}}: a ${Array.isArray(v) ? 'list' : v === null ? 'null' : 'object'} cannot be spliced into text`,
    );
  });
}
