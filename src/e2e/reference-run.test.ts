/**
 * End to end: the BUILT CLI's main job — `memconform run` without --target, which starts the built-in
 * reference implementation in-process and runs every suite against its four targets. The reference keeps
 * every rule, so the run must pass with no finding at any severity, and it must prove something: every
 * check is exercised, except those not applicable for a documented reason.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHECKS } from '../checks/index.js';
import type { Report } from '../runner/report.js';
import { type CliResult, ensureBuilt, runCli } from '../testing/built-cli.js';

/**
 * Checks the default run cannot exercise, and why. Assert exactly this list: a new check that ends up
 * vacuous or not applicable against the reference needs a suite case (or a reason here).
 */
const NOT_APPLICABLE: Readonly<Record<string, string>> = {
  'required-headers-present': 'no spec marks a response header required',
};

let work: string;
let jsonRun: CliResult;
let consoleRun: CliResult;
let report: Report;

beforeAll(async () => {
  await ensureBuilt();
  work = mkdtempSync(join(tmpdir(), 'mc-reference-run-'));
  const out = join(work, 'reports');
  [jsonRun, consoleRun] = await Promise.all([
    runCli(['run', '--reporter', 'json', '--out', out], { cwd: work }),
    runCli(['run', '--reporter', 'console'], { cwd: work }),
  ]);
  report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as Report;
}, 180_000);

afterAll(() => {
  rmSync(work, { recursive: true, force: true });
});

describe('memconform run without --target (the built-in reference)', () => {
  it('exits 0 and writes only the JSON report', () => {
    expect(jsonRun.stderr).toBe(`memconform: wrote reports/report.json\n`);
    expect(jsonRun.code).toBe(0);
    expect(jsonRun.stdout).toBe('');
  });

  it('tests the four built-in targets', () => {
    expect(
      report.targets.map(({ api, flavour, authRequired, builtIn }) => ({
        api,
        flavour,
        authRequired,
        builtIn,
      })),
    ).toEqual([
      { api: 'memos', flavour: 'hosted', authRequired: true, builtIn: true },
      { api: 'mem0', flavour: 'hosted', authRequired: true, builtIn: true },
      { api: 'memmachine', flavour: 'hosted', authRequired: true, builtIn: true },
      { api: 'memmachine', flavour: 'self-hosted', authRequired: false, builtIn: true },
    ]);
    for (const target of report.targets) expect(target.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+/);
    const apis = new Set(report.cases.map((c) => c.api));
    expect([...apis].sort()).toEqual(['mem0', 'memmachine', 'memos']);
  });

  it('reports no finding at any severity', () => {
    expect(report.findings).toEqual([]);
    expect(report.summary.findings).toEqual({ error: 0, warning: 0, info: 0 });
    expect(report.summary.passed).toBe(true);
    expect(report.cases.flatMap((c) => c.outcomes.filter((o) => o.status === 'failed'))).toEqual([]);
  });

  it('exercises every check but the documented not-applicable ones', () => {
    const statuses = Object.fromEntries(report.checks.map((check) => [check.id, check.status]));
    const expected = Object.fromEntries(
      CHECKS.map((check) => [check.id, check.id in NOT_APPLICABLE ? 'not-applicable' : 'exercised']),
    );
    expect(statuses).toEqual(expected);
    expect(report.summary.checks).toEqual({
      exercised: CHECKS.length - Object.keys(NOT_APPLICABLE).length,
      vacuous: 0,
      notApplicable: Object.keys(NOT_APPLICABLE).length,
      excluded: 0,
    });
  });

  it('says "0 vacuous" in the console summary', () => {
    expect(consoleRun.code).toBe(0);
    expect(consoleRun.stderr).toBe('');
    const exercised = CHECKS.length - Object.keys(NOT_APPLICABLE).length;
    expect(consoleRun.stdout).toContain(
      `Checks: ${exercised} exercised, 0 vacuous, ${Object.keys(NOT_APPLICABLE).length} not applicable, 0 excluded\n`,
    );
    expect(consoleRun.stdout).toContain('Findings: 0 errors, 0 warnings, 0 info\n');
  });
});
