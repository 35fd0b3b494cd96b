import { atOrAbove } from '../checks/severity.js';
import type { CheckInfo, RunEvent, RunStartEvent } from './events.js';
import { countBySeverity, groupFindings } from './findings.js';
import type { CaseSummary, CheckSummary, Finding, Report, RunError } from './report.js';
import { REPORT_VERSION } from './report.js';

/**
 * The subscriber that builds the report from the event stream. `report()` can be called at any point: after
 * `run-end` it is the full report, before it (an interrupted or stopped run) the report of the cases that
 * finished. Cases and findings are put back in plan order, so the report does not depend on concurrency.
 */
export class ReportCollector {
  private start: RunStartEvent | undefined;
  private readonly cases = new Map<number, CaseSummary>();
  private readonly findings = new Map<number, Finding[]>();
  private readonly targetDurations = new Map<string, number>();

  /** The listener to subscribe. */
  readonly listener = (event: RunEvent): void => {
    switch (event.type) {
      case 'run-start':
        this.start = event;
        break;
      case 'finding':
        this.findings.set(event.caseIndex, [...(this.findings.get(event.caseIndex) ?? []), event.finding]);
        break;
      case 'case-end':
        this.cases.set(event.index, event.case);
        break;
      case 'target-end':
        this.targetDurations.set(`${event.target.api} ${event.target.url}`, event.durationMs);
        break;
      default:
        break;
    }
  };

  /**
   * The report of everything seen so far; `durationMs` is the run's wall-clock time. `stopped` marks a run
   * that did not finish: interrupted by a signal, or stopped by a target error.
   */
  report(durationMs: number, stopped: { interrupted?: boolean; error?: RunError } = {}): Report {
    const start = this.start;
    if (!start) throw new Error('ReportCollector.report() called before run-start');
    const indices = [...this.cases.keys()].sort((a, b) => a - b);
    const cases = indices.map((i) => this.cases.get(i) as CaseSummary);
    const inPlanOrder = indices.flatMap((i) => this.findings.get(i) ?? []);
    const findings = start.checks.flatMap((check) => inPlanOrder.filter((f) => f.checkId === check.id));
    const checks = start.checks.map((check) => summarizeCheck(check, cases, findings));
    const severities = countBySeverity(findings);
    return {
      reportVersion: REPORT_VERSION,
      tool: start.tool,
      startedAt: start.startedAt,
      durationMs,
      failOn: start.failOn,
      ...(stopped.interrupted ? { interrupted: true as const } : {}),
      ...(stopped.error ? { error: stopped.error } : {}),
      targets: start.targets.map((target) => {
        const durationMs = this.targetDurations.get(`${target.api} ${target.url}`);
        return durationMs === undefined ? target : { ...target, durationMs };
      }),
      summary: {
        cases: cases.length,
        requests: cases.reduce((n, c) => n + c.steps.length, 0),
        findings: severities,
        checks: {
          exercised: checks.filter((c) => c.status === 'exercised').length,
          vacuous: checks.filter((c) => c.status === 'vacuous').length,
          notApplicable: checks.filter((c) => c.status === 'not-applicable').length,
          excluded: checks.filter((c) => c.status === 'excluded').length,
        },
        passed:
          !stopped.interrupted &&
          stopped.error === undefined &&
          !findings.some((f) => atOrAbove(f.severity, start.failOn)),
      },
      checks,
      cases,
      findings,
      groups: groupFindings(findings),
    };
  }
}

function summarizeCheck(
  check: CheckInfo,
  cases: readonly CaseSummary[],
  findings: readonly Finding[],
): CheckSummary {
  let checked = 0;
  let vacuousCount = 0;
  const reasons = new Set<string>();
  for (const summary of cases) {
    for (const outcome of summary.outcomes) {
      if (outcome.checkId !== check.id) continue;
      if (outcome.status === 'vacuous') {
        vacuousCount += 1;
        if (outcome.reason !== undefined) reasons.add(outcome.reason);
      } else checked += 1;
    }
  }
  const status: CheckSummary['status'] = check.excluded
    ? 'excluded'
    : checked > 0
      ? 'exercised'
      : vacuousCount > 0
        ? 'vacuous'
        : 'not-applicable';
  return {
    id: check.id,
    title: check.title,
    description: check.description,
    category: check.category,
    severity: check.severity,
    status,
    casesChecked: checked,
    casesVacuous: vacuousCount,
    findings: findings.filter((f) => f.checkId === check.id).length,
    vacuousReasons: [...reasons],
  };
}
