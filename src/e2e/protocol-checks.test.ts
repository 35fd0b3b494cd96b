/**
 * End to end: the runner against real, deliberately broken HTTP servers on 127.0.0.1. Each protocol and
 * schema check must report the break it exists for (check id, severity, case, step, pointer), and a server
 * that keeps the contract must get no finding from any of them — over the shipped rejection suites.
 */
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import type { ApiName } from '../apis.js';
import { CHECKS } from '../checks/index.js';
import type { Check } from '../checks/types.js';
import type { Report } from '../runner/report.js';
import { runConformance } from '../runner/run.js';
import type { ApiSpec } from '../spec/api-spec.js';
import { loadApiSpec, specFromText } from '../spec/index.js';
import { loadSuiteFile, suiteFromText } from '../suite/index.js';
import type { SuiteFile } from '../suite/types.js';
import {
  type Handler,
  type Mem0Break,
  mem0Handler,
  type RunningServer,
  send,
  startServer,
  TEST_TOKEN,
} from './broken-servers.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const PROTOCOL_CHECK_IDS = [
  'request-completes',
  'status-code-documented',
  'content-type-json',
  'response-schema-conformance',
  'required-headers-present',
  'valid-request-accepted',
  'invalid-input-rejected',
  'credentials-required',
];
const protocolChecks = (): Check[] => CHECKS.filter((check) => PROTOCOL_CHECK_IDS.includes(check.id));

const servers: RunningServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

interface Scenario {
  readonly api: ApiName;
  readonly handler: Handler;
  /** Inline suite YAML texts and/or shipped suite files (relative to the package root). */
  readonly suites: readonly string[];
  readonly spec?: ApiSpec;
  readonly authRequired?: boolean;
  readonly timeoutMs?: number;
}

async function run(scenario: Scenario): Promise<Report> {
  const server = await startServer(scenario.handler);
  servers.push(server);
  const spec = scenario.spec ?? loadApiSpec(scenario.api, ROOT);
  const context = { root: ROOT, spec: () => spec };
  const suites: SuiteFile[] = scenario.suites.map((suite) =>
    suite.endsWith('.yaml') && !suite.includes('\n')
      ? loadSuiteFile(`${ROOT}/${suite}`, context)
      : suiteFromText('inline.yaml', suite, context),
  );
  return runConformance({
    targets: [
      {
        info: {
          api: scenario.api,
          url: server.url,
          flavour: 'hosted',
          authRequired: scenario.authRequired ?? true,
        },
        builtIn: false,
        spec,
        suites,
        token: TEST_TOKEN,
      },
    ],
    checks: protocolChecks(),
    excludedChecks: [],
    failOn: 'error',
    timeoutMs: scenario.timeoutMs ?? 5_000,
    concurrency: 4,
    maxBodyBytes: 1_000_000,
    variables: {},
    toolVersion: '0.0.0-test',
    tokenEnv: 'MEMCONFORM_TOKEN',
  });
}

/** The findings of one check, reduced to what the tests assert. */
function findingsOf(report: Report, checkId: string) {
  return report.findings
    .filter((finding) => finding.checkId === checkId)
    .map(({ checkId: id, severity, caseId, step, pointer, count }) => ({
      checkId: id,
      severity,
      caseId,
      step,
      ...(pointer === undefined ? {} : { pointer }),
      ...(count > 1 ? { count } : {}),
    }));
}

const MEM0_SEARCH = `
api: mem0
operation: searchMemories
variables: { user: alex }
cases:
  - id: search-alex
    description: A valid search for the user alex, after a ping.
    steps:
      - name: ping
        operation: ping
      - name: search
        body: { query: What does Alex like to eat?, user_id: '\${user}' }
`;
const MEM0_REJECTIONS = 'suites/mem0/search-memories.rejections.yaml';

const mem0 = (broken: Mem0Break | undefined, extra: Partial<Scenario> = {}): Scenario => ({
  api: 'mem0',
  handler: mem0Handler(broken),
  suites: [MEM0_SEARCH, MEM0_REJECTIONS],
  ...extra,
});

describe('a server that keeps the contract', () => {
  it('gets no finding from the protocol and schema checks over the Mem0 rejection suite', async () => {
    const report = await run(mem0(undefined));
    expect(report.findings.filter((f) => PROTOCOL_CHECK_IDS.includes(f.checkId))).toEqual([]);
    const exercised = report.checks.filter((c) => c.status === 'exercised').map((c) => c.id);
    expect(exercised).toEqual(PROTOCOL_CHECK_IDS.filter((id) => id !== 'required-headers-present'));
  });
});

describe('request-completes', () => {
  it('reports a connection reset by the server', async () => {
    const report = await run(mem0('reset-search', { suites: [MEM0_SEARCH] }));
    expect(findingsOf(report, 'request-completes')).toEqual([
      { checkId: 'request-completes', severity: 'error', caseId: 'search-alex', step: 'search' },
    ]);
    expect(report.findings.find((f) => f.checkId === 'request-completes')?.message).toMatch(
      /^Expected an HTTP response within the timeout \/ Received connection reset after/,
    );
  });

  it('reports a server that never answers', async () => {
    const report = await run(mem0('hang-search', { suites: [MEM0_SEARCH], timeoutMs: 300 }));
    expect(findingsOf(report, 'request-completes')).toEqual([
      { checkId: 'request-completes', severity: 'error', caseId: 'search-alex', step: 'search' },
    ]);
    expect(report.findings.find((f) => f.checkId === 'request-completes')?.message).toMatch(
      /Received timeout after/,
    );
  });
});

describe('status-code-documented', () => {
  it('reports a status the spec does not document', async () => {
    const report = await run(mem0('status-418', { suites: [MEM0_SEARCH] }));
    expect(findingsOf(report, 'status-code-documented')).toEqual([
      { checkId: 'status-code-documented', severity: 'error', caseId: 'search-alex', step: 'search' },
    ]);
  });
});

describe('content-type-json', () => {
  it('reports an HTML answer', async () => {
    const report = await run(mem0('text-html', { suites: [MEM0_SEARCH] }));
    expect(findingsOf(report, 'content-type-json')).toEqual([
      { checkId: 'content-type-json', severity: 'error', caseId: 'search-alex', step: 'search' },
    ]);
  });

  it('reports a JSON body that does not parse', async () => {
    const report = await run(mem0('unparseable-json', { suites: [MEM0_SEARCH] }));
    expect(findingsOf(report, 'content-type-json')).toEqual([
      { checkId: 'content-type-json', severity: 'error', caseId: 'search-alex', step: 'search' },
    ]);
  });
});

describe('response-schema-conformance', () => {
  it('reports a wrongly typed field once, with the count of items', async () => {
    const report = await run(mem0('numeric-created-at', { suites: [MEM0_SEARCH] }));
    expect(findingsOf(report, 'response-schema-conformance')).toEqual([
      {
        checkId: 'response-schema-conformance',
        severity: 'error',
        caseId: 'search-alex',
        step: 'search',
        pointer: '/0/created_at',
        count: 3,
      },
    ]);
  });

  it('judges a MemOS error body on HTTP 200 as an error response, without oneOf noise', async () => {
    const report = await run({
      api: 'memos',
      handler: (_request, res) => send(res, 200, { code: 40000, data: null }),
      suites: [
        `
api: memos
operation: searchMemory
cases:
  - id: search
    description: A valid search answered with a MemOS error body that lacks its message.
    request:
      body: { user_id: memos_user_345, query: food }
`,
      ],
    });
    expect(findingsOf(report, 'response-schema-conformance')).toEqual([
      {
        checkId: 'response-schema-conformance',
        severity: 'error',
        caseId: 'search',
        step: 'request',
        pointer: '/message',
      },
    ]);
  });
});

describe('required-headers-present', () => {
  it('reports a header the spec marks required', async () => {
    const spec = specFromText(
      'mem0',
      'required-header.openapi.yaml',
      `
openapi: 3.1.0
info: { title: required header, version: '1' }
servers: [{ url: 'http://127.0.0.1', x-memconform-flavour: hosted, x-memconform-auth: none }]
paths:
  /v1/ping/:
    get:
      operationId: ping
      responses:
        '200':
          description: ok
          headers:
            X-Request-Id: { required: true, schema: { type: string } }
          content: { application/json: { schema: { type: object } } }
`,
    );
    const report = await run({
      api: 'mem0',
      spec,
      authRequired: false,
      handler: (_request, res) => send(res, 200, { status: 'ok' }),
      suites: [
        `
api: mem0
operation: ping
cases:
  - id: ping
    description: A ping answered without the X-Request-Id header the spec requires.
    request: {}
`,
      ],
    });
    expect(findingsOf(report, 'required-headers-present')).toEqual([
      { checkId: 'required-headers-present', severity: 'error', caseId: 'ping', step: 'request' },
    ]);
  });
});

describe('valid-request-accepted', () => {
  it('reports a valid search answered 400', async () => {
    const report = await run(mem0('reject-valid', { suites: [MEM0_SEARCH] }));
    expect(findingsOf(report, 'valid-request-accepted')).toEqual([
      { checkId: 'valid-request-accepted', severity: 'error', caseId: 'search-alex', step: 'search' },
    ]);
  });

  it('reports a MemOS HTTP 200 whose body code is not 0', async () => {
    const report = await run({
      api: 'memos',
      handler: (_request, res) =>
        send(res, 200, { code: 50005, message: 'Search service is temporarily unavailable' }),
      suites: [
        `
api: memos
operation: searchMemory
cases:
  - id: search
    description: A valid search answered with MemOS error code 50005 on HTTP 200.
    request:
      body: { user_id: memos_user_345, query: food }
`,
      ],
    });
    expect(findingsOf(report, 'valid-request-accepted')).toEqual([
      {
        checkId: 'valid-request-accepted',
        severity: 'error',
        caseId: 'search',
        step: 'request',
        pointer: '/code',
      },
    ]);
  });
});

describe('invalid-input-rejected', () => {
  it('reports invalid searches answered with data', async () => {
    const report = await run(mem0('accept-invalid'));
    expect(findingsOf(report, 'invalid-input-rejected')).toEqual(
      [
        'rejects-missing-query',
        'rejects-empty-query',
        'rejects-query-of-wrong-type',
        'rejects-search-without-entity-id',
        'rejects-user-id-of-wrong-type',
        'rejects-top-k-of-wrong-type',
        'rejects-text-plain-body',
      ].map((caseId) => ({ checkId: 'invalid-input-rejected', severity: 'error', caseId, step: 'request' })),
    );
  });

  it('reports a 500 for malformed JSON', async () => {
    const report = await run(mem0('crash-on-bad-json'));
    expect(findingsOf(report, 'invalid-input-rejected')).toEqual([
      {
        checkId: 'invalid-input-rejected',
        severity: 'error',
        caseId: 'rejects-malformed-json',
        step: 'request',
      },
    ]);
  });
});

describe('credentials-required', () => {
  it('reports every request served without valid credentials', async () => {
    const report = await run(mem0('no-auth'));
    expect(findingsOf(report, 'credentials-required')).toEqual([
      {
        checkId: 'credentials-required',
        severity: 'error',
        caseId: 'rejects-missing-credentials',
        step: 'request',
      },
      {
        checkId: 'credentials-required',
        severity: 'error',
        caseId: 'rejects-unknown-api-key',
        step: 'request',
      },
      {
        checkId: 'credentials-required',
        severity: 'error',
        caseId: 'ping-requires-credentials',
        step: 'without-key',
      },
      {
        checkId: 'credentials-required',
        severity: 'error',
        caseId: 'ping-rejects-unknown-api-key',
        step: 'request',
      },
    ]);
  });

  it('reports a missing Mem0 key answered 400 (401 is documented: Z-OAS, Z-EXC)', async () => {
    const report = await run(mem0('missing-auth-400'));
    expect(findingsOf(report, 'credentials-required')).toEqual([
      {
        checkId: 'credentials-required',
        severity: 'error',
        caseId: 'rejects-missing-credentials',
        step: 'request',
      },
      {
        checkId: 'credentials-required',
        severity: 'error',
        caseId: 'ping-requires-credentials',
        step: 'without-key',
      },
    ]);
  });
});
