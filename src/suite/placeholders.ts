import { randomUUID } from 'node:crypto';

const PLACEHOLDER = /\$\{([A-Za-z][A-Za-z0-9]*)\}/g;
const WHOLE = /^\$\{([A-Za-z][A-Za-z0-9]*)\}$/;

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

/** Variables every run defines; `unknownUser` is a user id no target can hold data for. */
export function builtInVariables(): Record<string, string> {
  return { unknownUser: `mc-unknown-${randomUUID()}` };
}

/**
 * Replaces `${name}` in every string of a JSON value (object keys are left alone). A string that is exactly
 * one placeholder becomes the variable's value; placeholders inside longer strings are substituted in place.
 */
export function resolvePlaceholders<T>(value: T, variables: Readonly<Record<string, string>>): T {
  return walk(value, variables) as T;
}

/** The placeholder names used anywhere in a JSON value. */
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

function walk(value: unknown, variables: Readonly<Record<string, string>>): unknown {
  if (typeof value === 'string') return substitute(value, variables);
  if (Array.isArray(value)) return value.map((v) => walk(v, variables));
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, walk(v, variables)]));
  }
  return value;
}

function substitute(text: string, variables: Readonly<Record<string, string>>): unknown {
  const lookup = (name: string): string => {
    if (!Object.hasOwn(variables, name))
      throw new UnknownPlaceholderError(name, Object.keys(variables).sort());
    return variables[name] as string;
  };
  const whole = WHOLE.exec(text);
  if (whole) return lookup(whole[1] as string);
  return text.replace(PLACEHOLDER, (_, name: string) => lookup(name));
}
