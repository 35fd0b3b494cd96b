/**
 * JUnit XML in the de-facto schema CI systems read (GitHub Actions test reporters, GitLab, Jenkins): one
 * <testsuite> per target, one <testcase> per (case, check) outcome. Findings at or above `--fail-on` are
 * <failure>s; findings below it leave the testcase passing and are printed in <system-out>; vacuous outcomes
 * are <skipped> so a CI summary shows that they proved nothing.
 */

import { atOrAbove } from '../checks/severity.js';
import type { CaseSummary, Finding, Report } from '../runner/report.js';
import { escapeXmlAttr, escapeXmlText } from './escape.js';
import {
  caseKey,
  checkRanker,
  groupByTarget,
  outcomeKey,
  sortFindings,
  stopReason,
  targetLabel,
  targetQualifier,
} from './report-view.js';
import { seedLines } from './seed.js';
import { capText, compareText, formatValue, plural } from './text.js';
import type { Reporter } from './types.js';

/** Longest value (message, pointer, expected, actual, curl) written into the XML before it is cut. */
export const JUNIT_VALUE_CAP = 4_000;

interface TestCase {
  readonly classname: string;
  readonly name: string;
  readonly operationId: string;
  readonly caseId: string;
  readonly checkId: string;
  /** This testcase's share of its case's duration. */
  readonly ms: number;
  /** Findings at or above `failOn`. */
  readonly failing: readonly Finding[];
  /** Findings below `failOn`. */
  readonly notes: readonly Finding[];
  /** The outcome said failed but the report carries no finding for it. */
  readonly failedWithoutFinding: boolean;
  readonly vacuousReason: string | undefined;
  readonly transportFailures: readonly string[];
  /** Why the run stopped early (the run's own testcase only): an <error>, so CI shows the run did not finish. */
  readonly error?: { readonly type: string; readonly message: string };
}

const cap = (text: string): string => capText(text, JUNIT_VALUE_CAP);

const seconds = (ms: number): string => (Number.isFinite(ms) ? Math.max(0, ms) / 1000 : 0).toFixed(3);

/** The readable text of one finding, used in <failure> bodies and <system-out>. */
function findingText(finding: Finding): string {
  const lines = [`[${finding.severity}] ${cap(finding.message)}`, `  step:     ${cap(finding.step)}`];
  if (finding.pointer !== undefined) lines.push(`  pointer:  ${cap(finding.pointer)}`);
  if (finding.expected !== undefined) lines.push(`  expected: ${cap(formatValue(finding.expected))}`);
  if (finding.actual !== undefined) lines.push(`  actual:   ${cap(formatValue(finding.actual))}`);
  if (finding.count !== 1) lines.push(`  count:    ${finding.count}`);
  lines.push(`  replay:   ${cap(finding.curl)}`);
  return lines.join('\n');
}

function transportFailures(suiteCase: CaseSummary): string[] {
  return suiteCase.steps
    .filter((step) => step.failure !== undefined)
    .map(
      (step) =>
        `step ${step.name}: ${step.method} ${cap(step.url)} got no response (${step.failure?.kind}: ${cap(step.failure?.message ?? '')})`,
    );
}

/** Findings by (case, check) outcome; reporters take them out as they place them, so none is lost or doubled. */
type FindingPool = Map<string, Finding[]>;

function findingPool(report: Report): FindingPool {
  const pool: FindingPool = new Map();
  for (const finding of sortFindings(report, report.findings)) {
    const key = outcomeKey(
      finding.api,
      finding.targetUrl,
      finding.operationId,
      finding.caseId,
      finding.checkId,
    );
    pool.set(key, [...(pool.get(key) ?? []), finding]);
  }
  return pool;
}

function buildTestCases(report: Report, cases: readonly CaseSummary[], pool: FindingPool): TestCase[] {
  const rank = checkRanker(report);
  // Reports from before per-outcome reasons carry only the check's reasons over the whole run.
  const checkReasons = new Map(
    report.checks.map((c) => [c.id, c.vacuousReasons.length > 0 ? c.vacuousReasons.join('; ') : undefined]),
  );
  const testCases: TestCase[] = [];
  const make = (
    suiteCase: Pick<CaseSummary, 'api' | 'targetUrl' | 'operationId' | 'id'>,
    outcome: CaseSummary['outcomes'][number],
    msEach: number,
    failures: readonly string[],
  ): void => {
    const { checkId, status } = outcome;
    const key = outcomeKey(suiteCase.api, suiteCase.targetUrl, suiteCase.operationId, suiteCase.id, checkId);
    const found = pool.get(key) ?? [];
    pool.delete(key);
    // The classname names the target too when the report has another target of the same api, so CI tools
    // that merge testcases by classname and name keep the two memmachine targets apart.
    const classname = [
      'memconform',
      suiteCase.api,
      ...targetQualifier(report, suiteCase.api, suiteCase.targetUrl),
      suiteCase.operationId,
    ].join('.');
    testCases.push({
      classname,
      name: `${suiteCase.id} › ${checkId}`,
      operationId: suiteCase.operationId,
      caseId: suiteCase.id,
      checkId,
      ms: msEach,
      failing: found.filter((f) => atOrAbove(f.severity, report.failOn)),
      notes: found.filter((f) => !atOrAbove(f.severity, report.failOn)),
      failedWithoutFinding: status === 'failed' && found.length === 0,
      vacuousReason:
        status === 'vacuous'
          ? (outcome.reason ?? checkReasons.get(checkId) ?? 'the check had nothing to judge')
          : undefined,
      transportFailures: failures,
    });
  };

  const inGroup = new Set(cases.map((c) => caseKey(c.api, c.targetUrl, c.operationId, c.id)));
  for (const suiteCase of cases) {
    // Each outcome gets an equal share of the case's time, so the suite's total matches the run.
    const share = suiteCase.durationMs / Math.max(1, suiteCase.outcomes.length);
    const failures = transportFailures(suiteCase);
    for (const outcome of suiteCase.outcomes) make(suiteCase, outcome, share, failures);
  }
  // A finding whose case is here but whose check has no outcome still becomes a testcase of its own.
  for (const found of [...pool.values()]) {
    const first = found[0];
    if (first && inGroup.has(caseKey(first.api, first.targetUrl, first.operationId, first.caseId))) {
      make(
        { api: first.api, targetUrl: first.targetUrl, operationId: first.operationId, id: first.caseId },
        { checkId: first.checkId, status: 'failed' },
        0,
        [],
      );
    }
  }
  return testCases.sort(
    (a, b) =>
      compareText(a.classname, b.classname) ||
      compareText(a.caseId, b.caseId) ||
      rank(a.checkId) - rank(b.checkId) ||
      compareText(a.checkId, b.checkId),
  );
}

function renderTestCase(test: TestCase): string[] {
  const open = `    <testcase classname="${escapeXmlAttr(test.classname)}" name="${escapeXmlAttr(test.name)}" time="${seconds(test.ms)}"`;
  const children: string[] = [];
  const first = test.failing[0];
  if (test.error !== undefined) {
    const { type, message } = test.error;
    children.push(
      `      <error message="${escapeXmlAttr(cap(message))}" type="${escapeXmlAttr(type)}">${escapeXmlText(cap(message))}</error>`,
    );
  } else if (first !== undefined) {
    const message =
      test.failing.length === 1
        ? first.message
        : `${plural(test.failing.length, 'finding')}; first: ${first.message}`;
    const body = test.failing.map(findingText).join('\n\n');
    children.push(
      `      <failure message="${escapeXmlAttr(cap(message))}" type="${escapeXmlAttr(test.checkId)}">${escapeXmlText(body)}</failure>`,
    );
  } else if (test.failedWithoutFinding) {
    const message = 'the check reported a failure but the report carries no finding for it';
    children.push(
      `      <failure message="${escapeXmlAttr(message)}" type="${escapeXmlAttr(test.checkId)}">${escapeXmlText(message)}</failure>`,
    );
  } else if (test.vacuousReason !== undefined) {
    children.push(`      <skipped message="${escapeXmlAttr(cap(`vacuous: ${test.vacuousReason}`))}"/>`);
  }
  if (test.notes.length > 0) {
    const text = `Below --fail-on (the testcase passes):\n\n${test.notes.map(findingText).join('\n\n')}`;
    children.push(`      <system-out>${escapeXmlText(text)}</system-out>`);
  }
  if (test.transportFailures.length > 0) {
    children.push(`      <system-err>${escapeXmlText(test.transportFailures.join('\n'))}</system-err>`);
  }
  return children.length === 0 ? [`${open}/>`] : [`${open}>`, ...children, '    </testcase>'];
}

interface Counts {
  tests: number;
  failures: number;
  errors: number;
  skipped: number;
  ms: number;
}

function count(tests: readonly TestCase[]): Counts {
  return {
    tests: tests.length,
    failures: tests.filter((t) => !t.error && (t.failing.length > 0 || t.failedWithoutFinding)).length,
    errors: tests.filter((t) => t.error).length,
    skipped: tests.filter(
      (t) => !t.error && t.failing.length === 0 && !t.failedWithoutFinding && t.vacuousReason,
    ).length,
    ms: tests.reduce((sum, t) => sum + t.ms, 0),
  };
}

const countAttrs = (c: Counts): string =>
  `tests="${c.tests}" failures="${c.failures}" errors="${c.errors}" skipped="${c.skipped}" time="${seconds(c.ms)}"`;

/** Renders the report as JUnit XML (deterministic apart from the timestamp and times the report carries). */
export function renderJunit(report: Report): string {
  const pool = findingPool(report);
  const suites = groupByTarget(report).map((group) => {
    const tests = buildTestCases(report, group.cases, pool);
    const target = group.target;
    const name = !target
      ? `${group.api} ${group.url} (no target in report)`
      : targetQualifier(report, target.api, target.url).length > 1
        ? targetLabel(report, target.api, target.url)
        : `${target.api} (${target.flavour})`;
    const properties = target
      ? [
          ['api', target.api],
          ['flavour', target.flavour],
          ['url', target.url],
          ['authRequired', String(target.authRequired)],
          ['builtIn', String(target.builtIn)],
        ]
      : [
          ['api', group.api],
          ['url', group.url],
        ];
    return { name, properties, tests, ms: target?.durationMs };
  });
  // Findings that match no case of the report: one more suite, so nothing the run found is dropped.
  if (pool.size > 0) {
    const orphanCases = [...pool.values()].flatMap((found) =>
      found[0] === undefined
        ? []
        : [
            {
              api: found[0].api,
              targetUrl: found[0].targetUrl,
              operationId: found[0].operationId,
              id: found[0].caseId,
              checkId: found[0].checkId,
            },
          ],
    );
    const tests: TestCase[] = [];
    for (const c of orphanCases) {
      tests.push(
        ...buildTestCases(
          report,
          [
            {
              ...c,
              description: '',
              suiteFile: '',
              steps: [],
              outcomes: [{ checkId: c.checkId, status: 'failed' }],
              durationMs: 0,
            },
          ],
          pool,
        ),
      );
    }
    suites.push({ name: 'findings without a case', properties: [], tests, ms: undefined });
  }
  const stopped = runStopped(report);
  if (stopped) suites.push({ name: 'memconform run', properties: [], tests: [stopped], ms: undefined });

  const total = count(suites.flatMap((s) => s.tests));
  const timestamp = escapeXmlAttr(report.startedAt);
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="memconform" ${countAttrs({ ...total, ms: report.durationMs })} timestamp="${timestamp}">`,
  ];
  // The seed section and recall figure of a seeded run ride along as properties of the run.
  const seed = seedLines(report);
  if (seed.length > 0) {
    lines.push('  <properties>');
    seed.forEach((line, index) => {
      lines.push(`    <property name="memconform.seed.${index}" value="${escapeXmlAttr(line)}"/>`);
    });
    lines.push('  </properties>');
  }
  suites.forEach((suite, index) => {
    lines.push(
      // Wall-clock time of the target when the report has it: cases run in parallel, so their sum overstates it.
      `  <testsuite name="${escapeXmlAttr(suite.name)}" id="${index}" ${countAttrs({ ...count(suite.tests), ...(suite.ms === undefined ? {} : { ms: suite.ms }) })} timestamp="${timestamp}">`,
    );
    if (suite.properties.length > 0) {
      lines.push('    <properties>');
      for (const [name, value] of suite.properties) {
        lines.push(
          `      <property name="${escapeXmlAttr(name ?? '')}" value="${escapeXmlAttr(value ?? '')}"/>`,
        );
      }
      lines.push('    </properties>');
    }
    for (const test of suite.tests) lines.push(...renderTestCase(test));
    lines.push('  </testsuite>');
  });
  lines.push('</testsuites>', '');
  return lines.join('\n');
}

/** The errored testcase of a run that did not finish (target error or interruption), or undefined. */
function runStopped(report: Report): TestCase | undefined {
  const reason = stopReason(report);
  if (!reason) return undefined;
  const name = `run ${reason.title}`;
  return {
    classname: 'memconform.run',
    name,
    operationId: '',
    caseId: name,
    checkId: '',
    ms: 0,
    failing: [],
    notes: [],
    failedWithoutFinding: false,
    vacuousReason: undefined,
    transportFailures: [],
    error: { type: reason.code, message: reason.message },
  };
}

/** JUnit XML for CI systems, written to `junit.xml`. */
export const junitReporter: Reporter = {
  name: 'junit',
  fileName: 'junit.xml',
  description: 'JUnit XML for CI test reporters: one testsuite per target, one testcase per case and check',
  render: (report) => renderJunit(report),
};
