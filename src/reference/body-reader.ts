import type { FaultSwitches } from './faults.js';

/**
 * Reads fields out of a parsed JSON request body and records what is wrong with them. Each API turns the
 * recorded problems into its own error body (MemOS codes, DRF field lists, MemMachine's wrapped Pydantic
 * message); the reader only knows JSON types. The input-validation faults are read here and nowhere else.
 */

/** What is wrong with one field. */
export type ProblemKind =
  | 'required' // absent (or null where null is not allowed)
  | 'blank' // an empty or whitespace-only string where text is required
  | 'type' // wrong JSON type
  | 'range' // a number outside its bounds
  | 'too-long' // a string longer than allowed
  | 'too-short' // a string shorter than allowed
  | 'choice' // a value outside an enumeration
  | 'pattern' // a string that does not match the allowed characters
  | 'invalid' // a value the API's own rules reject (e.g. a filter that does not parse); see `detail`
  | 'null' // null for an optional field (only under the reject-nulls fault)
  | 'unknown'; // a field the contract does not name (only under the reject-unknown-fields fault)

/** One problem found in a request body. */
export interface FieldProblem {
  readonly field: string;
  readonly kind: ProblemKind;
  /** The expected type or bound, for messages: 'string', 'integer', 'boolean', 'object', 'array', '25', … */
  readonly expected?: string;
  readonly min?: number;
  readonly max?: number;
  /** Why an 'invalid' value was rejected. */
  readonly detail?: string;
  /** The JSON type received, for 'type' problems: string, number, boolean, array or object. */
  readonly received?: string;
}

/** Options shared by the typed readers. */
interface FieldOptions {
  readonly required?: boolean;
}

/** A JSON object body and the problems found so far. */
export class BodyReader {
  private readonly problems: FieldProblem[] = [];
  private readonly body: Readonly<Record<string, unknown>>;
  private readonly named = new Set<string>();

  constructor(
    body: unknown,
    private readonly faults: FaultSwitches,
  ) {
    if (body === null || typeof body !== 'object' || Array.isArray(body)) {
      this.problems.push({ field: 'body', kind: 'type', expected: 'object', received: jsonType(body) });
      this.body = {};
    } else {
      this.body = body as Record<string, unknown>;
    }
  }

  /** True when the body itself was not a JSON object. */
  get bodyIsNotObject(): boolean {
    return this.problems.some((problem) => problem.field === 'body');
  }

  /** A string field; `allowBlank: false` rejects "" and whitespace-only text. */
  string(
    field: string,
    options: FieldOptions & {
      allowBlank?: boolean;
      maxLength?: number;
      minLength?: number;
      pattern?: RegExp;
    } = {},
  ): string | undefined {
    const value = this.read(field, options);
    if (value === undefined) return undefined;
    if (typeof value !== 'string')
      return this.fail(field, 'type', { expected: 'string', received: jsonType(value) });
    if (options.allowBlank === false && value.trim() === '') return this.fail(field, 'blank');
    if (options.minLength !== undefined && value.length < options.minLength) {
      return this.fail(field, 'too-short', { min: options.minLength });
    }
    if (options.maxLength !== undefined && value.length > options.maxLength) {
      return this.fail(field, 'too-long', { max: options.maxLength });
    }
    if (options.pattern !== undefined && !options.pattern.test(value)) return this.fail(field, 'pattern');
    return value;
  }

  /** An integer field (JSON numbers with no fraction), optionally bounded. */
  integer(field: string, options: FieldOptions & { min?: number; max?: number } = {}): number | undefined {
    const value = this.read(field, options);
    if (value === undefined) return undefined;
    if (typeof value !== 'number' || !Number.isInteger(value))
      return this.fail(field, 'type', { expected: 'integer', received: jsonType(value) });
    return this.bounded(field, value, options);
  }

  /** A number field, optionally bounded. */
  number(field: string, options: FieldOptions & { min?: number; max?: number } = {}): number | undefined {
    const value = this.read(field, options);
    if (value === undefined) return undefined;
    if (typeof value !== 'number' || !Number.isFinite(value))
      return this.fail(field, 'type', { expected: 'number', received: jsonType(value) });
    return this.bounded(field, value, options);
  }

  /** A boolean field. */
  boolean(field: string, options: FieldOptions = {}): boolean | undefined {
    const value = this.read(field, options);
    if (value === undefined) return undefined;
    if (typeof value !== 'boolean')
      return this.fail(field, 'type', { expected: 'boolean', received: jsonType(value) });
    return value;
  }

  /** A JSON object field. */
  object(field: string, options: FieldOptions = {}): Record<string, unknown> | undefined {
    const value = this.read(field, options);
    if (value === undefined) return undefined;
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      return this.fail(field, 'type', { expected: 'object', received: jsonType(value) });
    }
    return value as Record<string, unknown>;
  }

  /** An array of strings; `choices` restricts the allowed values. */
  stringArray(
    field: string,
    options: FieldOptions & { choices?: readonly string[] } = {},
  ): string[] | undefined {
    const value = this.read(field, options);
    if (value === undefined) return undefined;
    if (!Array.isArray(value))
      return this.fail(field, 'type', { expected: 'array', received: jsonType(value) });
    if (!value.every((entry): entry is string => typeof entry === 'string')) {
      return this.fail(field, 'type', { expected: 'array of strings', received: 'array' });
    }
    const { choices } = options;
    if (choices !== undefined && !value.every((entry) => choices.includes(entry))) {
      return this.fail(field, 'choice', { expected: choices.join(', ') });
    }
    return value;
  }

  /** The raw value of a field the caller validates itself (it still counts as named). */
  raw(field: string): unknown {
    this.named.add(field);
    return this.body[field];
  }

  /** Records a problem found by the caller (e.g. a cross-field rule). */
  report(problem: FieldProblem): void {
    this.problems.push(problem);
  }

  /**
   * The problems to answer with. Under `accept-invalid-input` there are none: invalid fields were read as
   * absent and the handler falls back to defaults.
   */
  finish(): readonly FieldProblem[] {
    if (this.faults.on('reject-unknown-fields')) {
      for (const field of Object.keys(this.body)) {
        if (!this.named.has(field)) this.problems.push({ field, kind: 'unknown' });
      }
    }
    return this.faults.on('accept-invalid-input') ? [] : this.problems;
  }

  private read(field: string, options: FieldOptions): unknown {
    this.named.add(field);
    const value = this.body[field];
    if (value === undefined) {
      if (options.required) this.problems.push({ field, kind: 'required' });
      return undefined;
    }
    if (value === null) {
      // Every optional field accepts null (M-CLI in docs/sources.md: the official MemOS client sends
      // null for every unset key; Mem0 and MemMachine declare their optional fields nullable).
      if (options.required) this.problems.push({ field, kind: 'required' });
      else if (this.faults.on('reject-nulls')) this.problems.push({ field, kind: 'null' });
      return undefined;
    }
    return value;
  }

  private bounded(field: string, value: number, options: { min?: number; max?: number }): number | undefined {
    if (
      (options.min !== undefined && value < options.min) ||
      (options.max !== undefined && value > options.max)
    ) {
      return this.fail(field, 'range', { min: options.min, max: options.max });
    }
    return value;
  }

  private fail(
    field: string,
    kind: ProblemKind,
    detail: Omit<FieldProblem, 'field' | 'kind'> = {},
  ): undefined {
    this.problems.push({ field, kind, ...detail });
    return undefined;
  }
}

/** The JSON type name of a parsed value. */
export function jsonType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}
