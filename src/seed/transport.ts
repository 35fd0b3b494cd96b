import type { HttpClient } from '../http/client.js';
import type { Exchange } from '../http/exchange.js';
import type { SpecOperation } from '../spec/api-spec.js';

/** How seeding reaches one target: its base URL, credential and the operations of its spec. */
export interface SeedTarget {
  readonly url: string;
  readonly token: string | undefined;
  readonly operations: ReadonlyMap<string, SpecOperation>;
  readonly http: HttpClient;
  /** Waits; injected so tests need not sleep through a Retry-After. */
  readonly sleep: (ms: number) => Promise<void>;
}

/** A 429 is retried at most this often before the write counts as refused. */
const MAX_RETRIES = 5;
/** Longest Retry-After honoured; a target asking for more is treated as refusing. */
const MAX_RETRY_AFTER_MS = 60_000;

/**
 * Calls one spec operation: JSON body, the spec's credential header, query and `{path}` parameters filled
 * in. A 429 is retried after its `Retry-After` (seconds or an HTTP date; 1 s when absent), as the vendors'
 * SDKs do. Never throws for a transport problem: the exchange says what happened.
 */
export async function callOperation(
  target: SeedTarget,
  operationId: string,
  options: { body?: unknown; query?: Record<string, string>; path?: Record<string, string> } = {},
): Promise<Exchange> {
  const operation = target.operations.get(operationId);
  if (operation === undefined) throw new Error(`the spec has no operation ${operationId}`);
  let path = operation.path;
  for (const [name, value] of Object.entries(options.path ?? {}))
    path = path.replace(`{${name}}`, encodeURIComponent(value));
  const query = new URLSearchParams(options.query ?? {}).toString();
  const headers: Record<string, string> = {};
  let credentialHeader: string | undefined;
  if (operation.credential && target.token !== undefined) {
    headers[operation.credential.header] = `${operation.credential.prefix}${target.token}`;
    credentialHeader = operation.credential.header;
  }
  const body = options.body === undefined ? undefined : JSON.stringify(options.body);
  if (body !== undefined) headers['content-type'] = 'application/json';
  const request = {
    method: operation.method,
    url: `${target.url}${path}${query === '' ? '' : `?${query}`}`,
    headers,
    ...(body === undefined ? {} : { body, json: options.body }),
    ...(credentialHeader === undefined ? {} : { credentialHeader }),
    ...(target.token === undefined ? {} : { secrets: [target.token] }),
  };
  for (let attempt = 0; ; attempt += 1) {
    const exchange = await target.http.send(request);
    if (exchange.response?.status !== 429 || attempt >= MAX_RETRIES) return exchange;
    const wait = retryAfterMs(exchange.response.headers['retry-after']);
    if (wait > MAX_RETRY_AFTER_MS) return exchange;
    await target.sleep(wait);
  }
}

/** Retry-After as milliseconds: delay-seconds or an HTTP date (RFC 9110 §10.2.3); 1 s when absent or bad. */
export function retryAfterMs(header: string | undefined, now = Date.now()): number {
  if (header === undefined) return 1_000;
  if (/^\d+$/.test(header.trim())) return Number(header.trim()) * 1_000;
  const date = Date.parse(header);
  return Number.isNaN(date) ? 1_000 : Math.max(0, date - now);
}

/** True for a 2xx answer whose body (if any) is not a MemOS-style error (`code` other than 0). */
export function succeeded(exchange: Exchange): boolean {
  const status = exchange.response?.status;
  if (status === undefined || status < 200 || status > 299) return false;
  const json = exchange.response?.json as { code?: unknown } | undefined;
  return (
    json === undefined || typeof json !== 'object' || json === null || !('code' in json) || json.code === 0
  );
}

/** A short description of a failed call: status and the start of the body, or the transport failure. */
export function describeFailure(exchange: Exchange): string {
  if (exchange.failure) return `${exchange.failure.kind}: ${exchange.failure.message}`;
  const body = exchange.response?.body ?? '';
  return `HTTP ${exchange.response?.status} ${body.length > 200 ? `${body.slice(0, 200)}…` : body}`.trim();
}
