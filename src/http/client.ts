import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import type * as Https from 'node:https';
import { createRequire } from 'node:module';
import { urlToHttpOptions } from 'node:url';
import { boundJson, pruneJsonText, tooDeep } from './bounded-json.js';
import type { Exchange, ExchangeRequest, ExchangeResponse, TransportFailure } from './exchange.js';
import { redactHeaders, redactText, withoutUserinfo } from './redact.js';

/** A request as the runner builds it (credential in clear; the recorded copy is redacted). */
export interface OutgoingRequest {
  readonly method: string;
  readonly url: string;
  /** Header names in any case; sent as given. */
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string;
  /** The JSON value of `body`, recorded for checks. */
  readonly json?: unknown;
  /** Header whose value is the credential (recorded as REDACTED_CREDENTIAL). */
  readonly credentialHeader?: string;
  /** Values that must never be recorded (the token). */
  readonly secrets?: readonly string[];
}

/** Settings of one run's HTTP client. */
export interface HttpClientOptions {
  /** Whole-request budget: connect, headers and body. */
  readonly timeoutMs: number;
  /** Bodies longer than this are cut and marked truncated. */
  readonly maxBodyBytes: number;
  readonly userAgent: string;
}

/** Sends requests and records exchanges; never throws for a transport problem. */
export interface HttpClient {
  /** `signal` aborts the request at once (the run was interrupted); the exchange records a failure. */
  send(request: OutgoingRequest, signal?: AbortSignal): Promise<Exchange>;
  /** Closes every pooled connection (call once at the end of the run). */
  close(): Promise<void>;
}

/**
 * Creates the run's client: one keep-alive pool per scheme shared by all requests, closed by `close()`.
 *
 * It is Node's own client (node:http, and node:https on the first https target), not undici: a run's whole
 * process must stay close to a bare replay of its requests (`npm run bench`), and loading undici from
 * node_modules cost about 80 ms of start-up plus its first-use compilation on every run, for nothing the run
 * needs. Everything a run relies on is done here: one deadline for the whole exchange, bodies read as a stream
 * and cut at the size limit, no redirects followed, no decompression (the bytes judged are the bytes sent).
 */
export function createHttpClient(options: HttpClientOptions): HttpClient {
  const pools = new Pools();
  return {
    send: (outgoing, signal) => send(pools, options, outgoing, signal),
    close: async () => pools.close(),
  };
}

/** Idle sockets are closed after this long: targets may be on the same host as other runs. */
const IDLE_SOCKET_MS = 1_000;

/** The keep-alive agents of one client; node:https is loaded only when a target is https. */
class Pools {
  private http: HttpAgent | undefined;
  private https: { agent: Https.Agent; request: typeof Https.request } | undefined;

  /**
   * Starts a request to `url` (userinfo dropped: it is a credential, and never sent as one); `fresh` opens a
   * connection of its own instead of reusing an idle one.
   */
  request(
    url: URL,
    init: { method: string; headers: Record<string, string>; signal: AbortSignal },
    fresh: boolean,
  ) {
    const { auth: _userinfo, ...target } = urlToHttpOptions(url);
    if (url.protocol === 'https:') {
      if (!this.https) {
        const https = createRequire(import.meta.url)('node:https') as typeof Https;
        this.https = {
          agent: new https.Agent({ keepAlive: true, timeout: IDLE_SOCKET_MS }),
          request: https.request,
        };
      }
      return this.https.request({ ...target, ...init, agent: fresh ? false : this.https.agent });
    }
    if (url.protocol !== 'http:') throw new Error(`unsupported protocol ${url.protocol}`);
    this.http ??= new HttpAgent({ keepAlive: true, timeout: IDLE_SOCKET_MS });
    return httpRequest({ ...target, ...init, agent: fresh ? false : this.http });
  }

  close(): void {
    this.http?.destroy();
    this.https?.agent.destroy();
  }
}

/** How a kept-alive connection that the target closed while it sat idle fails when it is reused. */
const STALE_CONNECTION = new Set(['ECONNRESET', 'EPIPE']);

/** Sends one request; resolves with the response once its headers are in (the body is still a stream). */
function transmit(
  pools: Pools,
  outgoing: OutgoingRequest,
  headers: Record<string, string>,
  signal: AbortSignal,
  fresh = false,
): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const request = pools.request(new URL(outgoing.url), { method: outgoing.method, headers, signal }, fresh);
    let answered = false;
    request.on('response', (response: IncomingMessage) => {
      answered = true;
      resolve(response);
    });
    // Kept after the answer: a socket error while the body streams must not be an unhandled 'error'.
    request.on('error', (error: NodeJS.ErrnoException) => {
      // Node's documented keep-alive race (see `request.reusedSocket`): a connection the target closed as idle
      // just before it was reused fails at once, with nothing answered. The target never took the request, so
      // it is sent once more, on a connection of its own; a target that really resets is reported all the same.
      const stale = request.reusedSocket && STALE_CONNECTION.has(error.code ?? '');
      if (stale && !answered && !fresh && !signal.aborted) {
        transmit(pools, outgoing, headers, signal, true).then(resolve, reject);
        return;
      }
      reject(error);
    });
    request.end(outgoing.body);
  });
}

/**
 * The request as recorded in an Exchange: `defaults` headers under the request's own (names in lower case),
 * userinfo dropped, the credential and every secret redacted.
 */
export function recordRequest(
  outgoing: OutgoingRequest,
  defaults: Readonly<Record<string, string>> = {},
): { recorded: ExchangeRequest; headers: Record<string, string> } {
  const secrets = outgoing.secrets ?? [];
  const headers: Record<string, string> = { ...defaults };
  for (const [name, value] of Object.entries(outgoing.headers)) headers[name.toLowerCase()] = value;
  const recorded: ExchangeRequest = {
    method: outgoing.method,
    url: redactText(withoutUserinfo(outgoing.url), secrets),
    headers: redactHeaders(headers, outgoing.credentialHeader, secrets),
    ...(outgoing.body === undefined ? {} : { body: redactText(outgoing.body, secrets) }),
    ...(outgoing.json === undefined ? {} : { json: outgoing.json }),
  };
  return { recorded, headers };
}

async function send(
  pools: Pools,
  options: HttpClientOptions,
  outgoing: OutgoingRequest,
  stop?: AbortSignal,
): Promise<Exchange> {
  const secrets = outgoing.secrets ?? [];
  const { recorded, headers } = recordRequest(outgoing, {
    'user-agent': options.userAgent,
    accept: 'application/json',
  });
  const started = performance.now();
  const elapsed = (): number => Math.round((performance.now() - started) * 10) / 10;
  // One signal for the whole exchange, body included: per-phase timeouts (socket idle, headers) would never
  // trip on a server that dribbles one byte per second.
  const timeout = AbortSignal.timeout(options.timeoutMs);
  const signal = stop ? AbortSignal.any([timeout, stop]) : timeout;
  try {
    const response = await transmit(pools, outgoing, headers, signal);
    const read = await readBody(response, options.maxBodyBytes);
    const { bytes, truncated } = read;
    // A target that echoes the credential back must not get it into reports: redact it from answers too.
    const text = redactText(read.text, secrets);
    const responseHeaders: Record<string, string> = {};
    // Every value of a repeated header, joined (node:http's `headers` would keep only the first of some).
    for (const [name, values] of Object.entries(response.headersDistinct)) {
      if (values !== undefined) responseHeaders[name] = redactText(values.join(', '), secrets);
    }
    const recordedResponse: ExchangeResponse = {
      status: response.statusCode ?? 0,
      headers: responseHeaders,
      body: text,
      bodyBytes: bytes,
      truncated,
      ...parseJson(read.text, truncated, secrets),
    };
    return { request: recorded, response: recordedResponse, durationMs: elapsed() };
  } catch (error) {
    return { request: recorded, failure: classify(error, timeout, secrets), durationMs: elapsed() };
  }
}

async function readBody(
  body: IncomingMessage,
  limit: number,
): Promise<{ text: string; bytes: number; truncated: boolean }> {
  const chunks: Buffer[] = [];
  let bytes = 0;
  let kept = 0;
  let truncated = false;
  for await (const chunk of body) {
    bytes += chunk.length;
    if (kept + chunk.length > limit) {
      chunks.push(chunk.subarray(0, limit - kept));
      kept = limit;
      truncated = true;
      // Stop reading: a hostile target could otherwise stream forever.
      body.destroy();
      break;
    }
    chunks.push(chunk);
    kept += chunk.length;
  }
  return { text: Buffer.concat(chunks).toString('utf8'), bytes, truncated };
}

/** Deepest nesting and longest list (or key set) of an answer that checks examine (see bounded-json.ts). */
export const JSON_BOUNDS = { maxDepth: 200, maxItems: 1_000 } as const;

/**
 * Parses the raw body, then bounds the value (items cut, depth refused) and redacts the secrets from every
 * string and key: JSON escapes in the raw text (`\u0072`) would otherwise bring the token back.
 */
function parseJson(
  raw: string,
  truncated: boolean,
  secrets: readonly string[],
): Pick<ExchangeResponse, 'json' | 'jsonError' | 'itemsCut'> {
  if (truncated) return { jsonError: 'body truncated at the size limit' };
  if (raw.trim() === '') return { jsonError: 'empty body' };
  // Cut in the text first: JSON.parse of a million items would build a million objects.
  const pruned = pruneJsonText(raw, JSON_BOUNDS);
  if ('tooDeep' in pruned) return { jsonError: tooDeep(JSON_BOUNDS.maxDepth) };
  let parsed: unknown;
  try {
    parsed = JSON.parse(pruned.text) as unknown;
  } catch (error) {
    return { jsonError: redactText((error as Error).message, secrets) };
  }
  const bounded = boundJson(parsed, { ...JSON_BOUNDS, text: (value) => redactText(value, secrets) });
  if (bounded.jsonError !== undefined) return { jsonError: bounded.jsonError };
  const cuts = [...pruned.cuts, ...bounded.cuts];
  return { json: bounded.json, ...(cuts.length > 0 ? { itemsCut: cuts } : {}) };
}

const TLS_CODES =
  /^(CERT_|ERR_TLS|ERR_SSL|DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_(VERIFY|GET)_|HOSTNAME_MISMATCH|ERR_OSSL)/;

/** Maps a Node (or undici, for a client passed in by a caller) error to a transport failure kind. */
export function classify(
  error: unknown,
  signal: AbortSignal | undefined,
  secrets: readonly string[],
): TransportFailure {
  const codes: string[] = [];
  const names: string[] = [];
  const messages: string[] = [];
  let current: unknown = error;
  for (let depth = 0; current && depth < 6; depth += 1) {
    const e = current as {
      code?: unknown;
      name?: unknown;
      message?: unknown;
      cause?: unknown;
      errors?: unknown;
    };
    if (typeof e.code === 'string') codes.push(e.code);
    if (typeof e.name === 'string') names.push(e.name);
    if (typeof e.message === 'string' && e.message !== '') messages.push(e.message);
    // AggregateError (happy eyeballs tries several addresses) carries the real errors in `errors`.
    if (Array.isArray(e.errors) && e.errors.length > 0) current = e.errors[0];
    else current = e.cause;
  }
  const message = redactText(messages[messages.length - 1] ?? String(error), secrets);
  const has = (re: RegExp): boolean => codes.some((c) => re.test(c));
  if (
    signal?.aborted ||
    names.includes('TimeoutError') ||
    has(/^UND_ERR_(CONNECT|HEADERS|BODY)_TIMEOUT$|^ETIMEDOUT$/)
  ) {
    return { kind: 'timeout', message: 'no complete answer within the timeout' };
  }
  if (has(/^ECONNREFUSED$/)) return { kind: 'refused', message: 'connection refused' };
  if (has(/^(ENOTFOUND|EAI_AGAIN|EAI_NONAME|EAI_FAIL)$/))
    return { kind: 'dns', message: `host not found (${message})` };
  if (has(TLS_CODES)) return { kind: 'tls', message: `TLS failure (${message})` };
  if (has(/^(ECONNRESET|EPIPE|UND_ERR_SOCKET|ECONNABORTED|UND_ERR_CLOSED)$/)) {
    return { kind: 'reset', message: `connection closed before a complete answer (${message})` };
  }
  if (has(/^HPE_|^UND_ERR_(RES_CONTENT_LENGTH_MISMATCH|INVALID_ARG|RESPONSE)/)) {
    return { kind: 'protocol', message: `invalid HTTP answer (${message})` };
  }
  return { kind: 'other', message };
}
