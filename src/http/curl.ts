import { type ExchangeRequest, REDACTED_CREDENTIAL } from './exchange.js';

/** How the credential appears in a replay line: a shell expression, never the token itself. */
export interface CurlCredential {
  /** Lower-case header name, e.g. `authorization`. */
  readonly header: string;
  /** e.g. `Token $MEMCONFORM_TOKEN` (expanded by the shell, hence double quotes around it). */
  readonly valueExpression: string;
}

const SKIPPED = new Set(['user-agent', 'accept', 'content-length', 'host', 'connection']);

/**
 * A curl command that replays a recorded request. Every value is single-quoted (a `'` becomes `'\''`), so a
 * body or URL cannot break out of its argument; the redacted credential header is replaced by a shell
 * variable in double quotes, so pasting the line sends the user's own token without showing it.
 */
export function toCurl(request: ExchangeRequest, credential?: CurlCredential): string {
  const headers: CurlHeader[] = [];
  for (const [name, value] of Object.entries(request.headers)) {
    if (SKIPPED.has(name)) continue;
    if (value === REDACTED_CREDENTIAL) {
      if (credential && credential.header === name) {
        headers.push({ name: displayHeader(name), expression: credential.valueExpression });
      }
      continue;
    }
    headers.push({ name: displayHeader(name), value });
  }
  return curlLine({
    method: request.method,
    url: request.url,
    headers,
    ...(request.body === undefined ? {} : { body: request.body }),
  });
}

/**
 * One header of a curl line: a literal value (single-quoted, sent as written) or a shell expression such as
 * `Token $MEMCONFORM_TOKEN` (double-quoted, so the shell expands the variable and the line shows no token).
 */
export type CurlHeader =
  | { readonly name: string; readonly value: string }
  | { readonly name: string; readonly expression: string };

/** What a curl line sends. */
export interface CurlRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: readonly CurlHeader[];
  readonly body?: string;
}

/**
 * The one curl builder (replay lines in reports, the `serve` and `mock` banners): `curl -sS -X METHOD 'URL'
 * -H … --data-raw '…'`, every literal single-quoted so no value can break out of its argument.
 */
export function curlLine(request: CurlRequest): string {
  const parts = ['curl', '-sS', '-X', request.method, shellQuote(request.url)];
  for (const header of request.headers) {
    parts.push(
      '-H',
      'expression' in header
        ? `"${header.name}: ${header.expression.replace(/["\\`]/g, '\\$&')}"`
        : shellQuote(`${header.name}: ${header.value}`),
    );
  }
  if (request.body !== undefined) parts.push('--data-raw', shellQuote(request.body));
  return parts.join(' ');
}

/** Quotes a string for POSIX shells (single quotes; an embedded quote becomes '\''). */
export function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

/** A lower-case header name as people write it: `authorization` -> `Authorization`. */
export function displayHeader(name: string): string {
  return name.replace(/(^|-)([a-z])/g, (_, dash: string, c: string) => dash + c.toUpperCase());
}
