/**
 * Small real HTTP servers for end-to-end tests of the protocol and schema checks: a Mem0-like server that
 * keeps the contract of specs/mem0.openapi.yaml unless told to break one rule, and a bare server for
 * one-off answers. They listen on 127.0.0.1, port 0.
 */

import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isRecord } from '../json.js';

/** A request as a handler sees it: body read, JSON parsed when it is JSON. */
export interface ReceivedRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingMessage['headers'];
  readonly body: string;
  /** The parsed body, or undefined when it is empty or not JSON. */
  readonly json?: unknown;
}

/** Answers one request; it may also destroy the socket (`res.socket?.destroy()`) or never answer. */
export type Handler = (request: ReceivedRequest, res: ServerResponse) => void;

/** A running server. */
export interface RunningServer {
  readonly url: string;
  close(): Promise<void>;
}

/** Starts `handler` on 127.0.0.1 on a free port. */
export async function startServer(handler: Handler): Promise<RunningServer> {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      let json: unknown;
      try {
        json = body === '' ? undefined : JSON.parse(body);
      } catch {
        json = undefined;
      }
      handler({ method: req.method ?? 'GET', path: req.url ?? '/', headers: req.headers, body, json }, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Sends `body` as JSON (or as given text when `body` is a string and `raw` is set). */
export function send(
  res: ServerResponse,
  status: number,
  body: unknown,
  options: { contentType?: string; raw?: boolean; headers?: Record<string, string> } = {},
): void {
  const text = options.raw && typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, { 'content-type': options.contentType ?? 'application/json', ...options.headers });
  res.end(text);
}

/** The token the runner sends for `auth: valid` in these tests (the reference default, DEFAULT_REFERENCE_TOKEN). */
export const TEST_TOKEN = 'mc-reference-token';

/** One rule the Mem0-like server can be told to break. */
export type Mem0Break =
  | 'reset-search'
  | 'hang-search'
  | 'status-418'
  | 'text-html'
  | 'unparseable-json'
  | 'numeric-created-at'
  | 'accept-invalid'
  | 'crash-on-bad-json'
  | 'no-auth'
  | 'missing-auth-400'
  | 'reject-valid';

const MEMORIES = [
  { memory: 'Is a vegetarian', user_id: 'alex', score: 0.61 },
  { memory: 'Loves Thai food', user_id: 'alex', score: 0.52 },
  { memory: 'Allergic to peanuts', user_id: 'alex', score: 0.44 },
  { memory: 'Prefers window seats', user_id: 'priya', score: 0.4 },
].map((m, i) => ({
  id: `00000000-0000-4000-8000-00000000000${i}`,
  ...m,
  hash: createHash('md5').update(m.memory).digest('hex'),
  created_at: '2025-03-02T09:14:22.481203-08:00',
  updated_at: '2025-03-02T09:14:22.481223-08:00',
}));

/**
 * A Mem0 v1 search + ping server that follows specs/mem0.openapi.yaml (400 bodies in the two forms the spec
 * accepts, `{message}` and DRF field errors; 401 for a missing or unknown key) except for the one rule
 * `broken` names.
 */
export function mem0Handler(broken?: Mem0Break): Handler {
  return (request, res) => {
    const auth = request.headers.authorization;
    if (broken !== 'no-auth' && auth !== `Token ${TEST_TOKEN}`) {
      if (auth === undefined && broken === 'missing-auth-400') return send(res, 400, { detail: 'no key' });
      return send(res, 401, { detail: 'Invalid API key.' });
    }
    if (request.method === 'GET' && request.path === '/v1/ping/') {
      return send(res, 200, {
        status: 'ok',
        org_id: 'org_1',
        project_id: 'proj_1',
        user_email: 'a@example.com',
      });
    }
    if (request.method !== 'POST' || request.path !== '/v1/memories/search/') {
      return send(res, 404, { detail: 'Not found.' });
    }
    if (broken === 'reset-search') return void res.socket?.destroy();
    if (broken === 'hang-search') return; // never answers: the runner's timeout ends the request
    if (broken === 'status-418') return send(res, 418, { detail: "I'm a teapot" });
    if (broken === 'text-html')
      return send(res, 200, '<html><body>[]</body></html>', { raw: true, contentType: 'text/html' });
    if (broken === 'unparseable-json') return send(res, 200, '[{"id": ', { raw: true });
    if (broken === 'reject-valid') return send(res, 400, { detail: 'Try again later.' });
    const contentType = request.headers['content-type'] ?? '';
    if (request.json === undefined && request.body !== '' && contentType.startsWith('application/json')) {
      if (broken === 'crash-on-bad-json') return send(res, 500, { detail: 'A server error occurred.' });
      return send(res, 400, { message: 'JSON parse error' });
    }
    const body = request.json;
    // DRF's parsers take JSON, forms and multipart; anything else is 415 (Z-OAS, Z-ISS3955 in docs/sources.md).
    if (!contentType.startsWith('application/json') && broken !== 'accept-invalid')
      return send(res, 415, { detail: `Unsupported media type "${contentType}" in request.` });
    const problem =
      !isRecord(body) || typeof body.query !== 'string' || body.query === ''
        ? { query: ['This field may not be blank.'] }
        : !['user_id', 'agent_id', 'app_id', 'run_id'].some((k) => typeof body[k] === 'string')
          ? { message: 'At least one of the filters: agent_id, user_id, app_id, run_id is required!' }
          : body.top_k !== undefined && !Number.isInteger(body.top_k)
            ? { top_k: ['A valid integer is required.'] }
            : undefined;
    if (problem && broken !== 'accept-invalid') return send(res, 400, problem);
    const user = isRecord(body) ? body.user_id : undefined;
    const items = MEMORIES.filter((m) => m.user_id === user).map((m) =>
      broken === 'numeric-created-at' ? { ...m, created_at: 1741972882481 } : m,
    );
    return send(res, 200, items);
  };
}
