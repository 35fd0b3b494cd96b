import { Agent, type Dispatcher, request } from 'undici';
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

/** Creates the run's client: one undici Agent shared by all requests, closed by `close()`. */
export function createHttpClient(options: HttpClientOptions): HttpClient {
  const agent = new Agent({
    connectTimeout: options.timeoutMs,
    headersTimeout: options.timeoutMs,
    bodyTimeout: options.timeoutMs,
    // Targets may be on the same host as other runs; do not keep sockets around for long.
    keepAliveTimeout: 1_000,
  });
  return {
    send: (outgoing, signal) => send(agent, options, outgoing, signal),
    close: async () => {
      await agent.close().catch(() => agent.destroy());
    },
  };
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
  agent: Agent,
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
  // One signal for the whole exchange: undici's own timeouts are per phase, so a server that dribbles one
  // byte per second would never trip them.
  const timeout = AbortSignal.timeout(options.timeoutMs);
  const signal = stop ? AbortSignal.any([timeout, stop]) : timeout;
  try {
    const response = await request(outgoing.url, {
      method: outgoing.method as Dispatcher.HttpMethod,
      headers,
      ...(outgoing.body === undefined ? {} : { body: outgoing.body }),
      dispatcher: agent,
      signal,
    });
    const read = await readBody(response.body, options.maxBodyBytes);
    const { bytes, truncated } = read;
    // A target that echoes the credential back must not get it into reports: redact it from answers too.
    const text = redactText(read.text, secrets);
    const responseHeaders: Record<string, string> = {};
    for (const [name, value] of Object.entries(response.headers)) {
      if (value === undefined) continue;
      responseHeaders[name.toLowerCase()] = redactText(
        Array.isArray(value) ? value.join(', ') : value,
        secrets,
      );
    }
    const recordedResponse: ExchangeResponse = {
      status: response.statusCode,
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
  body: AsyncIterable<Buffer> & { destroy?: (error?: Error) => void },
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
      body.destroy?.();
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

/** Maps an undici / Node error to a transport failure kind. */
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
