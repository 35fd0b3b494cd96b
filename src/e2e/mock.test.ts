/**
 * The Prism mock over real HTTP on 127.0.0.1: each API and flavour at its vendor's base path, the curated
 * examples, Prefer selection, the spec's own error bodies for bad requests (malformed JSON too), CORS, dynamic mode
 * and shutdown; then `memconform run` against the mock (schema checks must pass, behaviour findings must be
 * reported).
 */

import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiName } from '../apis.js';
import { formatMockBanner, parseMockArgs } from '../commands/mock.js';
import { MemconformError, UsageError } from '../errors.js';
import { PLACEHOLDER_TOKEN } from '../mock/curl.js';
import { formatRequestLine, type MockRequestRecord } from '../mock/request-log.js';
import { type RunningMock, startMock } from '../mock/server.js';
import { packageRoot } from '../package.js';
import { readSpecDocument, type SpecDocument } from '../spec/document.js';
import { ensureBuilt, runCli } from '../testing/built-cli.js';

type Json = Record<string, unknown>;

/** Follows a local `$ref` (the specs use them for shared responses). */
function deref(doc: SpecDocument, node: unknown): Json {
  let current = node as Json;
  while (typeof current.$ref === 'string') {
    current = current.$ref
      .slice(2)
      .split('/')
      .reduce<unknown>((at, key) => (at as Json)[key], doc) as Json;
  }
  return current;
}

/** The named examples of an operation's request body or of one of its responses, in document order. */
function examplesOf(doc: SpecDocument, path: string, method: string, status?: string): [string, unknown][] {
  const op = ((doc.paths as Json)[path] as Json)[method] as Json;
  const holder =
    status === undefined ? deref(doc, op.requestBody) : deref(doc, (op.responses as Json)[status]);
  const examples = ((holder.content as Json)['application/json'] as Json).examples as Json;
  return Object.entries(examples).map(([name, example]) => [name, deref(doc, example).value]);
}

interface Case {
  readonly name: string;
  readonly api: ApiName;
  readonly flavour: 'hosted' | 'self-hosted';
  readonly basePath: string;
  readonly path: string;
  readonly credential?: string;
  /** Status the spec gives for an invalid body. */
  readonly invalidStatus: string;
}

const CASES: readonly Case[] = [
  {
    name: 'memos',
    api: 'memos',
    flavour: 'hosted',
    basePath: '/api/openmem/v1',
    path: '/search/memory',
    credential: 'Token test-key',
    invalidStatus: '400',
  },
  {
    name: 'mem0',
    api: 'mem0',
    flavour: 'hosted',
    basePath: '',
    path: '/v1/memories/search/',
    credential: 'Token test-key',
    invalidStatus: '400',
  },
  {
    name: 'memmachine hosted',
    api: 'memmachine',
    flavour: 'hosted',
    basePath: '',
    path: '/v2/memories/search',
    credential: 'Bearer test-key',
    invalidStatus: '422',
  },
  {
    name: 'memmachine self-hosted',
    api: 'memmachine',
    flavour: 'self-hosted',
    basePath: '/api',
    path: '/v2/memories/search',
    invalidStatus: '422',
  },
];

async function post(
  url: string,
  body: unknown,
  headers: Record<string, string | undefined>,
): Promise<{ status: number; headers: Headers; json: unknown }> {
  const sent: Record<string, string> = { 'content-type': 'application/json' };
  for (const [name, value] of Object.entries(headers)) if (value !== undefined) sent[name] = value;
  const response = await fetch(url, {
    method: 'POST',
    headers: sent,
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    json: text === '' ? undefined : JSON.parse(text),
  };
}

const auth = (credential: string | undefined): Record<string, string> =>
  credential === undefined ? {} : { authorization: credential };

function violationsOf(headers: Headers): { code: string | number; message: string }[] {
  const header = headers.get('sl-violations');
  expect(header, 'sl-violations header').not.toBeNull();
  return JSON.parse(header as string);
}

describe.each(CASES)('mock: $name', (c) => {
  let mock: RunningMock;
  let doc: SpecDocument;
  let url: string;
  const records: MockRequestRecord[] = [];

  beforeAll(async () => {
    doc = readSpecDocument(c.api, packageRoot());
    mock = await startMock({
      apis: [c.api],
      host: '127.0.0.1',
      port: 0,
      flavour: c.flavour,
      onRequest: (r) => records.push(r),
    });
    url = `${mock.url}${c.basePath}${c.path}`;
  });
  afterAll(() => mock.close());

  const goodBody = () => examplesOf(doc, c.path, 'post')[0]?.[1];

  it('mounts the flavour at the vendor base path and prints a curl line without a real token', () => {
    const endpoint = mock.endpoints.find((e) => e.api === c.api && e.flavour === c.flavour);
    expect(endpoint?.baseUrl).toBe(`${mock.url}${c.basePath}`);
    expect(endpoint?.auth).toBe(c.credential === undefined ? 'none' : 'required');
    const op = endpoint?.operations.find((o) => o.url === url);
    expect(op?.curl).toContain(`'${url}'`);
    if (c.credential === undefined) expect(op?.curl).not.toContain('Authorization');
    else expect(op?.curl).toContain(`Authorization: ${c.credential.split(' ')[0]} ${PLACEHOLDER_TOKEN}`);
    expect(formatMockBanner(mock)).toContain(op?.curl);
  });

  it('serves the first 200 example for a valid request', async () => {
    const res = await post(url, goodBody(), { authorization: c.credential });
    expect(res.status).toBe(200);
    expect(res.headers.get('sl-violations')).toBeNull();
    expect(res.json).toEqual(examplesOf(doc, c.path, 'post', '200')[0]?.[1]);
  });

  it('selects another example with Prefer: example=NAME', async () => {
    const [name, value] = examplesOf(doc, c.path, 'post', '200')[1] ?? [];
    expect(name).toBeDefined();
    const res = await post(url, goodBody(), { authorization: c.credential, prefer: `example=${name}` });
    expect(res.status).toBe(200);
    expect(res.json).toEqual(value);
  });

  it('selects a status with Prefer: code=', async () => {
    const status = c.credential === undefined ? '404' : '401';
    const expected = examplesOf(doc, c.path, 'post', status)[0]?.[1];
    const res = await post(url, goodBody(), { authorization: c.credential, prefer: `code=${status}` });
    expect(res.status).toBe(Number(status));
    expect(res.json).toEqual(expected);
  });

  it("enforces the flavour's auth: 401 with the spec body without a credential, or none needed", async () => {
    const res = await post(url, goodBody(), {});
    if (c.credential === undefined) {
      expect(res.status).toBe(200);
      return;
    }
    expect(res.status).toBe(401);
    expect(res.json).toEqual(examplesOf(doc, c.path, 'post', '401')[0]?.[1]);
    expect(violationsOf(res.headers).map((v) => v.code)).toContain(401);
  });

  it('rejects a body without query with the spec status and error shape, naming the violation', async () => {
    const { query: _omitted, ...withoutQuery } = goodBody() as Json;
    const res = await post(url, withoutQuery, { authorization: c.credential });
    expect(res.status).toBe(Number(c.invalidStatus));
    expect(res.json).toEqual(examplesOf(doc, c.path, 'post', c.invalidStatus)[0]?.[1]);
    expect(violationsOf(res.headers).map((v) => v.message)).toContain(
      "Request body must have required property 'query'",
    );
    const line = formatRequestLine(records.at(-1) as MockRequestRecord);
    expect(line).toContain(`POST ${c.basePath}${c.path} -> ${c.invalidStatus}`);
    expect(line).toContain("request.body: Request body must have required property 'query'");
  });

  it('answers malformed JSON like any invalid body: spec status and first example, sl-violations, CORS, log line', async () => {
    const origin = 'http://localhost:5173';
    const res = await post(url, '{"query": "food", "user_id": "alex"', {
      authorization: c.credential,
      origin,
    });
    expect(res.status).toBe(Number(c.invalidStatus));
    expect(res.json).toEqual(examplesOf(doc, c.path, 'post', c.invalidStatus)[0]?.[1]);
    expect(violationsOf(res.headers)).toContainEqual({
      location: ['request', 'body'],
      severity: 'Error',
      code: 'invalid_json',
      message: expect.stringMatching(/^Request body is not valid JSON: \S/),
    });
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(res.headers.get('access-control-allow-credentials')).toBeNull();
    expect(res.headers.get('access-control-expose-headers')).toBe('*');
    const line = formatRequestLine(records.at(-1) as MockRequestRecord);
    expect(line).toContain(`POST ${c.basePath}${c.path} -> ${c.invalidStatus}`);
    expect(line).toContain('request.body: Request body is not valid JSON: ');
  });

  it('checks credentials before the JSON syntax, as Prism does for any invalid body', async () => {
    const res = await post(url, '{"query": ', {});
    const status = c.credential === undefined ? c.invalidStatus : '401';
    expect(res.status).toBe(Number(status));
    expect(res.json).toEqual(examplesOf(doc, c.path, 'post', status)[0]?.[1]);
    expect(violationsOf(res.headers).map((v) => v.code)).toContain('invalid_json');
  });

  it('hands a chunked body to Prism intact, and checks its syntax too', async () => {
    const chunked = (text: string) =>
      fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json; charset=utf-8', ...auth(c.credential) },
        // A stream body has no length, so it goes out with Transfer-Encoding: chunked, in two chunks.
        body: new ReadableStream({
          start(controller) {
            const bytes = new TextEncoder().encode(text);
            controller.enqueue(bytes.slice(0, 5));
            controller.enqueue(bytes.slice(5));
            controller.close();
          },
        }),
        duplex: 'half',
      } as RequestInit);
    const good = await chunked(JSON.stringify(goodBody()));
    expect(good.status).toBe(200);
    expect(await good.json()).toEqual(examplesOf(doc, c.path, 'post', '200')[0]?.[1]);
    const bad = await chunked(`${JSON.stringify(goodBody())}}`);
    expect(bad.status).toBe(Number(c.invalidStatus));
    expect(violationsOf(bad.headers).map((v) => v.code)).toContain('invalid_json');
  });

  it('answers 415, not 500, for a Content-Type that is not a media type', async () => {
    for (const contentType of ['o1(Wd', 'application/json; charset', 'text/']) {
      const res = await post(url, '{}', { authorization: c.credential, 'content-type': contentType });
      expect(res.status, contentType).toBe(415);
      expect(violationsOf(res.headers).map((v) => v.code)).toContain(415);
    }
  });

  it('rejects a wrong content type and says so in sl-violations', async () => {
    const res = await post(url, 'query=hello', { authorization: c.credential, 'content-type': 'text/plain' });
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    expect(violationsOf(res.headers).map((v) => v.code)).toContain(415);
  });

  it('answers a CORS preflight for a browser app on another origin, without credentials', async () => {
    const res = await fetch(url, {
      method: 'OPTIONS',
      headers: {
        origin: 'http://localhost:5173',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization,content-type',
      },
    });
    expect(res.status).toBe(204);
    // Any page may call the mock, but never with the visitor's credentials (Prism would reflect the origin
    // with Allow-Credentials: true).
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(res.headers.get('access-control-allow-credentials')).toBeNull();
    expect(res.headers.get('access-control-allow-headers')).toBe('authorization,content-type');
    expect(res.headers.get('access-control-allow-methods')).toContain('POST');
  });
});

describe('mock: --cors-origin', () => {
  it('allows credentials for the configured origin only', async () => {
    const frontEnd = 'http://localhost:3000';
    const mock = await startMock({ apis: ['mem0'], port: 0, corsOrigin: frontEnd });
    try {
      const ask = (origin: string) =>
        fetch(`${mock.url}/v1/ping/`, { headers: { authorization: 'Token t', origin } });
      const allowed = await ask(frontEnd);
      expect(allowed.status).toBe(200);
      expect(allowed.headers.get('access-control-allow-origin')).toBe(frontEnd);
      expect(allowed.headers.get('access-control-allow-credentials')).toBe('true');
      expect(allowed.headers.get('vary')).toMatch(/origin/i);
      const other = await ask('https://evil.example');
      expect(other.headers.get('access-control-allow-origin')).toBe('*');
      expect(other.headers.get('access-control-allow-credentials')).toBeNull();
      const preflight = await fetch(`${mock.url}/v1/ping/`, {
        method: 'OPTIONS',
        headers: { origin: frontEnd, 'access-control-request-method': 'GET' },
      });
      expect(preflight.headers.get('access-control-allow-origin')).toBe(frontEnd);
      expect(preflight.headers.get('access-control-allow-credentials')).toBe('true');
    } finally {
      await mock.close();
    }
  });
});

describe('mock: all APIs on one server', () => {
  it('serves every API and flavour on one port, with no path claimed twice', async () => {
    const mock = await startMock({ apis: ['memos', 'mem0', 'memmachine'], port: 0 });
    try {
      expect(mock.endpoints.map((e) => `${e.api}/${e.flavour}${e.baseUrl.slice(mock.url.length)}`)).toEqual([
        'memos/hosted/api/openmem/v1',
        'mem0/hosted',
        'memmachine/hosted',
        'memmachine/self-hosted/api',
      ]);
      const ping = await fetch(`${mock.url}/v1/ping/`, { headers: { authorization: 'Token t' } });
      expect(ping.status).toBe(200);
      expect(((await ping.json()) as Json).status).toBe('ok');
    } finally {
      await mock.close();
    }
  });

  it("leaves a malformed body on an unknown route to Prism's HTTP layer", async () => {
    const mock = await startMock({ apis: ['mem0'], port: 0 });
    try {
      const res = await post(`${mock.url}/v1/nowhere/`, '{"query": ', { authorization: 'Token t' });
      expect(res.status).toBe(400);
      expect(res.json).toMatchObject({ error: { code: 'invalid_json' } });
    } finally {
      await mock.close();
    }
  });

  it('stops listening on close (and close is idempotent)', async () => {
    const mock = await startMock({ apis: ['mem0'], port: 0 });
    await fetch(`${mock.url}/v1/ping/`, { headers: { authorization: 'Token t' } });
    await Promise.all([mock.close(), mock.close()]);
    await expect(fetch(`${mock.url}/v1/ping/`)).rejects.toThrow();
  });

  it('reports a port in use as MC_ERR_MOCK with a hint', async () => {
    const first = await startMock({ apis: ['mem0'], port: 0 });
    try {
      const port = Number(new URL(first.url).port);
      const second = startMock({ apis: ['mem0'], port });
      await expect(second).rejects.toBeInstanceOf(MemconformError);
      await expect(second).rejects.toMatchObject({
        code: 'MC_ERR_MOCK',
        message: expect.stringMatching(/--port/),
      });
    } finally {
      await first.close();
    }
  });
});

describe('mock: dynamic mode', () => {
  let mock: RunningMock;
  beforeAll(async () => {
    mock = await startMock({
      apis: ['memos', 'mem0', 'memmachine'],
      port: 0,
      dynamic: true,
      seed: 'memconform',
    });
  });
  afterAll(() => mock.close());

  const search = (prefer?: string) =>
    post(
      `${mock.url}/v1/memories/search/`,
      { query: 'food', user_id: 'alex' },
      { authorization: 'Token t', prefer },
    );

  it('repeats the same body for the same seed and generates a non-empty list', async () => {
    const [a, b] = [await search(), await search()];
    expect(a.status).toBe(200);
    expect(a.json).toEqual(b.json);
    expect(Array.isArray(a.json) && a.json.length).toBeGreaterThan(0);
  });

  it('generates bodies that satisfy the spec, including its warning-level rules', async () => {
    const targets: [string, unknown, string][] = [
      ['/api/openmem/v1/search/memory', { user_id: 'u', query: 'q' }, 'Token t'],
      ['/api/openmem/v1/get/memory', { user_id: 'u' }, 'Token t'],
      ['/v1/memories/search/', { user_id: 'u', query: 'q' }, 'Token t'],
      ['/v2/memories/search', { query: 'q' }, 'Bearer t'],
    ];
    for (const [path, body, authorization] of targets) {
      for (let seed = 0; seed < 10; seed++) {
        const res = await post(`${mock.url}${path}`, body, { authorization, prefer: `seed=${seed}` });
        expect(res.status, path).toBe(200);
        // Prism validates every response against the (warn-enforced) schema and lists failures here.
        expect(res.headers.get('sl-violations'), `${path} seed ${seed}`).toBeNull();
        if (path === '/v1/memories/search/') {
          for (const memory of res.json as Json[]) {
            expect(memory.score).toBeGreaterThan(0);
            expect(memory.hash).toMatch(/^[0-9a-f]{32}$/);
          }
        }
      }
    }
  });

  it('still answers Prefer: dynamic=true in static mode', async () => {
    const staticMock = await startMock({ apis: ['mem0'], port: 0 });
    try {
      const res = await post(
        `${staticMock.url}/v1/memories/search/`,
        { query: 'food', user_id: 'alex' },
        { authorization: 'Token t', prefer: 'dynamic=true' },
      );
      expect(res.status).toBe(200);
      const first = examplesOf(
        readSpecDocument('mem0', packageRoot()),
        '/v1/memories/search/',
        'post',
        '200',
      )[0]?.[1];
      expect(res.json).not.toEqual(first);
    } finally {
      await staticMock.close();
    }
  });
});

describe('mock command flags', () => {
  it('defaults to every API on 127.0.0.1:4010, static', () => {
    expect(parseMockArgs([])).toEqual({
      apis: ['memos', 'mem0', 'memmachine'],
      host: '127.0.0.1',
      port: 4010,
      dynamic: false,
      help: false,
    });
  });

  it('reads every flag', () => {
    expect(
      parseMockArgs([
        '--api',
        'memmachine',
        '--port',
        '0',
        '--host',
        '0.0.0.0',
        '--dynamic',
        '--seed',
        's',
        '--flavour',
        'self-hosted',
        '--token',
        'k',
      ]),
    ).toEqual({
      apis: ['memmachine'],
      host: '0.0.0.0',
      port: 0,
      dynamic: true,
      seed: 's',
      flavour: 'self-hosted',
      tokens: ['k'],
      help: false,
    });
  });

  it('takes --cors-origin as an origin', () => {
    expect(parseMockArgs(['--cors-origin', 'http://localhost:3000'])).toMatchObject({
      corsOrigin: 'http://localhost:3000',
    });
  });

  it.each([
    [['--api', 'zep']],
    [['--port', '70000']],
    [['--port', 'abc']],
    [['--flavour', 'cloud']],
    [['--api', 'mem0', '--flavour', 'self-hosted']],
    [['--unknown']],
    [['extra']],
    [['--cors-origin', 'localhost:3000']],
    [['--cors-origin', 'http://localhost:3000/app']],
    [['--cors-origin', '*']],
  ])('rejects %j as a usage error', (argv) => {
    expect(() => parseMockArgs(argv)).toThrow(UsageError);
  });
});

const SCHEMA_CHECKS = ['response-schema-conformance', 'content-type-json', 'status-code-documented'];

interface RunReport {
  findings: { checkId: string; caseId: string; severity: string; message: string }[];
  checks: { id: string; status: string }[];
}

// Runs the built CLI as the conventions ask for end-to-end tests (npm test builds before vitest runs).
describe('memconform run against the mock', () => {
  let mock: RunningMock;
  let out: string;
  beforeAll(async () => {
    await ensureBuilt();
    mock = await startMock({ apis: ['memos', 'mem0', 'memmachine'], port: 0 });
    out = mkdtempSync(join(tmpdir(), 'memconform-mock-e2e-'));
  });
  afterAll(async () => {
    await mock.close();
    rmSync(out, { recursive: true, force: true });
  });

  it.each([
    ['memos', 'hosted'],
    ['mem0', 'hosted'],
    ['memmachine', 'hosted'],
    ['memmachine', 'self-hosted'],
  ] as const)('%s (%s): schema checks pass, behaviour findings are reported', async (api, flavour) => {
    const endpoint = mock.endpoints.find((e) => e.api === api && e.flavour === flavour);
    const dir = join(out, `${api}-${flavour}`);
    // Asynchronous (never spawnSync): the mock answering the CLI runs on this process's event loop.
    const result = await runCli(
      ['run', '--target', endpoint?.baseUrl ?? '', '--api', api, '--reporter', 'json', '--out', dir],
      { env: { MEMCONFORM_TOKEN: 'mock-token' } },
    );
    expect([0, 1], result.stderr).toContain(result.code);
    const file = readdirSync(dir).find((f) => f.endsWith('.json'));
    expect(file, `a JSON report in ${dir}`).toBeDefined();
    const report = JSON.parse(readFileSync(join(dir, file as string), 'utf8')) as RunReport;
    // Every case satisfies the schema checks, including the malformed-JSON ones (see src/mock/json-precheck.ts).
    expect(report.findings.filter((f) => SCHEMA_CHECKS.includes(f.checkId))).toEqual([]);
    for (const id of SCHEMA_CHECKS) {
      expect(report.checks.find((c) => c.id === id)?.status, id).toBe('exercised');
    }
    // Prism answers from examples whatever the request asks (top_k, thresholds, pagination): the report must
    // say so instead of hiding it.
    const behaviour = report.findings.filter((f) => !SCHEMA_CHECKS.includes(f.checkId));
    expect(behaviour.length, JSON.stringify(report.findings.map((f) => f.checkId))).toBeGreaterThan(0);
  });
});
