import type { IncomingMessage } from 'node:http';
import type { AuthScheme } from './types.js';

/** The outcome of checking a request's credentials. */
export type AuthResult =
  | { readonly ok: true; readonly token: string | undefined }
  | { readonly ok: false; readonly reason: 'missing' | 'invalid' };

const SCHEME_WORD: Record<Exclude<AuthScheme, 'none'>, string> = { token: 'token', bearer: 'bearer' };

/**
 * Checks `Authorization: <Scheme> <key>` against the accepted keys. A header with another scheme counts as
 * missing, as in Django REST Framework's TokenAuthentication, which ignores headers it does not own and
 * matches the keyword case-insensitively (the Mem0 platform is DRF, Z-ISS3955 in docs/sources.md).
 */
export function authenticate(
  request: IncomingMessage,
  scheme: AuthScheme,
  accepted: ReadonlySet<string>,
): AuthResult {
  if (scheme === 'none') return { ok: true, token: undefined };
  const header = request.headers.authorization ?? '';
  const [word, key, ...rest] = header.trim().split(/\s+/);
  if (
    word === undefined ||
    word.toLowerCase() !== SCHEME_WORD[scheme] ||
    key === undefined ||
    rest.length > 0
  ) {
    return { ok: false, reason: 'missing' };
  }
  return accepted.has(key) ? { ok: true, token: key } : { ok: false, reason: 'invalid' };
}
