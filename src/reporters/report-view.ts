/**
 * How the reporters walk a finished report: identities of targets, cases and outcomes, stable orders, the
 * grouping by target and each case's verdict against `--fail-on`. Pure functions of the report.
 */
import { atOrAbove, severityOrder } from '../checks/severity.js';
import type { CaseSummary, Finding, Report, TargetSummary } from '../runner/report.js';
import { compareText } from './text.js';

/**
 * Identity of a target across the report: api and base URL (`Finding.targetUrl`, `CaseSummary.targetUrl`
 * and `TargetSummary.url` hold the same string). The api alone is not enough: memmachine runs twice.
 */
export function targetKey(api: string, url: string): string {
  return JSON.stringify([api, url]);
}

/** Identity of a case across the report (case ids are unique only within a target's operation). */
export function caseKey(api: string, targetUrl: string, operationId: string, caseId: string): string {
  return JSON.stringify([api, targetUrl, operationId, caseId]);
}

/** Identity of one (case, check) outcome. */
export function outcomeKey(
  api: string,
  targetUrl: string,
  operationId: string,
  caseId: string,
  checkId: string,
): string {
  return JSON.stringify([api, targetUrl, operationId, caseId, checkId]);
}

/**
 * What must be added to the api to tell a target apart from the report's other targets: nothing when it is
 * the only target of its api, its flavour when that is unique within the api, else flavour and URL. A URL
 * that names no target of the report is qualified by the URL alone.
 */
export function targetQualifier(report: Report, api: string, url: string): string[] {
  const sameApi = report.targets.filter((t) => t.api === api);
  const target = sameApi.find((t) => t.url === url);
  if (!target) return [url];
  if (sameApi.length === 1) return [];
  if (sameApi.filter((t) => t.flavour === target.flavour).length === 1) return [target.flavour];
  return [target.flavour, url];
}

/** A short name for a target that no other target of the report shares: "memos", "memmachine (hosted)". */
export function targetLabel(report: Report, api: string, url: string): string {
  const qualifier = targetQualifier(report, api, url);
  return qualifier.length === 0 ? api : `${api} (${qualifier.join(', ')})`;
}

/** Position of each check in the report's ordered check table (report order); unknown ids sort last. */
export function checkRanker(report: Report): (checkId: string) => number {
  const order = new Map(report.checks.map((c, i) => [c.id, i] as const));
  return (checkId) => order.get(checkId) ?? report.checks.length;
}

/**
 * Findings in a stable order: check table order, api, target URL, operation, case, severity, step,
 * pointer, message.
 */
export function sortFindings(report: Report, findings: readonly Finding[]): Finding[] {
  const rank = checkRanker(report);
  return [...findings].sort(
    (a, b) =>
      rank(a.checkId) - rank(b.checkId) ||
      compareText(a.checkId, b.checkId) ||
      compareText(a.api, b.api) ||
      compareText(a.targetUrl, b.targetUrl) ||
      compareText(a.operationId, b.operationId) ||
      compareText(a.caseId, b.caseId) ||
      severityOrder(a.severity) - severityOrder(b.severity) ||
      compareText(a.step, b.step) ||
      compareText(a.pointer ?? '', b.pointer ?? '') ||
      compareText(a.message, b.message),
  );
}

/** Cases in a stable order: api, target URL, operation, case id. */
export function sortCases(cases: readonly CaseSummary[]): CaseSummary[] {
  return [...cases].sort(
    (a, b) =>
      compareText(a.api, b.api) ||
      compareText(a.targetUrl, b.targetUrl) ||
      compareText(a.operationId, b.operationId) ||
      compareText(a.id, b.id),
  );
}

/** A target with the cases run against it and the findings that came from it. */
export interface TargetGroup {
  /** Undefined for cases/findings whose api and URL name no target of the report (kept so nothing is dropped). */
  readonly target: TargetSummary | undefined;
  readonly api: string;
  /** The target's URL (`TargetSummary.url`, or the `targetUrl` of the cases/findings of an unknown target). */
  readonly url: string;
  /** Sorted by `sortCases`. */
  readonly cases: readonly CaseSummary[];
  /** Sorted by `sortFindings`. */
  readonly findings: readonly Finding[];
}

/**
 * Groups cases and findings by target (api + URL), targets sorted by api, flavour and URL; cases and
 * findings naming no target of the report follow in groups of their own, sorted by api and URL. A target
 * listed twice (same api and URL) gets its cases once, in the first group.
 */
export function groupByTarget(report: Report): TargetGroup[] {
  const targets = [...report.targets].sort(
    (a, b) => compareText(a.api, b.api) || compareText(a.flavour, b.flavour) || compareText(a.url, b.url),
  );
  const casesBy = new Map<string, CaseSummary[]>();
  for (const c of sortCases(report.cases)) {
    const key = targetKey(c.api, c.targetUrl);
    casesBy.set(key, [...(casesBy.get(key) ?? []), c]);
  }
  const findingsBy = new Map<string, Finding[]>();
  for (const f of sortFindings(report, report.findings)) {
    const key = targetKey(f.api, f.targetUrl);
    findingsBy.set(key, [...(findingsBy.get(key) ?? []), f]);
  }
  const take = <T>(map: Map<string, T[]>, key: string): T[] => {
    const found = map.get(key) ?? [];
    map.delete(key);
    return found;
  };
  const groups: TargetGroup[] = targets.map((target) => {
    const key = targetKey(target.api, target.url);
    return {
      target,
      api: target.api,
      url: target.url,
      cases: take(casesBy, key),
      findings: take(findingsBy, key),
    };
  });
  const orphans = [...new Set([...casesBy.keys(), ...findingsBy.keys()])]
    .map((key) => JSON.parse(key) as [string, string])
    .sort(([apiA, urlA], [apiB, urlB]) => compareText(apiA, apiB) || compareText(urlA, urlB));
  for (const [api, url] of orphans) {
    const key = targetKey(api, url);
    groups.push({ target: undefined, api, url, cases: take(casesBy, key), findings: take(findingsBy, key) });
  }
  return groups;
}

/** How one case fared against `--fail-on`. */
export type CaseVerdict = 'failed' | 'below-fail-on' | 'vacuous' | 'passed';

/**
 * failed: a finding at or above `failOn` (or a failed outcome the report has no finding for);
 * below-fail-on: only findings below it; vacuous: every outcome was vacuous; otherwise passed.
 */
export function caseVerdict(report: Report, suiteCase: CaseSummary): CaseVerdict {
  const key = caseKey(suiteCase.api, suiteCase.targetUrl, suiteCase.operationId, suiteCase.id);
  const found = report.findings.filter((f) => caseKey(f.api, f.targetUrl, f.operationId, f.caseId) === key);
  const failedWithout = suiteCase.outcomes.some(
    (o) => o.status === 'failed' && !found.some((f) => f.checkId === o.checkId),
  );
  if (failedWithout || found.some((f) => atOrAbove(f.severity, report.failOn))) return 'failed';
  if (found.length > 0) return 'below-fail-on';
  if (suiteCase.outcomes.length > 0 && suiteCase.outcomes.every((o) => o.status === 'vacuous'))
    return 'vacuous';
  return 'passed';
}

/** Why a report covers less than the whole run, as every reporter words it. */
export interface StopReason {
  /** `MC_ERR_*` for a target error, `interrupted` for SIGINT/SIGTERM. */
  readonly code: string;
  /** A short heading: "stopped early" or "interrupted". */
  readonly title: string;
  readonly message: string;
}

/** The stop reason of a run that did not finish (target error first, then interruption); undefined otherwise. */
export function stopReason(report: Report): StopReason | undefined {
  if (report.error) {
    return {
      code: report.error.code,
      title: 'stopped early',
      message: `${sentence(report.error.message)} The cases and findings below are those finished before it stopped.`,
    };
  }
  if (report.interrupted) {
    return {
      code: 'interrupted',
      title: 'interrupted',
      message:
        'SIGINT or SIGTERM stopped the run; the cases and findings below are those finished before it.',
    };
  }
  return undefined;
}

/** `text` ending as a sentence does, so another sentence can follow it. */
function sentence(text: string): string {
  return /[.!?]$/.test(text) ? text : `${text}.`;
}
