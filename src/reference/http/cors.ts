/**
 * CORS for every answer: front-end developers point browsers at the reference server as a local backend,
 * so any origin may call it. The allowed headers are the ones the official clients send
 * (Authorization and Content-Type everywhere, Mem0-User-ID from the mem0ai client, Z-TS in docs/sources.md).
 */

/** Headers added to every response. */
export const CORS_HEADERS: Readonly<Record<string, string>> = {
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Expose-Headers': 'Allow, Retry-After, WWW-Authenticate',
};

/** Headers answering a preflight (OPTIONS) request for a route allowing `methods`. */
export function preflightHeaders(methods: readonly string[]): Record<string, string> {
  return {
    ...CORS_HEADERS,
    'Access-Control-Allow-Methods': [...methods, 'OPTIONS'].join(', '),
    'Access-Control-Allow-Headers': 'Authorization, Content-Type, Accept, Mem0-User-ID',
    'Access-Control-Max-Age': '600',
  };
}
