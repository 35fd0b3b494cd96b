/**
 * A realistic finished report for reporter tests: four targets, two of them of one api (memmachine hosted
 * and self-hosted, as the default run has) with a case id in common but different cases and findings,
 * passing, failing and vacuous checks (vacuous outcomes with and without their own reason), warnings below `--fail-on`, a transport failure, and hostile strings in every field
 * a target can influence (bodies, keys, content types, failure messages, ids echoed into later requests).
 * The summary block is computed from the data so it always agrees with it, as the runner's would.
 */
import { groupFindings } from '../../runner/findings.js';
import type { CaseSummary, CheckSummary, Finding, Report, TargetSummary } from '../../runner/report.js';
import { REPORT_VERSION } from '../../runner/report.js';

/** The hostile strings planted in the sample, by what they attack. */
export const HOSTILE = {
  script: '<script>alert(1)</script>',
  attribute: '"><img src=x onerror=alert(1)>',
  svg: "'><svg onload=alert(1)>",
  cdataEnd: ']]>',
  /** NUL, bell, backspace, vertical tab, form feed, unit separator, DEL, C1 NEL, a lone surrogate, U+FFFE. */
  controls: '\u0000\u0007\u0008\u000b\u000c\u001f\u007f\u0085\ud800\ufffe',
  ansi: '\u001b[31mRED\u001b[0m \u001b]8;;https://evil.example/\u0007click\u001b]8;;\u0007',
  bidi: 'safe\u202Eevil\u202C',
  markdown: '| pipe | cell | **bold** [link](javascript:alert(1)) @octocat <details open>',
  fence: '``````````\n```\n# injected heading\n</details>',
  unicode: 'Grüße, 日本語, emoji 🧠, combining é, astral 𝒳',
  /** 100 KB of target text (a memory body that echoes a huge upload). */
  huge: `${'0123456789abcdef'.repeat(6_250)}`,
} as const;

const CURL_MEMOS = (body: string): string =>
  `curl -X POST 'https://memos.memtensor.cn/api/openmem/v1/search/memory' -H 'authorization: Token [REDACTED]' -H 'content-type: application/json' -d '${body}'`;

const CURL_MEMMACHINE = (body: string): string =>
  `curl -X POST 'http://127.0.0.1:43117/api/v2/memories/search' -H 'content-type: application/json' -d '${body}'`;

const CURL_MEMMACHINE_HOSTED = (body: string): string =>
  `curl -X POST 'https://api.memmachine.ai/v2/memories/search' -H 'authorization: Bearer [REDACTED]' -H 'content-type: application/json' -d '${body}'`;

/** Base URLs of the sample's targets (the `targetUrl` of their cases and findings). */
export const SAMPLE_URLS = {
  memos: 'https://memos.memtensor.cn/api/openmem/v1',
  mem0: 'https://api.mem0.ai',
  memmachineHosted: 'https://api.memmachine.ai',
  memmachineSelfHosted: 'http://127.0.0.1:43117/api',
} as const;

const targets: readonly TargetSummary[] = [
  { api: 'memos', url: SAMPLE_URLS.memos, flavour: 'hosted', authRequired: true, builtIn: false },
  { api: 'mem0', url: SAMPLE_URLS.mem0, flavour: 'hosted', authRequired: true, builtIn: false },
  {
    api: 'memmachine',
    url: SAMPLE_URLS.memmachineSelfHosted,
    flavour: 'self-hosted',
    authRequired: false,
    builtIn: true,
  },
  {
    api: 'memmachine',
    url: SAMPLE_URLS.memmachineHosted,
    flavour: 'hosted',
    authRequired: true,
    builtIn: false,
  },
];

/** Reasons given for vacuous outcomes in the sample (the check table lists them all per check). */
export const FEW_RESULTS_REASON = 'every search returned fewer than two results';
/** Given only by the hosted memmachine target's `basic-search`. */
export const NO_SCORE_REASON = `results carried no score field; the first result was ${HOSTILE.script}`;
const NO_LEAK_REASON = `the other user's search returned no memories at all (query ${HOSTILE.fence})`;

type CheckInput = Omit<CheckSummary, 'casesChecked' | 'casesVacuous' | 'findings' | 'status'> & {
  readonly status?: CheckSummary['status'];
};

const checkTable: readonly CheckInput[] = [
  {
    id: 'response-schema-conformance',
    title: 'Response matches the documented schema',
    description: 'Every response body validates against the JSON schema the spec documents for its status.',
    category: 'schema',
    severity: 'error',
    vacuousReasons: [],
  },
  {
    id: 'status-code-documented',
    title: 'Status code is documented',
    description: 'Every response status is one the spec documents for the operation.',
    category: 'protocol',
    severity: 'error',
    vacuousReasons: [],
  },
  {
    id: 'json-content-type',
    title: 'Responses are JSON',
    description: 'Responses documented as JSON carry an application/json content type.',
    category: 'protocol',
    severity: 'warning',
    vacuousReasons: [],
  },
  {
    id: 'invalid-input-rejected',
    title: 'Invalid input is rejected',
    description: 'A malformed request body is answered with a 4XX status, not processed or crashed on.',
    category: 'protocol',
    severity: 'error',
    vacuousReasons: [],
  },
  {
    id: 'result-limit-respected',
    title: 'Result limit is respected',
    description: 'A search never returns more results than the requested limit.',
    category: 'behaviour',
    severity: 'error',
    vacuousReasons: [],
  },
  {
    id: 'ranked-by-score-descending',
    title: 'Results are ranked by score',
    description: 'Search results come in descending score order.',
    category: 'behaviour',
    severity: 'warning',
    vacuousReasons: [FEW_RESULTS_REASON, NO_SCORE_REASON],
  },
  {
    id: 'no-cross-user-leak',
    title: 'No memories leak across users',
    description: "A search scoped to one user never returns another user's memories.",
    category: 'behaviour',
    severity: 'error',
    vacuousReasons: [NO_LEAK_REASON],
  },
  {
    id: 'unknown-credential-rejected',
    title: 'Unknown credentials are rejected',
    description: 'A well-formed credential the target cannot know is answered with 401 or 403.',
    category: 'protocol',
    severity: 'error',
    vacuousReasons: [],
    status: 'excluded',
  },
  {
    id: 'memory-ids-unique',
    title: 'Memory ids are unique',
    description: 'No two memories in one answer share an id.',
    category: 'behaviour',
    severity: 'warning',
    vacuousReasons: [],
    status: 'not-applicable',
  },
];

type Outcome = CaseSummary['outcomes'][number];
const ok = (checkId: string): Outcome => ({ checkId, status: 'passed' });
const bad = (checkId: string): Outcome => ({ checkId, status: 'failed' });
/** Without a reason, as in reports from before per-outcome reasons: reporters fall back to the check's. */
const empty = (checkId: string, reason?: string): Outcome =>
  reason === undefined ? { checkId, status: 'vacuous' } : { checkId, status: 'vacuous', reason };

const cases: readonly CaseSummary[] = [
  {
    api: 'memos',
    operationId: 'searchMemory',
    id: 'basic-search',
    description: 'A plain search for a seeded memory returns it in the documented shape.',
    suiteFile: 'suites/memos/search-memory.yaml',
    targetUrl: SAMPLE_URLS.memos,
    steps: [
      {
        name: 'request',
        operationId: 'searchMemory',
        method: 'POST',
        url: 'https://memos.memtensor.cn/api/openmem/v1/search/memory',
        status: 200,
        durationMs: 412.5,
      },
    ],
    outcomes: [
      bad('response-schema-conformance'),
      ok('status-code-documented'),
      ok('json-content-type'),
      empty('ranked-by-score-descending'),
    ],
    durationMs: 415,
  },
  {
    api: 'memos',
    operationId: 'searchMemory',
    id: 'limit-respected',
    description: 'A search with top_k 2 returns at most two memories.',
    suiteFile: 'suites/memos/search-memory.yaml',
    targetUrl: SAMPLE_URLS.memos,
    steps: [
      {
        name: 'request',
        operationId: 'searchMemory',
        method: 'POST',
        url: 'https://memos.memtensor.cn/api/openmem/v1/search/memory',
        status: 200,
        durationMs: 388,
      },
    ],
    outcomes: [
      ok('response-schema-conformance'),
      ok('status-code-documented'),
      bad('result-limit-respected'),
      ok('ranked-by-score-descending'),
    ],
    durationMs: 390,
  },
  {
    api: 'memos',
    operationId: 'searchMemory',
    id: 'malformed-body-rejected',
    description: 'A body that is not JSON is rejected with a 4XX status.',
    suiteFile: 'suites/memos/search-memory.yaml',
    targetUrl: SAMPLE_URLS.memos,
    steps: [
      {
        name: 'request',
        operationId: 'searchMemory',
        method: 'POST',
        url: 'https://memos.memtensor.cn/api/openmem/v1/search/memory',
        status: 500,
        durationMs: 120,
      },
    ],
    outcomes: [bad('status-code-documented'), bad('invalid-input-rejected')],
    durationMs: 121,
  },
  {
    api: 'memos',
    operationId: 'getMemory',
    id: 'get-by-id',
    description: 'A memory fetched by id carries the documented fields.',
    suiteFile: 'suites/memos/get-memory.yaml',
    targetUrl: SAMPLE_URLS.memos,
    steps: [
      {
        name: 'request',
        operationId: 'getMemory',
        method: 'POST',
        url: 'https://memos.memtensor.cn/api/openmem/v1/get/memory',
        status: 200,
        durationMs: 205,
      },
    ],
    outcomes: [bad('response-schema-conformance'), ok('status-code-documented'), ok('json-content-type')],
    durationMs: 206,
  },
  {
    api: 'mem0',
    operationId: 'ping',
    id: 'ping-ok',
    description: 'The ping endpoint answers 200 with JSON.',
    suiteFile: 'suites/mem0/ping.yaml',
    targetUrl: SAMPLE_URLS.mem0,
    steps: [
      {
        name: 'request',
        operationId: 'ping',
        method: 'GET',
        url: 'https://api.mem0.ai/v1/ping/',
        status: 200,
        durationMs: 98,
      },
    ],
    outcomes: [ok('response-schema-conformance'), ok('status-code-documented'), bad('json-content-type')],
    durationMs: 99,
  },
  {
    api: 'mem0',
    operationId: 'searchMemories',
    id: 'cross-user-isolation',
    description: "Alex's memories never appear in Priya's search results.",
    suiteFile: 'suites/mem0/search-memories.yaml',
    targetUrl: SAMPLE_URLS.mem0,
    steps: [
      {
        name: 'search-alex',
        operationId: 'searchMemories',
        method: 'POST',
        url: 'https://api.mem0.ai/v1/memories/search/',
        status: 200,
        durationMs: 640,
      },
      {
        name: 'search-priya',
        operationId: 'searchMemories',
        method: 'POST',
        url: 'https://api.mem0.ai/v1/memories/search/',
        failure: { kind: 'reset', message: `socket hang up ${HOSTILE.attribute} ${HOSTILE.ansi}` },
        durationMs: 30_000,
      },
    ],
    outcomes: [ok('response-schema-conformance'), empty('no-cross-user-leak', NO_LEAK_REASON)],
    durationMs: 30_645,
  },
  {
    api: 'memmachine',
    operationId: 'searchMemories',
    id: 'basic-search',
    description: 'A plain search returns episodic and semantic memories in the documented shape.',
    suiteFile: 'suites/memmachine/search-memories.yaml',
    targetUrl: SAMPLE_URLS.memmachineSelfHosted,
    steps: [
      {
        name: 'request',
        operationId: 'searchMemories',
        method: 'POST',
        url: 'http://127.0.0.1:43117/api/v2/memories/search',
        status: 200,
        durationMs: 12,
      },
    ],
    outcomes: [
      ok('response-schema-conformance'),
      ok('status-code-documented'),
      ok('json-content-type'),
      ok('result-limit-respected'),
      empty('ranked-by-score-descending', FEW_RESULTS_REASON),
    ],
    durationMs: 13,
  },
  {
    api: 'memmachine',
    operationId: 'searchMemories',
    id: 'echoed-content-search',
    description: 'Searching for a memory whose content the target stored verbatim.',
    suiteFile: 'suites/memmachine/search-memories.yaml',
    targetUrl: SAMPLE_URLS.memmachineSelfHosted,
    steps: [
      {
        name: 'search',
        operationId: 'searchMemories',
        method: 'POST',
        url: 'http://127.0.0.1:43117/api/v2/memories/search',
        status: 200,
        durationMs: 15,
      },
      {
        name: 'search-again',
        operationId: 'searchMemories',
        method: 'POST',
        url: 'http://127.0.0.1:43117/api/v2/memories/search',
        status: 200,
        durationMs: 14,
      },
    ],
    outcomes: [
      bad('response-schema-conformance'),
      ok('status-code-documented'),
      bad('json-content-type'),
      empty('no-cross-user-leak', NO_LEAK_REASON),
    ],
    durationMs: 31,
  },
  // The hosted memmachine target: same api and a case id in common with the self-hosted one above, but
  // its own outcomes and findings; reporters must not mix the two.
  {
    api: 'memmachine',
    operationId: 'searchMemories',
    id: 'basic-search',
    description: 'A plain search returns episodic and semantic memories in the documented shape.',
    suiteFile: 'suites/memmachine/search-memories.yaml',
    targetUrl: SAMPLE_URLS.memmachineHosted,
    steps: [
      {
        name: 'request',
        operationId: 'searchMemories',
        method: 'POST',
        url: 'https://api.memmachine.ai/v2/memories/search',
        status: 200,
        durationMs: 233,
      },
    ],
    outcomes: [
      ok('response-schema-conformance'),
      ok('status-code-documented'),
      ok('json-content-type'),
      bad('result-limit-respected'),
      empty('ranked-by-score-descending', NO_SCORE_REASON),
    ],
    durationMs: 235,
  },
  {
    api: 'memmachine',
    operationId: 'searchMemories',
    id: 'hosted-filtered-search',
    description: 'A search filtered to one session answers with JSON.',
    suiteFile: 'suites/memmachine/search-memories.yaml',
    targetUrl: SAMPLE_URLS.memmachineHosted,
    steps: [
      {
        name: 'request',
        operationId: 'searchMemories',
        method: 'POST',
        url: 'https://api.memmachine.ai/v2/memories/search',
        status: 200,
        durationMs: 190,
      },
    ],
    outcomes: [ok('response-schema-conformance'), ok('status-code-documented'), bad('json-content-type')],
    durationMs: 191,
  },
];

const findings: readonly Finding[] = [
  {
    checkId: 'response-schema-conformance',
    severity: 'error',
    api: 'memos',
    targetUrl: SAMPLE_URLS.memos,
    operationId: 'searchMemory',
    caseId: 'basic-search',
    step: 'request',
    message: 'Expected integer / Received string "2024-05-01T10:00:00Z"',
    pointer: '/data/memory_detail_list/0/create_time',
    expected: 'integer',
    actual: '2024-05-01T10:00:00Z',
    count: 3,
    curl: CURL_MEMOS('{"query":"favourite food","user_id":"alex","top_k":5}'),
  },
  {
    checkId: 'result-limit-respected',
    severity: 'error',
    api: 'memos',
    targetUrl: SAMPLE_URLS.memos,
    operationId: 'searchMemory',
    caseId: 'limit-respected',
    step: 'request',
    message: 'Expected at most 2 memories / Received 5',
    pointer: '/data/memory_detail_list',
    expected: 2,
    actual: 5,
    count: 1,
    curl: CURL_MEMOS('{"query":"favourite food","user_id":"alex","top_k":2}'),
  },
  {
    checkId: 'status-code-documented',
    severity: 'error',
    api: 'memos',
    targetUrl: SAMPLE_URLS.memos,
    operationId: 'searchMemory',
    caseId: 'malformed-body-rejected',
    step: 'request',
    message: 'Expected one of the documented statuses 200, 422 / Received 500',
    expected: ['200', '422'],
    actual: 500,
    count: 1,
    curl: CURL_MEMOS('{"query": '),
  },
  {
    checkId: 'invalid-input-rejected',
    severity: 'error',
    api: 'memos',
    targetUrl: SAMPLE_URLS.memos,
    operationId: 'searchMemory',
    caseId: 'malformed-body-rejected',
    step: 'request',
    message: 'Expected a 4XX status for a body that is not JSON / Received 500',
    expected: '4XX',
    actual: 500,
    count: 1,
    curl: CURL_MEMOS('{"query": '),
  },
  {
    checkId: 'response-schema-conformance',
    severity: 'warning',
    api: 'memos',
    targetUrl: SAMPLE_URLS.memos,
    operationId: 'getMemory',
    caseId: 'get-by-id',
    step: 'request',
    message: `Expected one of "LongTermMemory", "UserMemory", "WorkingMemory" / Received "${HOSTILE.script}"`,
    pointer: '/data/memory_type',
    expected: ['LongTermMemory', 'UserMemory', 'WorkingMemory'],
    actual: HOSTILE.script,
    count: 1,
    curl: `curl -X POST 'https://memos.memtensor.cn/api/openmem/v1/get/memory' -H 'authorization: Token [REDACTED]' -H 'content-type: application/json' -d '{"memory_id":"mem-7f3a"}'`,
  },
  {
    checkId: 'json-content-type',
    severity: 'warning',
    api: 'mem0',
    targetUrl: SAMPLE_URLS.mem0,
    operationId: 'ping',
    caseId: 'ping-ok',
    step: 'request',
    message: `Expected content-type application/json / Received text/html; charset=${HOSTILE.attribute}`,
    pointer: '/headers/content-type',
    expected: 'application/json',
    actual: `text/html; charset=${HOSTILE.attribute}`,
    count: 1,
    curl: "curl -X GET 'https://api.mem0.ai/v1/ping/' -H 'authorization: Token [REDACTED]'",
  },
  {
    checkId: 'response-schema-conformance',
    severity: 'error',
    api: 'memmachine',
    targetUrl: SAMPLE_URLS.memmachineSelfHosted,
    operationId: 'searchMemories',
    caseId: 'echoed-content-search',
    step: 'search',
    message: `Expected string / Received object at a key the target invented: ${HOSTILE.attribute} ${HOSTILE.ansi} ${HOSTILE.bidi} ${HOSTILE.markdown} ${HOSTILE.unicode}`,
    pointer: `/content/episodic_memory/0/${HOSTILE.script.replace('/', '~1')}`,
    expected: 'string',
    actual: {
      [HOSTILE.cdataEnd]: HOSTILE.controls,
      [HOSTILE.svg]: HOSTILE.ansi,
      fence: HOSTILE.fence,
      unicode: HOSTILE.unicode,
    },
    count: 2,
    curl: CURL_MEMMACHINE(
      `{"query":"${HOSTILE.attribute.replace(/"/g, '\\"')}","top_k":5} ${HOSTILE.fence} ${HOSTILE.cdataEnd} '\\'' ${HOSTILE.controls}`,
    ),
    evidence: {
      status: 200,
      statusText: 'OK',
      contentType: `application/json; charset=${HOSTILE.attribute}`,
      bodyExcerpt: `{\n  "${HOSTILE.script}": "${HOSTILE.ansi} ${HOSTILE.controls} ${HOSTILE.bidi}",\n  "fence": "${HOSTILE.fence}",\n  "cdata": "${HOSTILE.cdataEnd}",\n  "md": "${HOSTILE.markdown}"\n}`,
      excerptPointer: '/content/episodic_memory/0',
      requestBody: `{"query":"${HOSTILE.svg} ${HOSTILE.fence}","top_k":5}`,
    },
  },
  {
    checkId: 'response-schema-conformance',
    severity: 'error',
    api: 'memmachine',
    targetUrl: SAMPLE_URLS.memmachineSelfHosted,
    operationId: 'searchMemories',
    caseId: 'echoed-content-search',
    step: 'search-again',
    message: 'Expected string of at most 65536 characters / Received a string of 100000 characters',
    pointer: '/content/episodic_memory/1/content',
    expected: { type: 'string', maxLength: 65_536 },
    actual: HOSTILE.huge,
    count: 1,
    curl: CURL_MEMMACHINE('{"query":"long upload","top_k":5}'),
  },
  {
    checkId: 'json-content-type',
    severity: 'info',
    api: 'memmachine',
    targetUrl: SAMPLE_URLS.memmachineSelfHosted,
    operationId: 'searchMemories',
    caseId: 'echoed-content-search',
    step: 'search',
    message: `Expected a charset parameter / Received ${HOSTILE.cdataEnd}${HOSTILE.controls}`,
    pointer: '/headers/content-type',
    expected: 'application/json; charset=utf-8',
    actual: `application/json${HOSTILE.cdataEnd}`,
    count: 1,
    curl: CURL_MEMMACHINE('{"query":"favourite food","top_k":5}'),
  },
  {
    checkId: 'result-limit-respected',
    severity: 'error',
    api: 'memmachine',
    targetUrl: SAMPLE_URLS.memmachineHosted,
    operationId: 'searchMemories',
    caseId: 'basic-search',
    step: 'request',
    message: 'Expected at most 5 memories / Received 7 (hosted target)',
    pointer: '/content/episodic_memory',
    expected: 5,
    actual: 7,
    count: 1,
    curl: CURL_MEMMACHINE_HOSTED('{"query":"favourite food","top_k":5}'),
  },
  {
    checkId: 'json-content-type',
    severity: 'warning',
    api: 'memmachine',
    targetUrl: SAMPLE_URLS.memmachineHosted,
    operationId: 'searchMemories',
    caseId: 'hosted-filtered-search',
    step: 'request',
    message: 'Expected content-type application/json / Received text/plain (hosted target)',
    pointer: '/headers/content-type',
    expected: 'application/json',
    actual: 'text/plain',
    count: 1,
    curl: CURL_MEMMACHINE_HOSTED('{"query":"favourite food","filter":"session_id=s1"}'),
  },
];

/** Builds a consistent report: check statistics and the summary block are derived from cases and findings. */
export function buildReport(input: {
  readonly failOn?: Report['failOn'];
  readonly targets: readonly TargetSummary[];
  readonly checks: readonly CheckInput[];
  readonly cases: readonly CaseSummary[];
  readonly findings: readonly Finding[];
}): Report {
  const rank = { info: 1, warning: 2, error: 3 } as const;
  const failOn = input.failOn ?? 'error';
  const checks: CheckSummary[] = input.checks.map((check) => {
    const outcomes = input.cases.flatMap((c) => c.outcomes.filter((o) => o.checkId === check.id));
    const casesVacuous = outcomes.filter((o) => o.status === 'vacuous').length;
    const casesChecked = outcomes.length - casesVacuous;
    const status: CheckSummary['status'] =
      check.status ?? (casesChecked > 0 ? 'exercised' : casesVacuous > 0 ? 'vacuous' : 'not-applicable');
    return {
      ...check,
      status,
      casesChecked,
      casesVacuous,
      findings: input.findings.filter((f) => f.checkId === check.id).length,
      vacuousReasons: casesVacuous > 0 ? check.vacuousReasons : [],
    };
  });
  const bySeverity = (s: Report['failOn']): number => input.findings.filter((f) => f.severity === s).length;
  const byStatus = (s: CheckSummary['status']): number => checks.filter((c) => c.status === s).length;
  return {
    reportVersion: REPORT_VERSION,
    tool: { name: 'memconform', version: '0.1.0' },
    startedAt: '2025-06-02T09:30:00.000Z',
    durationMs: input.cases.reduce((sum, c) => sum + c.durationMs, 0) + 250,
    failOn,
    targets: input.targets,
    summary: {
      cases: input.cases.length,
      requests: input.cases.reduce((sum, c) => sum + c.steps.length, 0),
      findings: { error: bySeverity('error'), warning: bySeverity('warning'), info: bySeverity('info') },
      checks: {
        exercised: byStatus('exercised'),
        vacuous: byStatus('vacuous'),
        notApplicable: byStatus('not-applicable'),
        excluded: byStatus('excluded'),
      },
      passed: input.findings.every((f) => rank[f.severity] < rank[failOn]),
    },
    checks,
    cases: input.cases,
    findings: input.findings,
    groups: groupFindings(input.findings),
  };
}

/** The full hostile sample: four targets (two of them memmachine), failing at `--fail-on error`. */
export const sampleReport: Report = buildReport({ targets, checks: checkTable, cases, findings });

/**
 * `sampleReport` with its targets, cases and findings in reverse order: a reporter must render it exactly as
 * the original (its output may not depend on the order of the report's arrays).
 */
export const reversedSampleReport: Report = {
  ...sampleReport,
  targets: [...sampleReport.targets].reverse(),
  cases: [...sampleReport.cases].reverse(),
  findings: [...sampleReport.findings].reverse(),
};

/**
 * A passing run against one target: warnings only (below `--fail-on error`) and one vacuous check, so the
 * "passed, but look at these" paths of every reporter are exercised.
 */
export const passingReport: Report = buildReport({
  targets: targets.filter((t) => t.api === 'memos'),
  checks: checkTable,
  cases: cases
    .filter((c) => c.api === 'memos' && c.id !== 'malformed-body-rejected' && c.id !== 'limit-respected')
    .map((c) =>
      c.id === 'basic-search'
        ? {
            ...c,
            outcomes: c.outcomes.map((o) =>
              o.status === 'failed' ? { ...o, status: 'passed' as const } : o,
            ),
          }
        : c,
    ),
  findings: findings.filter((f) => f.api === 'memos' && f.severity === 'warning'),
});

/**
 * Index of the first character XML 1.0 forbids (C0 controls other than tab, LF and CR; U+FFFE/U+FFFF;
 * lone surrogates), or -1. A function rather than a regular expression so the test sources hold no
 * control characters.
 */
export function firstXmlIllegal(text: string): number {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code >= 0xd800 && code <= 0xdbff) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        i++;
        continue;
      }
      return i;
    }
    if (code >= 0xdc00 && code <= 0xdfff) return i;
    if (
      (code < 0x20 && code !== 0x09 && code !== 0x0a && code !== 0x0d) ||
      code === 0xfffe ||
      code === 0xffff
    ) {
      return i;
    }
  }
  return -1;
}

/**
 * Index of the first raw control character a reader should never receive (C0 except tab and LF, DEL, C1,
 * bidi overrides and isolates), or -1.
 */
export function firstRawControl(text: string): number {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (
      (code < 0x20 && code !== 0x09 && code !== 0x0a) ||
      (code >= 0x7f && code <= 0x9f) ||
      (code >= 0x202a && code <= 0x202e) ||
      (code >= 0x2066 && code <= 0x2069)
    ) {
      return i;
    }
  }
  return -1;
}
