import type { ApiName } from '../apis.js';

/**
 * The in-memory form of a suite file (`suites/<api>/<operation>.yaml`), after validation against
 * `schemas/suite.schema.json`. Strings in request bodies, headers and query values may contain `${name}`
 * placeholders, replaced from the suite's `variables` (overridable with `--var name=value`).
 */
export interface SuiteFile {
  /** Path relative to the package root, for messages. */
  readonly file: string;
  readonly api: ApiName;
  /** Default operation of the cases (an operationId of the api's spec). */
  readonly operation: string;
  /** Placeholder defaults, e.g. `{ user: 'alex', otherUser: 'priya' }`. */
  readonly variables: Readonly<Record<string, string>>;
  readonly cases: readonly SuiteCase[];
}

/** One scenario: one or more requests sent in order, judged together by every applicable check. */
export interface SuiteCase {
  /** Unique within the suite file, kebab-case. */
  readonly id: string;
  /** One sentence: what the case shows. */
  readonly description: string;
  readonly steps: readonly SuiteStep[];
  /** Free-form labels for `--tags` style selection and for reports (e.g. `isolation`, `pagination`). */
  readonly tags: readonly string[];
}

/** How a step authenticates. `invalid` sends a well-formed credential the target cannot know. */
export type AuthMode = 'valid' | 'none' | 'invalid';

/** One request of a case. */
export interface SuiteStep {
  /** Unique within the case; defaults to `request`, `request-2`, ... */
  readonly name: string;
  /** operationId; defaults to the suite's `operation`. */
  readonly operation: string;
  /** JSON body (placeholders resolved at run time). Absent for GET operations. */
  readonly body?: unknown;
  /** Sent verbatim instead of `body` (for malformed JSON); placeholders are not resolved. */
  readonly rawBody?: string;
  /** Content-Type header; defaults to application/json when there is a body. */
  readonly contentType?: string;
  readonly auth: AuthMode;
  /** Extra request headers. */
  readonly headers: Readonly<Record<string, string>>;
  /**
   * Set when the request deliberately breaks the request contract; the value says how. Such a step must
   * be rejected (documented 4xx or vendor error code), never answered with data or a 5xx.
   */
  readonly invalid?: string;
}

/** Identifies one operation across the specs, e.g. `mem0.searchMemories`. */
export type OperationRef = `${ApiName}.${string}`;
