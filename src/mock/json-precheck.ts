/**
 * Malformed JSON bodies, answered the way Prism answers any other invalid request.
 *
 * Prism's HTTP server (prism-http-server/dist/server.js, `parseRequestBody`) parses a JSON body with micri's
 * `json()` before Prism sees the request, so a body that is not JSON never reaches Prism: micri answers
 * 400 `{"error":{"code":"invalid_json",…}}`, which is no vendor's error shape.
 *
 * Design: Prism's own `createServer` stays (CORS, Prefer, sl-violations, problem+json errors remain Prism's), with
 * a pre-check in front of its request listener. For a JSON-typed body sent to an operation that documents an
 * invalid-request response (422, 400, 4XX or default: what Prism's negotiator looks for), the pre-check reads the
 * body. Valid JSON (or a body it cannot judge) is handed to Prism unchanged, on a stream that replays the bytes.
 * Malformed JSON is handed to Prism as the same request with an empty body, and marked; this module's
 * `validateInput` component (Prism's factory takes it, prism-http/dist/index.js `createInstance`) then reports
 * the syntax error as an `invalid_json` body violation in place of the body checks, and keeps every other check
 * (media type, headers, query). Prism then picks the answer itself — security first (401), then 415, 422, 400,
 * default; the first example unless `Prefer` asks otherwise (prism-http/dist/mocker/index.js
 * `createInvalidInputResponse`) — so the response cannot drift from Prism's choice for any other invalid body.
 *
 * Why not write the server around `prism.request` instead: that would copy Prism's handler (CORS, preflight,
 * Prefer parsing, violation header, --errors, problem+json) and drift from it on every Prism upgrade. The price
 * here is reaching micri's http.Server, which `createServer` does not expose: `captureHttpServer` swaps
 * `http.createServer` for the one synchronous `createServer` call (micri's `serve` calls it at that moment) and
 * fails loudly if that ever stops producing exactly one server.
 */
// First: takes faker's place before Prism loads it (see english-faker.ts).
import './english-faker.js';
import http, { type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import { PassThrough } from 'node:stream';
import type { PrismHttpComponents } from '@stoplight/prism-http';
import { validateInput as prismValidateInput } from '@stoplight/prism-http/dist/validator/index.js';
import type { HttpOperation } from './mounts.js';

/** Prism's body limit (prism-http-server/dist/server.js: `json(request, { limit: '10mb' })`, 10 × 1024²). */
const BODY_LIMIT = 10 * 1024 * 1024;

/** The violation code Prism's server puts in `sl-violations` for a body that is not JSON. */
const INVALID_JSON_CODE = 'invalid_json';

/**
 * Whether Prism's negotiator finds a response for an invalid request of this operation: 422, then 400, then a
 * `4XX` range, then `default` (prism-http/dist/mocker/negotiator: `findResponse`, `findResponseByStatusCode`,
 * `findDefaultResponse`, matched as they match codes). Without one, Prism would invent a 422 problem+json.
 */
export function documentsInvalidRequest(op: Pick<HttpOperation, 'responses'>): boolean {
  return op.responses.some((r) => {
    const code = r.code.toLowerCase();
    return code === '422' || code === '400' || r.code === '4XX' || r.code === 'default';
  });
}

type ValidateInput = PrismHttpComponents['validateInput'];
type Headers = NonNullable<Parameters<ValidateInput>[0]['element']['headers']>;

/** What the pre-check learnt about a malformed body, keyed by the headers object of the request it forwards. */
interface SyntaxMark {
  /** The request's real headers (the forwarded request says `content-length: 0`). */
  readonly headers: Headers;
  readonly message: string;
}

/** The pre-check and the Prism component that reports what it found. */
export interface JsonPrecheck {
  /** Prism's `validateInput` plus the syntax errors the pre-check found: pass it in createServer's components. */
  readonly validateInput: ValidateInput;
  /** Puts the pre-check in front of the request listener of Prism's http.Server. */
  install(server: http.Server): void;
}

const operationKey = (method: string, path: string): string => `${method.toLowerCase()} ${path}`;

/**
 * Whether Prism would parse the body as JSON: a body is present (Prism's `parseRequestBody`) and the media type
 * is one type-is matches with `['application/json', 'application/*+json']`.
 */
function hasJsonBody(req: IncomingMessage): boolean {
  const length = req.headers['content-length'];
  if (length === '0' || (req.headers['transfer-encoding'] === undefined && length === undefined))
    return false;
  const mediaType = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  return /^application\/(?:json|[^\s/]+\+json)$/.test(mediaType);
}

/**
 * The text micri's `text()` would make of the body, or undefined for a charset this module does not judge (the
 * body then goes to Prism as it came). micri decodes with the content type's charset (raw-body + iconv-lite,
 * which drops a BOM) and without one calls Buffer#toString (which keeps it).
 */
function bodyText(req: IncomingMessage, body: Buffer): string | undefined {
  const charset = /;\s*charset\s*=\s*"?([^";\s]+)/i.exec(req.headers['content-type'] ?? '')?.[1];
  if (charset === undefined) return body.toString('utf8');
  return /^utf-?8$/i.test(charset) ? new TextDecoder('utf-8').decode(body) : undefined;
}

/**
 * V8's JSON.parse messages quote the body (`Unexpected token '…', "…" is not valid JSON`), and the message goes
 * into the sl-violations header, where Node refuses anything but printable latin-1: Prism's server then throws
 * inside its response pipeline and the process dies of an unhandled rejection. Escape all but printable ASCII.
 */
function headerSafe(message: string): string {
  return message.replace(/[^\x20-\x7e]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * RFC 9110 media type: token "/" token, then `; name=value` parameters (the grammar of the content-type
 * package, without the vertical tab it also allows in quoted values).
 */
const MEDIA_TYPE = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+\/[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const PARAMETERS =
  /^(?: *; *[!#$%&'*+.^_`|~0-9A-Za-z-]+ *= *(?:"(?:[\u0020\u0021\u0023-\u005b\u005d-\u007e\u0080-\u00ff]|\\[\u0020-\u00ff])*"|[!#$%&'*+.^_`|~0-9A-Za-z-]+) *)*$/;

/**
 * Whether Prism can parse the Content-Type: its validator calls the content-type package's `parse`, which
 * throws on a malformed media type, and Prism then answers 500 (found by src/e2e/fuzz.test.ts).
 */
export function parsableMediaType(header: string | undefined): boolean {
  if (header === undefined) return true;
  const semicolon = header.indexOf(';');
  const type = (semicolon === -1 ? header : header.slice(0, semicolon)).trim();
  return MEDIA_TYPE.test(type) && PARAMETERS.test(semicolon === -1 ? '' : header.slice(semicolon));
}

/** A 415 for a Content-Type that is not a media type, in Prism's problem+json shape, with sl-violations. */
function refuseMediaType(req: IncomingMessage, res: ServerResponse): void {
  const detail = 'The Content-Type header is not a valid media type (type/subtype; parameters)';
  const violations = [
    { location: ['request', 'header', 'content-type'], severity: 'Error', code: 415, message: detail },
  ];
  req.resume();
  res.writeHead(415, {
    'content-type': 'application/problem+json',
    'access-control-allow-origin': '*',
    'sl-violations': JSON.stringify(violations),
  });
  res.end(
    JSON.stringify({
      type: 'https://stoplight.io/prism/errors#INVALID_CONTENT_TYPE',
      title: 'Invalid content type',
      status: 415,
      detail,
    }),
  );
}

type BodyRead =
  | { readonly kind: 'complete'; readonly body: Buffer }
  | { readonly kind: 'too-large'; readonly chunks: readonly Buffer[] }
  | { readonly kind: 'aborted' };

/** Reads the body up to just past BODY_LIMIT; past it, the rest stays unread (micri answers 413 anyway). */
function readBody(req: IncomingMessage): Promise<BodyRead> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const finish = (read: BodyRead) => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onAbort);
      req.off('close', onAbort);
      resolve(read);
    };
    const onData = (chunk: Buffer) => {
      chunks.push(chunk);
      size += chunk.length;
      if (size > BODY_LIMIT) {
        req.pause();
        finish({ kind: 'too-large', chunks });
      }
    };
    const onEnd = () => finish({ kind: 'complete', body: Buffer.concat(chunks) });
    const onAbort = () => finish({ kind: 'aborted' });
    req.on('data', onData);
    req.once('end', onEnd);
    req.once('error', onAbort);
    req.once('close', onAbort);
  });
}

/**
 * The request as Prism's listener reads it (method, url, headers and a body stream: micri's body reader is
 * raw-body, which only needs a readable stream), with `body` as its bytes.
 */
function replay(
  req: IncomingMessage,
  headers: IncomingHttpHeaders,
  body: readonly Buffer[],
): IncomingMessage {
  const stream = new PassThrough();
  for (const chunk of body) stream.write(chunk);
  stream.end();
  return Object.assign(stream, {
    headers,
    method: req.method,
    url: req.url,
    httpVersion: req.httpVersion,
    socket: req.socket,
  }) as unknown as IncomingMessage;
}

/** The pre-check for these (mounted) operations; only those documenting an invalid-request response qualify. */
export function createJsonPrecheck(operations: readonly HttpOperation[]): JsonPrecheck {
  const checked = new Set(
    operations.filter(documentsInvalidRequest).map((op) => operationKey(op.method, op.path)),
  );
  const marks = new WeakMap<object, SyntaxMark>();

  const validateInput: ValidateInput = (opts) => {
    const headers = opts.element.headers;
    const mark = headers === undefined ? undefined : marks.get(headers);
    if (mark === undefined) return prismValidateInput(opts);
    // Every check but the body's, on the real headers; a stand-in body gets past "Body parameter is required"
    // so the media-type check still runs, and the body diagnostics it draws are replaced by the syntax error.
    const others = prismValidateInput({
      resource: opts.resource,
      element: { ...opts.element, headers: mark.headers, body: {} },
    });
    const kept = others._tag === 'Left' ? others.left.filter((d) => d.path?.[0] !== 'body') : [];
    return {
      _tag: 'Left',
      left: [
        {
          path: ['body'],
          code: INVALID_JSON_CODE,
          severity: 0, // DiagnosticSeverity.Error of @stoplight/types
          message: `Request body is not valid JSON: ${mark.message}`,
        },
        ...kept,
      ],
    };
  };

  async function precheck(
    req: IncomingMessage,
    res: ServerResponse,
    prismListener: (req: IncomingMessage, res: ServerResponse) => void,
  ): Promise<void> {
    if (!parsableMediaType(req.headers['content-type'])) {
      refuseMediaType(req, res);
      return;
    }
    const { pathname } = new URL(req.url ?? '/', 'http://example.com');
    const declaredLength = Number(req.headers['content-length'] ?? 0);
    if (
      !checked.has(operationKey(req.method ?? 'GET', pathname)) ||
      !hasJsonBody(req) ||
      declaredLength > BODY_LIMIT
    ) {
      prismListener(req, res);
      return;
    }
    const read = await readBody(req);
    if (read.kind === 'aborted') {
      res.destroy();
      return;
    }
    if (read.kind === 'too-large') {
      prismListener(replay(req, req.headers, read.chunks), res);
      return;
    }
    const text = bodyText(req, read.body);
    let syntaxError: string | undefined;
    if (text !== undefined) {
      try {
        JSON.parse(text);
      } catch (error) {
        syntaxError = headerSafe(error instanceof Error ? error.message : String(error));
      }
    }
    if (syntaxError === undefined) {
      prismListener(replay(req, req.headers, [read.body]), res);
      return;
    }
    const { 'transfer-encoding': _chunked, ...rest } = req.headers;
    const headers: IncomingHttpHeaders = { ...rest, 'content-length': '0' };
    marks.set(headers, { headers: req.headers as Headers, message: syntaxError });
    prismListener(replay(req, headers, []), res);
  }

  return {
    validateInput,
    install(server) {
      const listeners = server.listeners('request');
      const prismListener = listeners[0] as ((req: IncomingMessage, res: ServerResponse) => void) | undefined;
      if (listeners.length !== 1 || prismListener === undefined) {
        throw new Error(
          `memconform mock: expected one request listener on Prism's server, found ${listeners.length}`,
        );
      }
      server.removeListener('request', prismListener);
      server.on('request', (req: IncomingMessage, res: ServerResponse) => {
        precheck(req, res, prismListener).catch(() => {
          // Nothing in the pre-check is expected to throw; never leave the client hanging if it does.
          if (!res.headersSent) res.writeHead(500).end();
          else res.destroy();
        });
      });
    },
  };
}

/**
 * Runs `build` (Prism's `createServer`) and returns what it built with the one http.Server it created:
 * prism-http-server keeps micri's server private, and the pre-check must sit in front of its listener.
 */
export function captureHttpServer<T>(build: () => T): { built: T; server: http.Server } {
  const original = http.createServer;
  const created: http.Server[] = [];
  http.createServer = ((...args: unknown[]) => {
    const server = Reflect.apply(original, http, args) as http.Server;
    created.push(server);
    return server;
  }) as typeof http.createServer;
  let built: T;
  try {
    built = build();
  } finally {
    http.createServer = original;
  }
  const [server] = created;
  if (created.length !== 1 || server === undefined) {
    throw new Error(
      `memconform mock: expected Prism to create one http server, it created ${created.length}`,
    );
  }
  return { built, server };
}
