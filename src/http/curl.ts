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
  const parts = ['curl', '-sS', '-X', request.method, shellQuote(request.url)];
  for (const [name, value] of Object.entries(request.headers)) {
    if (SKIPPED.has(name)) continue;
    if (value === REDACTED_CREDENTIAL) {
      if (credential && credential.header === name) {
        parts.push(
          '-H',
          `"${displayHeader(name)}: ${credential.valueExpression.replace(/["\\`]/g, '\\$&')}"`,
        );
      }
      continue;
    }
    parts.push('-H', shellQuote(`${displayHeader(name)}: ${value}`));
  }
  if (request.body !== undefined) parts.push('--data-raw', shellQuote(request.body));
  return parts.join(' ');
}

/** Quotes a string for POSIX shells. */
export function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

function displayHeader(name: string): string {
  return name.replace(/(^|-)([a-z])/g, (_, dash: string, c: string) => dash + c.toUpperCase());
}
