import type { FaultSwitches } from '../faults.js';

/** What a handler answers: a status and a JSON body (serialised by the server; undefined = no body, e.g. 204). */
export interface Reply {
  readonly status: number;
  readonly body: unknown;
  readonly headers?: Readonly<Record<string, string>>;
}

/** How one vendor words the errors the HTTP layer produces before a handler runs. */
export interface ApiDialect {
  notFound(path: string): Reply;
  methodNotAllowed(method: string, allowed: readonly string[]): Reply;
  unauthorized(reason: 'missing' | 'invalid', faults: FaultSwitches): Reply;
  unsupportedMediaType(contentType: string): Reply;
  payloadTooLarge(limitBytes: number): Reply;
  malformedJson(detail: string): Reply;
  internalError(): Reply;
}

/** How a route authenticates: `Authorization: Token <key>`, `Bearer <key>`, or not at all. */
export type AuthScheme = 'token' | 'bearer' | 'none';

/** What a handler receives. */
export interface HandlerInput {
  /** The parsed JSON body (`{}` for an empty body; undefined for GET). */
  readonly body: unknown;
  /** The accepted API key, when the route authenticates. */
  readonly token: string | undefined;
  readonly faults: FaultSwitches;
  /** Values of the `{name}` segments of the route's path. */
  readonly params: Readonly<Record<string, string>>;
  /** The query string. */
  readonly query: URLSearchParams;
}

/** One endpoint of the reference server. */
export interface Route {
  readonly method: 'GET' | 'POST' | 'DELETE';
  /**
   * Exact path, trailing slash included (Mem0 routes only the slashed path, Z-OAS, Z-TS in docs/sources.md); a `{name}`
   * segment matches one non-empty path segment and is handed to the handler in `params`.
   */
  readonly path: string;
  readonly auth: AuthScheme;
  readonly dialect: ApiDialect;
  handle(input: HandlerInput): Reply;
}
