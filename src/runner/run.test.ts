// biome-ignore-all lint/suspicious/noTemplateCurlyInString: suites use ${name} placeholders, not template literals.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { checked, notApplicable, vacuous } from '../checks/outcome.js';
import type { Check } from '../checks/types.js';
import type { MemconformError } from '../errors.js';
import { loadApiSpec } from '../spec/index.js';
import { suiteFromText } from '../suite/load.js';
import type { RunEvent } from './events.js';
import { collapseFindings } from './findings.js';
import type { Finding } from './report.js';
import { CheckCrashError, type RunConfig, runConformance } from './run.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const TOKEN = 'mc-test-token-abcdef';
const servers: Server[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) {
    s.closeAllConnections();
    await new Promise((resolve) => s.close(resolve));
  }
});

async function serve(handler: Parameters<typeof createServer>[1]): Promise<string> {
  const server = createServer(handler);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const SUITE = `
api: mem0
operation: searchMemories
variables: { user: alex }
cases:
  - id: search-alex
    description: Searches the memories of alex.
    request: { body: { query: food, user_id: '\${user}' } }
  - id: ping-then-search
    description: Pings, then searches with a bad key.
    steps:
      - operation: ping
      - auth: invalid
        body: { query: food, user_id: '\${unknownUser}' }
  - id: not-json
    description: A step that the server answers with text.
    request: { body: { query: text, user_id: x } }
`;

const spec = () => loadApiSpec('mem0', ROOT);
const suite = () => suiteFromText('suites/mem0/test.yaml', SUITE, { root: ROOT, spec });

const listCheck: Check = {
  id: 'items-have-ids',
  title: 'Items have ids',
  description: 'Every item has an id.',
  severity: 'error',
  category: 'schema',
  operations: ['mem0.searchMemories'],
  run: (context) => {
    const findings = context.steps.flatMap(({ step, exchange }) => {
      const json = exchange.response?.json;
      if (!Array.isArray(json)) return [];
      return json.flatMap((item, i) =>
        typeof item === 'object' && item !== null && 'id' in item
          ? []
          : [{ step: step.name, message: 'Expected an id / Received none', pointer: `/${i}/id` }],
      );
    });
    return findings.length === 0 && context.steps.every((s) => !Array.isArray(s.exchange.response?.json))
      ? vacuous('no list answers')
      : checked(findings);
  },
};
const warnCheck: Check = {
  id: 'answers-json',
  title: 'Answers JSON',
  description: 'Every answer is JSON.',
  severity: 'warning',
  category: 'protocol',
  operations: ['mem0.searchMemories', 'mem0.ping'],
  run: (context) =>
    checked(
      context.steps
        .filter((s) => s.exchange.response && s.exchange.response.json === undefined)
        .map((s) => ({ step: s.step.name, message: 'Expected JSON / Received text' })),
    ),
};
const otherApiCheck: Check = {
  id: 'memos-only',
  title: 'MemOS only',
  description: 'Never applies to mem0.',
  severity: 'error',
  category: 'behaviour',
  operations: ['memos.searchMemory'],
  run: () => notApplicable(),
};
const excludedCheck: Check = { ...otherApiCheck, id: 'left-out', operations: ['mem0.ping'] };

function config(url: string, overrides: Partial<RunConfig> = {}): RunConfig {
  return {
    targets: [
      {
        info: { api: 'mem0', url, flavour: 'hosted', authRequired: true },
        builtIn: false,
        spec: spec(),
        suites: [suite()],
        token: TOKEN,
      },
    ],
    checks: [listCheck, warnCheck, otherApiCheck],
    excludedChecks: [excludedCheck],
    failOn: 'error',
    timeoutMs: 2_000,
    concurrency: 2,
    maxBodyBytes: 1024 * 1024,
    variables: {},
    toolVersion: '0.0.0-test',
    tokenEnv: 'MEMCONFORM_TOKEN',
    ...overrides,
  };
}

describe('runConformance', () => {
  it('runs every case, judges it with the covering checks and builds the report', async () => {
    const seen: { path?: string; auth?: string; body: string }[] = [];
    const url = await serve((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => {
        body += c;
      });
      req.on('end', () => {
        seen.push({ path: req.url, auth: req.headers.authorization, body });
        if (body.includes('"text"')) return void res.writeHead(200).end('not json');
        if (req.url === '/v1/ping/')
          return void res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}');
        res.writeHead(200, { 'content-type': 'application/json' }).end('[{"id":"a"},{},{"x":1},{}]');
      });
    });
    const report = await runConformance(config(url));
    expect(report.summary).toMatchObject({
      cases: 3,
      requests: 4,
      findings: { error: 2, warning: 1, info: 0 },
      passed: false,
    });
    expect(report.summary.checks).toEqual({ exercised: 2, vacuous: 0, notApplicable: 1, excluded: 1 });
    expect(report.checks.map((c) => [c.id, c.status, c.findings])).toEqual([
      ['items-have-ids', 'exercised', 2],
      ['answers-json', 'exercised', 1],
      ['memos-only', 'not-applicable', 0],
      ['left-out', 'excluded', 0],
    ]);
    const collapsed = report.findings.find((f) => f.checkId === 'items-have-ids');
    expect(collapsed).toMatchObject({
      caseId: 'search-alex',
      step: 'request',
      pointer: '/1/id',
      count: 3,
      operationId: 'searchMemories',
      api: 'mem0',
    });
    expect(collapsed?.curl).toContain('"Authorization: Token $MEMCONFORM_TOKEN"');
    expect(report.findings.find((f) => f.checkId === 'answers-json')).toMatchObject({
      severity: 'warning',
      caseId: 'not-json',
    });

    // Placeholders resolved, unknownUser unique, invalid auth well-formed and not the token.
    const alex = seen.find((s) => s.body.includes('alex'));
    expect(alex?.auth).toBe(`Token ${TOKEN}`);
    const invalid = seen.find((s) => s.body.includes('mc-unknown-'));
    expect(invalid?.auth).toMatch(/^Token mc-invalid-[0-9a-f]{32}$/);
    expect(seen.some((s) => s.path === '/v1/ping/')).toBe(true);
    expect(JSON.stringify(report)).not.toContain(TOKEN);
    // Cases and findings name their target by the exact string TargetSummary.url holds.
    expect(report.targets.map((t) => t.url)).toEqual([url]);
    for (const item of [...report.cases, ...report.findings]) expect(item.targetUrl).toBe(url);
    expect(
      report.cases
        .find((c) => c.id === 'ping-then-search')
        ?.steps.map((s) => [s.name, s.operationId, s.method, s.status]),
    ).toEqual([
      ['request', 'ping', 'GET', 200],
      ['request-2', 'searchMemories', 'POST', 200],
    ]);
  });

  it('emits the run as events in order; the report is the one their collector builds', async () => {
    const url = await serve((req, res) => {
      if (req.url === '/v1/ping/')
        return void res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}');
      res.writeHead(200, { 'content-type': 'application/json' }).end('[{"id":"a"},{}]');
    });
    const events: RunEvent[] = [];
    const report = await runConformance(config(url, { listeners: [(event) => events.push(event)] }));
    const types = events.map((e) => e.type);
    expect(types[0]).toBe('run-start');
    expect(types[1]).toBe('target-start');
    expect(types.at(-2)).toBe('target-end');
    expect(types.at(-1)).toBe('run-end');
    expect(types.filter((t) => t === 'case-start')).toHaveLength(3);
    expect(types.filter((t) => t === 'case-end')).toHaveLength(3);
    // Every case's findings and outcomes come between its start and its end.
    for (const end of events.filter((e) => e.type === 'case-end')) {
      const at = events.indexOf(end);
      const begin = events.findIndex((e) => e.type === 'case-start' && e.index === end.index);
      expect(begin).toBeLessThan(at);
      const between = events.slice(begin, at);
      expect(
        between.filter((e) => e.type === 'finding' && e.caseIndex === end.index).map((e) => e.type),
      ).toHaveLength(end.findings.error + end.findings.warning + end.findings.info);
      expect(between.filter((e) => e.type === 'check-outcome' && e.index === end.index)).toHaveLength(
        end.case.outcomes.length,
      );
    }
    const start = events[0] as Extract<RunEvent, { type: 'run-start' }>;
    expect(start.cases).toBe(3);
    expect(start.checks.map((c) => [c.id, c.excluded])).toEqual([
      ['items-have-ids', false],
      ['answers-json', false],
      ['memos-only', false],
      ['left-out', true],
    ]);
    const streamed = events.flatMap((e) => (e.type === 'finding' ? [e.finding] : []));
    expect(new Set(streamed)).toEqual(new Set(report.findings));
    expect(events.at(-2)).toMatchObject({ cases: 3, findings: { error: report.summary.findings.error } });
    expect(events.at(-1)).toEqual({
      type: 'run-end',
      durationMs: report.durationMs,
      summary: report.summary,
    });
    // Plan order, whatever order the cases finished in.
    expect(report.cases.map((c) => c.id)).toEqual(['search-alex', 'ping-then-search', 'not-json']);
  });

  it('adds --header headers to every request and keeps credential-like values out of the report', async () => {
    const seen: (string | undefined)[] = [];
    const url = await serve((req, res) => {
      seen.push(req.headers['x-proxy-key'] as string | undefined);
      res.writeHead(200, { 'content-type': 'application/json' }).end('[{"id":"a"},{}]');
    });
    const base = config(url);
    const target = base.targets[0] as RunConfig['targets'][number];
    const secret = 'proxy-secret-Zx81Qq';
    const report = await runConformance({
      ...base,
      targets: [{ ...target, headers: { 'x-proxy-key': secret, 'x-org': 'acme' }, secrets: [secret] }],
    });
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.every((value) => value === secret)).toBe(true);
    expect(JSON.stringify(report)).not.toContain(secret);
    expect(report.findings[0]?.curl).toContain("'X-Org: acme'");
  });

  it('retries a 429 after Retry-After and shows each retry in the report', async () => {
    let calls = 0;
    const url = await serve((_req, res) => {
      calls += 1;
      if (calls === 1) return void res.writeHead(429, { 'retry-after': '0' }).end();
      res.writeHead(200, { 'content-type': 'application/json' }).end('[]');
    });
    const report = await runConformance(config(url, { concurrency: 1 }));
    const first = report.cases[0]?.steps[0];
    expect(first?.status).toBe(200);
    expect(first?.retries).toEqual([{ status: 429, waitedMs: 0, after: 'retry-after' }]);
    expect(report.cases.flatMap((c) => c.steps).filter((s) => s.retries)).toHaveLength(1);
  });

  it('stops starting cases after --max-failures error findings, with a partial report', async () => {
    const url = await serve((_req, res) =>
      res.writeHead(200, { 'content-type': 'application/json' }).end('[{},{"x":1}]'),
    );
    const events: RunEvent[] = [];
    const report = await runConformance(
      config(url, { concurrency: 1, maxFailures: 1, listeners: [(e) => events.push(e)] }),
    );
    expect(report.summary.findings.error).toBeGreaterThanOrEqual(1);
    expect(report.summary.cases).toBeLessThan(3);
    expect(report.maxFailuresReached).toEqual({ limit: 1, casesNotRun: 3 - report.summary.cases });
    expect(report.summary.passed).toBe(false);
    // The stream still closes the target and the run.
    expect(events.at(-2)?.type).toBe('target-end');
    expect(events.at(-1)?.type).toBe('run-end');
  });

  it('passes with --fail-on error when only warnings are found, and reports vacuous checks', async () => {
    const url = await serve((_req, res) => res.writeHead(200).end('plain'));
    const report = await runConformance(config(url));
    expect(report.summary.passed).toBe(true);
    expect(report.checks.find((c) => c.id === 'items-have-ids')).toMatchObject({
      status: 'vacuous',
      vacuousReasons: ['no list answers'],
    });
    // Each vacuous outcome carries its own reason; judged outcomes carry none.
    const outcomes = report.cases.flatMap((c) => c.outcomes);
    expect(outcomes.filter((o) => o.checkId === 'items-have-ids')).toEqual(
      Array.from({ length: 3 }, () => ({
        checkId: 'items-have-ids',
        status: 'vacuous',
        reason: 'no list answers',
      })),
    );
    expect(outcomes.filter((o) => o.checkId === 'answers-json').every((o) => !('reason' in o))).toBe(true);
    const strict = await runConformance(config(url, { failOn: 'warning' }));
    expect(strict.summary.passed).toBe(false);
  });

  it('keeps two targets of one api apart by URL, with userinfo removed as in TargetSummary.url', async () => {
    const listy = await serve((_req, res) =>
      res.writeHead(200, { 'content-type': 'application/json' }).end('[{"id":"a"},{}]'),
    );
    const clean = await serve((_req, res) =>
      res.writeHead(200, { 'content-type': 'application/json' }).end('[{"id":"a"}]'),
    );
    const base = config(listy);
    const first = base.targets[0] as RunConfig['targets'][number];
    const withUser = clean.replace('http://', 'http://someone:secret@');
    const report = await runConformance({
      ...base,
      targets: [first, { ...first, info: { ...first.info, url: withUser, flavour: 'self-hosted' } }],
    });
    expect(report.targets.map((t) => t.url)).toEqual([listy, clean]);
    expect(report.cases.filter((c) => c.targetUrl === listy)).toHaveLength(3);
    expect(report.cases.filter((c) => c.targetUrl === clean)).toHaveLength(3);
    const listFindings = report.findings.filter((f) => f.checkId === 'items-have-ids');
    expect(listFindings.length).toBeGreaterThan(0);
    expect(listFindings.every((f) => f.targetUrl === listy)).toBe(true);
    const cleanCases = report.cases.filter((c) => c.targetUrl === clean);
    expect(JSON.stringify({ targets: report.targets, cases: cleanCases })).not.toContain('secret');
  });

  it('ends in a report with error MC_ERR_TARGET_UNREACHABLE when every request is refused', async () => {
    const url = await serve(() => undefined);
    const server = servers.pop() as Server;
    await new Promise((resolve) => server.close(resolve));
    const report = await runConformance(config(url));
    expect(report.error).toEqual({
      code: 'MC_ERR_TARGET_UNREACHABLE',
      message: `Could not reach ${url}: connection refused. Is the server running? Check --target.`,
    });
    expect(report.summary.passed).toBe(false);
    expect(report.cases).toHaveLength(1);
  });

  it('keeps timeouts as data once the target has answered its first case', async () => {
    let requests = 0;
    const url = await serve((_req, res) => {
      requests += 1;
      if (requests === 1) res.writeHead(200, { 'content-type': 'application/json' }).end('[]');
    });
    const report = await runConformance(config(url, { timeoutMs: 200, concurrency: 4 }));
    expect(report.cases.flatMap((c) => c.steps.map((s) => s.failure?.kind))).toEqual([
      undefined,
      'timeout',
      'timeout',
      'timeout',
    ]);
  });

  it('stops after the first case, with MC_ERR_TARGET_UNREACHABLE, when the target never answers', async () => {
    let requests = 0;
    const url = await serve(() => {
      requests += 1;
    });
    const report = await runConformance(config(url, { timeoutMs: 200, concurrency: 4 }));
    expect(report.error).toMatchObject({ code: 'MC_ERR_TARGET_UNREACHABLE' });
    expect(report.error?.message).toContain('sent no answer within 200 ms: is it hanging?');
    expect(requests).toBe(1);
  });

  it.each([
    ['401', 401, '{"detail":"Invalid API key."}'],
    ['403', 403, '{"detail":"Forbidden"}'],
  ])(
    'stops after the first case with MC_ERR_AUTH_REJECTED when the token gets %s',
    async (_, status, body) => {
      let requests = 0;
      const url = await serve((_req, res) => {
        requests += 1;
        res.writeHead(status, { 'content-type': 'application/json' }).end(body);
      });
      const report = await runConformance(config(url));
      expect(report.error).toEqual({
        code: 'MC_ERR_AUTH_REJECTED',
        message: `${url} refused the token on every request sent with it (HTTP ${status}; sent "Authorization: Token [REDACTED]"). Check that MEMCONFORM_TOKEN (or --token) holds a valid, unexpired key for this mem0 deployment and that --api and --flavour match it.`,
      });
      expect(requests).toBe(1);
      expect(JSON.stringify(report)).not.toContain(TOKEN);
    },
  );

  it('keeps refusals as findings when some request with the token was served', async () => {
    let requests = 0;
    const url = await serve((_req, res) => {
      requests += 1;
      if (requests === 1) res.writeHead(200, { 'content-type': 'application/json' }).end('[]');
      else res.writeHead(401, { 'content-type': 'application/json' }).end('{"detail":"no"}');
    });
    const report = await runConformance(config(url, { concurrency: 1 }));
    expect(report.error).toBeUndefined();
    expect(report.cases).toHaveLength(3);
  });

  it('stops sending when interrupted and reports the cases finished before, marked interrupted', async () => {
    const interrupt = new AbortController();
    let requests = 0;
    const url = await serve((_req, res) => {
      requests += 1;
      // The first case is answered; then the run is interrupted while the second hangs.
      if (requests === 1) res.writeHead(200, { 'content-type': 'application/json' }).end('[]');
      else interrupt.abort();
    });
    const report = await runConformance(
      config(url, { concurrency: 1, timeoutMs: 600_000, signal: interrupt.signal }),
    );
    expect(report.interrupted).toBe(true);
    expect(report.summary.passed).toBe(false);
    expect(report.cases.map((c) => c.id)).toEqual(['search-alex']);
    expect(requests).toBe(2);
  });

  it('turns a throwing check into a crash naming the check', async () => {
    const url = await serve((_req, res) => res.writeHead(200).end('[]'));
    const broken: Check = {
      ...warnCheck,
      id: 'broken-check',
      run: () => {
        throw new Error('boom');
      },
    };
    const error = await runConformance(config(url, { checks: [broken] })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CheckCrashError);
    expect((error as Error).message).toMatch(
      /^check "broken-check" threw on case ".*" \(suites\/mem0\/test\.yaml\): boom$/,
    );
  });

  it('stops before any request on an unknown placeholder', async () => {
    let requests = 0;
    const url = await serve((_req, res) => {
      requests += 1;
      res.end('[]');
    });
    const bad = suiteFromText('suites/mem0/bad.yaml', SUITE.replace("'${user}'", "'${nobody}'"), {
      root: ROOT,
      spec,
    });
    const base = config(url);
    const target = { ...(base.targets[0] as RunConfig['targets'][number]), suites: [bad] };
    const error = await runConformance({ ...base, targets: [target] }).catch((e: unknown) => e);
    expect((error as MemconformError).code).toBe('MC_ERR_SUITE');
    expect((error as Error).message).toMatch(
      /suites\/mem0\/bad\.yaml: case "search-alex", step "request": unknown placeholder \$\{nobody\}/,
    );
    expect(requests).toBe(0);
  });
});

describe('step expressions', () => {
  it('builds a step from an earlier answer, and does not send a step whose input is missing', async () => {
    const seen: unknown[] = [];
    const url = await serve((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => {
        body += c;
      });
      req.on('end', () => {
        const json = JSON.parse(body) as { user_id: string };
        seen.push(json);
        // alex holds two scored memories, anyone else none.
        const items =
          json.user_id === 'alex'
            ? [
                { id: 'a', memory: 'x', score: 0.8 },
                { id: 'b', memory: 'y', score: 0.2 },
              ]
            : [];
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(items));
      });
    });
    const derived = `
api: mem0
operation: searchMemories
cases:
  - id: derived
    description: Derives top_k and a metadata value from the first answer.
    steps:
      - { name: all, body: { query: q, user_id: '\${user}' } }
      - name: cut
        body: { query: q, user_id: '\${user}', top_k: '\${count(steps.all/*) - 1}', metadata: { best: 'id-\${steps.all/0/id}' }, threshold: '\${mid(steps.all/*/score)}' }
`;
    const target: RunConfig['targets'][number] = {
      info: { api: 'mem0', url, flavour: 'hosted', authRequired: true },
      builtIn: false,
      spec: spec(),
      suites: [suiteFromText('suites/mem0/derived.yaml', derived, { root: ROOT, spec })],
      token: TOKEN,
    };
    const seenByStep: Check = {
      ...otherApiCheck,
      id: 'sees-steps',
      operations: ['mem0.searchMemories'],
      run: (context) =>
        checked(
          context.steps.map((s) => ({
            step: s.step.name,
            message: `${s.skipped === undefined ? 'sent' : 'skipped'} ${JSON.stringify(s.exchange.request.json)}`,
          })),
        ),
    };
    const run = (user: string) =>
      runConformance({
        ...config(url, { checks: [seenByStep], excludedChecks: [] }),
        targets: [target],
        variables: { user },
      });

    const full = await run('alex');
    expect(seen).toEqual([
      { query: 'q', user_id: 'alex' },
      { query: 'q', user_id: 'alex', top_k: 1, metadata: { best: 'id-a' }, threshold: 0.5 },
    ]);
    expect(full.cases[0]?.steps.map((s) => s.skipped)).toEqual([undefined, undefined]);

    seen.length = 0;
    const empty = await run('nobody');
    // The empty first answer holds no id: the second step is recorded, not sent, and says why.
    expect(seen).toEqual([{ query: 'q', user_id: 'nobody' }]);
    const skipped = empty.cases[0]?.steps[1];
    expect(skipped).toMatchObject({
      name: 'cut',
      skipped: '${steps.all/0/id}: the pointer matches nothing in the answer',
    });
    expect(skipped?.status).toBeUndefined();
    expect(empty.findings.map((f) => f.message)).toEqual([
      'sent {"query":"q","user_id":"nobody"}',
      // Checks see the step's shape with its expressions as written, and no answer.
      'skipped {"query":"q","user_id":"nobody","top_k":"${count(steps.all/*) - 1}","metadata":{"best":"id-${steps.all/0/id}"},"threshold":"${mid(steps.all/*/score)}"}',
    ]);
  });
});

describe('collapseFindings', () => {
  const finding = (pointer: string, message = 'Expected x / Received y', count = 1): Finding => ({
    checkId: 'c',
    severity: 'error',
    api: 'mem0',
    operationId: 'searchMemories',
    caseId: 'case',
    step: 'request',
    message,
    pointer,
    count,
    curl: 'curl',
    targetUrl: 'http://127.0.0.1:1',
  });

  it('merges repeats over array items and sums counts', () => {
    const out = collapseFindings([
      finding('/0/id'),
      finding('/3/id', undefined, 2),
      finding('/0/name'),
      finding('/1/id', 'other'),
    ]);
    expect(out.map((f) => [f.pointer, f.message, f.count])).toEqual([
      ['/0/id', 'Expected x / Received y', 3],
      ['/0/name', 'Expected x / Received y', 1],
      ['/1/id', 'other', 1],
    ]);
  });
});
