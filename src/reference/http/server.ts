import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { FaultSwitches } from '../faults.js';
import { authenticate } from './auth.js';
import { CORS_HEADERS, preflightHeaders } from './cors.js';
import { isJsonContentType, readBody } from './request-body.js';
import type { ApiDialect, Reply, Route } from './types.js';

/** Settings of the HTTP layer. */
export interface HttpServerOptions {
  readonly routes: readonly Route[];
  /** Picks the error wording for a path no route serves (so 404s look like the vendor's). */
  readonly dialectForPath: (path: string) => ApiDialect;
  readonly tokens: ReadonlySet<string>;
  readonly faults: FaultSwitches;
  readonly bodyLimitBytes: number;
}

/**
 * A node:http server that routes by exact path, applies CORS, authentication, the JSON-only body rules and
 * the size limit, then hands the parsed body to the route. It never logs requests (so never their
 * Authorization header) and never sends a stack trace: an unexpected throw becomes the vendor's 500 body.
 */
export function createHttpServer(options: HttpServerOptions): Server {
  const server = createServer((request, response) => {
    dispatch(request, response, options).catch(() => {
      if (!response.headersSent) {
        const dialect = options.dialectForPath(pathOf(request));
        send(response, dialect.internalError(), options.faults);
      } else response.destroy();
    });
  });
  // Keep idle sockets short-lived so close() is prompt and a stalled client cannot hold a request open.
  server.keepAliveTimeout = 2_000;
  server.requestTimeout = 30_000;
  server.headersTimeout = 10_000;
  return server;
}

async function dispatch(request: IncomingMessage, response: ServerResponse, options: HttpServerOptions) {
  const { faults } = options;
  const { path, query } = urlOf(request);
  const all = options.routes.flatMap((route) => {
    const params = matchPath(route.path, path);
    return params === undefined ? [] : [{ route, params }];
  });
  // A literal path shadows a `{param}` one, as in Django's URL resolver: /v1/memories/search/ is the search
  // route for every method, never the memory whose id is "search".
  const exact = all.filter((match) => match.route.path === path);
  const matches = exact.length > 0 ? exact : all;
  const candidates = matches.map((match) => match.route);
  const dialect = candidates[0]?.dialect ?? options.dialectForPath(path);
  const method = request.method ?? 'GET';

  if (candidates.length === 0) return send(response, dialect.notFound(path), faults);
  const allowed = candidates.map((route) => route.method);
  if (method === 'OPTIONS') {
    response.writeHead(204, preflightHeaders(allowed)).end();
    return;
  }
  const matched = matches.find((candidate) => candidate.route.method === method);
  if (matched === undefined) return send(response, dialect.methodNotAllowed(method, allowed), faults);
  const { route, params } = matched;

  // Credentials first, as DRF and an auth middleware in front of FastAPI do: a bad key never reaches parsing.
  const auth = authenticate(request, route.auth, options.tokens);
  if (!auth.ok && !faults.on('no-auth'))
    return send(response, dialect.unauthorized(auth.reason, faults), faults);
  const token = auth.ok ? auth.token : undefined;

  let body: unknown;
  if (route.method === 'POST') {
    const contentType = request.headers['content-type'];
    if (!isJsonContentType(contentType)) {
      return send(response, dialect.unsupportedMediaType(contentType ?? ''), faults);
    }
    const read = await readBody(request, options.bodyLimitBytes);
    if (read.kind === 'too-large')
      return send(response, dialect.payloadTooLarge(options.bodyLimitBytes), faults);
    if (read.text.trim() === '') body = {};
    else {
      try {
        body = JSON.parse(read.text);
      } catch (error) {
        if (faults.on('crash-on-bad-json')) throw error;
        return send(response, dialect.malformedJson((error as Error).message), faults);
      }
    }
  }

  const reply = route.handle({ body, token, faults, params, query });
  if (reply.status === 200 && faults.on('drop-connection')) {
    request.socket.destroy();
    return;
  }
  const status = reply.status === 200 && faults.on('undocumented-status') ? 202 : reply.status;
  send(response, { ...reply, status }, faults);
}

function send(response: ServerResponse, reply: Reply, faults: FaultSwitches): void {
  if (reply.body === undefined) {
    response.writeHead(reply.status, { ...CORS_HEADERS, ...reply.headers }).end();
    return;
  }
  const payload = JSON.stringify(reply.body);
  const contentType = faults.on('text-content-type') ? 'text/plain; charset=utf-8' : 'application/json';
  response.writeHead(reply.status, {
    ...CORS_HEADERS,
    ...reply.headers,
    'Content-Type': contentType,
    'Content-Length': String(Buffer.byteLength(payload)),
  });
  response.end(payload);
}

function pathOf(request: IncomingMessage): string {
  return urlOf(request).path;
}

function urlOf(request: IncomingMessage): { path: string; query: URLSearchParams } {
  try {
    const url = new URL(request.url ?? '/', 'http://reference.invalid');
    return { path: url.pathname, query: url.searchParams };
  } catch {
    return { path: '/', query: new URLSearchParams() };
  }
}

/** The `{name}` values when `path` fits the route's pattern, else undefined. */
function matchPath(pattern: string, path: string): Record<string, string> | undefined {
  if (!pattern.includes('{')) return pattern === path ? {} : undefined;
  const want = pattern.split('/');
  const have = path.split('/');
  if (want.length !== have.length) return undefined;
  const params: Record<string, string> = {};
  for (const [index, part] of want.entries()) {
    const actual = have[index] as string;
    const name = /^\{(\w+)\}$/.exec(part)?.[1];
    if (name === undefined) {
      if (part !== actual) return undefined;
    } else if (actual === '') return undefined;
    else {
      try {
        params[name] = decodeURIComponent(actual);
      } catch {
        return undefined; // a malformed %-escape names no resource
      }
    }
  }
  return params;
}
