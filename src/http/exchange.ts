/**
 * The record of one HTTP request and what came back. Everything a check or a report knows about the
 * target comes from here; nothing in it is trusted (bodies may be huge, hostile or not JSON).
 */

/** The request as sent, with the credential redacted (see `redactHeaders`). */
export interface ExchangeRequest {
  readonly method: string;
  readonly url: string;
  /** Header names in lower case; the credential header's value is replaced by `REDACTED_CREDENTIAL`. */
  readonly headers: Readonly<Record<string, string>>;
  /** The raw body text sent, if any. */
  readonly body?: string;
  /** The JSON value of `body` when the body is JSON (absent for deliberately malformed bodies). */
  readonly json?: unknown;
}

/** What the target answered. */
export interface ExchangeResponse {
  readonly status: number;
  /** Header names in lower case; repeated headers joined with ", ". */
  readonly headers: Readonly<Record<string, string>>;
  /** The body as text, cut at the runner's size limit (see `truncated`). */
  readonly body: string;
  /** How many bytes the target sent (or at least sent before the limit was hit). */
  readonly bodyBytes: number;
  /** True when the body exceeded the size limit and was cut; `json` is then absent. */
  readonly truncated: boolean;
  /** The parsed body when it is valid JSON. `undefined` means "not JSON" (see `jsonError`). */
  readonly json?: unknown;
  /** Why the body could not be parsed as JSON (empty, truncated, syntax error, nested too deep). */
  readonly jsonError?: string;
  /** Lists (or key sets) longer than memconform judges, cut to their first items in `json`. */
  readonly itemsCut?: readonly ItemsCut[];
}

/** Where a list (or an object's keys) of an answer was cut, and how long it was. */
export interface ItemsCut {
  /** JSON pointer of the array or object. */
  readonly pointer: string;
  readonly kept: number;
  readonly total: number;
}

/** Why no response was received. */
export interface TransportFailure {
  readonly kind: 'timeout' | 'refused' | 'reset' | 'dns' | 'tls' | 'protocol' | 'other';
  readonly message: string;
}

/** One request/response pair (or request/failure), as recorded by the HTTP layer. */
export interface Exchange {
  readonly request: ExchangeRequest;
  readonly response?: ExchangeResponse;
  readonly failure?: TransportFailure;
  readonly durationMs: number;
  /** 429 answers that were sent again before this one (see withRateLimitRetry); absent when none. */
  readonly retries?: readonly RateLimitRetry[];
}

/** The text that stands in for a credential in every recorded request, report and curl line. */
export const REDACTED_CREDENTIAL = '[REDACTED]';

/** A 429 answer that memconform waited out and sent again. */
export interface RateLimitRetry {
  /** Status of the answer that was retried (429). */
  readonly status: number;
  /** How long memconform waited before sending again. */
  readonly waitedMs: number;
  /** Where the wait came from. */
  readonly after: 'retry-after' | 'backoff';
}
