import { describe, expect, it } from 'vitest';
import { groupFindings } from '../runner/findings.js';
import { type Finding, REPORT_VERSION, type Report } from '../runner/report.js';
import { consoleReporter, terminalSafe } from './console.js';

const finding = (overrides: Partial<Finding> = {}): Finding => ({
  checkId: 'response-schema-conformance',
  severity: 'error',
  api: 'mem0',
  operationId: 'searchMemories',
  caseId: 'basic',
  step: 'request',
  message: 'Expected integer / Received string "\u001b[31mred\u001b[0m\u0007"',
  pointer: '/0/created',
  count: 3,
  curl: "curl -sS -X POST 'http://127.0.0.1:1/v1/memories/search/'",
  targetUrl: 'http://127.0.0.1:1',
  ...overrides,
});

function report(findings: Finding[], passed: boolean, vacuous = false): Report {
  return {
    reportVersion: REPORT_VERSION,
    tool: { name: 'memconform', version: '1.2.3' },
    startedAt: '2026-01-01T00:00:00.000Z',
    durationMs: 1234,
    failOn: 'error',
    targets: [
      { api: 'mem0', url: 'http://127.0.0.1:1', flavour: 'hosted', authRequired: true, builtIn: false },
    ],
    summary: {
      cases: 2,
      requests: 3,
      findings: { error: findings.filter((f) => f.severity === 'error').length, warning: 0, info: 0 },
      checks: { exercised: 1, vacuous: vacuous ? 1 : 0, notApplicable: 0, excluded: 0 },
      passed,
    },
    checks: [
      {
        id: 'response-schema-conformance',
        title: 'Response matches schema',
        description: 'd',
        category: 'schema',
        severity: 'error',
        status: 'exercised',
        casesChecked: 2,
        casesVacuous: 0,
        findings: findings.length,
        vacuousReasons: [],
      },
      ...(vacuous
        ? [
            {
              id: 'result-limit-respected',
              title: 'Limit',
              description: 'd',
              category: 'behaviour' as const,
              severity: 'error' as const,
              status: 'vacuous' as const,
              casesChecked: 0,
              casesVacuous: 2,
              findings: 0,
              vacuousReasons: ['only empty result lists'],
            },
          ]
        : []),
    ],
    cases: [],
    findings,
    groups: groupFindings(findings),
  };
}

const withFindings = (findings: Finding[]) => ({ findings, groups: groupFindings(findings) });

describe('console reporter', () => {
  it('groups findings per target and check, with counts, replay line and verdict', () => {
    const text = consoleReporter.render(report([finding()], false), { color: false });
    expect(text).toContain('memconform 1.2.3 · 1 target · 2 cases · 3 requests · 1.2 s');
    expect(text).toContain('mem0  http://127.0.0.1:1  (hosted, auth required)');
    expect(text).toContain('✗ response-schema-conformance — Response matches schema  error  1 finding');
    expect(text).toContain('searchMemories  /*/created');
    expect(text).toContain('Expected integer / Received string "red" (×3)');
    expect(text).toContain('basic › request  /0/created');
    expect(text).toContain("replay: curl -sS -X POST 'http://127.0.0.1:1/v1/memories/search/'");
    expect(text).toContain('FAIL — 1 finding at or above error');
    expect(text.includes('\u001b') || text.includes('\u0007')).toBe(false);
  });

  it('shows one root cause over many cases as one group: evidence, every example case with its replay line', () => {
    const cases = ['a', 'b', 'c', 'd', 'e', 'f', 'g'].map((id, i) =>
      finding({
        caseId: `case-${id}`,
        message: `Expected number / Received string "0.${i}"`,
        pointer: `/${i}/score`,
        count: 1,
        curl: `curl -sS 'http://127.0.0.1:1/${id}'`,
        evidence: { status: 200, statusText: 'OK', contentType: 'application/json', bodyExcerpt: '{}' },
      }),
    );
    const text = consoleReporter.render(
      { ...report(cases, false), ...withFindings(cases) },
      { color: false },
    );
    expect(text).toContain('7 findings');
    expect(text).toContain('searchMemories  /*/score  in 7 cases');
    expect(text).toContain('Expected number / Received string "0.0" (×7)');
    expect(text).toContain('answer: 200 OK · application/json');
    for (const id of ['a', 'b', 'c', 'd', 'e']) {
      expect(text).toContain(
        `case-${id} › request  /${'abcdefg'.indexOf(id)}/score\n          replay: curl -sS 'http://127.0.0.1:1/${id}'`,
      );
    }
    expect(text).not.toContain('case-f');
    expect(text).toContain('… and 2 more cases (see the JSON report)');
  });

  it('shows vacuous checks with a hint and passes cleanly', () => {
    const text = consoleReporter.render(report([], true, true), { color: false });
    expect(text).toContain('✓ no findings');
    expect(text).toContain('Checks: 1 exercised, 1 vacuous, 0 not applicable, 0 excluded');
    expect(text).toContain('~ result-limit-respected: only empty result lists');
    expect(text).toContain('point --user-id');
    expect(text).toContain('PASS — no findings at or above error');
  });

  it('lists each finding under its own target when two targets share an api', () => {
    const hostedUrl = 'https://api.memmachine.ai';
    const selfUrl = 'http://127.0.0.1:2/api';
    const base = report([], false);
    const text = consoleReporter.render(
      {
        ...base,
        targets: [
          { api: 'memmachine', url: hostedUrl, flavour: 'hosted', authRequired: true, builtIn: false },
          { api: 'memmachine', url: selfUrl, flavour: 'self-hosted', authRequired: false, builtIn: true },
        ],
        ...withFindings([
          finding({ api: 'memmachine', targetUrl: selfUrl, caseId: 'self-case', message: 'self finding' }),
          finding({
            api: 'memmachine',
            targetUrl: hostedUrl,
            caseId: 'hosted-case',
            message: 'hosted finding',
          }),
        ]),
      },
      { color: false },
    );
    const hosted = text.slice(
      text.indexOf(`memmachine  ${hostedUrl}`),
      text.indexOf(`memmachine  ${selfUrl}`),
    );
    const selfHosted = text.slice(text.indexOf(`memmachine  ${selfUrl}`), text.indexOf('Checks:'));
    expect(hosted).toContain('(hosted, auth required)');
    expect(hosted).toContain('hosted-case');
    expect(hosted).toContain('hosted finding');
    expect(hosted).not.toContain('self');
    expect(selfHosted).toContain('(self-hosted, no auth, built-in reference)');
    expect(selfHosted).toContain('self-case');
    expect(selfHosted).toContain('self finding');
    expect(selfHosted).not.toContain('hosted-case');
    // A finding of a target the report does not list is shown under none of them.
    const stray = consoleReporter.render(
      { ...base, ...withFindings([finding({ targetUrl: 'http://127.0.0.1:3' })]) },
      { color: false },
    );
    expect(stray).toContain('✓ no findings');
  });

  it('colours only when asked', () => {
    expect(consoleReporter.render(report([finding()], false), { color: true })).toContain('\u001b[31m');
    expect(consoleReporter.render(report([finding()], false), { color: false })).not.toContain('\u001b[');
  });

  it('strips escape sequences, control and bidi characters from target text', () => {
    expect(terminalSafe('a\u001b]8;;http://evil\u0007link\u001b]8;;\u0007b\r\nc\u202ed\u0000')).toBe(
      'alinkb cd',
    );
    expect(terminalSafe('x'.repeat(400)).length).toBe(301);
  });
});
