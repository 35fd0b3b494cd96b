import { atOrAbove } from '../checks/severity.js';
import type { FindingGroup, Report } from '../runner/report.js';
import { terminalSafe } from './console.js';
import { targetLabel } from './report-view.js';

/** GitHub shows at most 10 error and 10 warning annotations per step and 50 per job; more is noise. */
export const GITHUB_MAX_ANNOTATIONS = 50;

const COMMAND = { error: 'error', warning: 'warning', info: 'notice' } as const;

/** Workflow-command data: `%`, CR and LF encoded, as the runner decodes them. */
function escapeData(text: string): string {
  return text.replaceAll('%', '%25').replaceAll('\r', '%0D').replaceAll('\n', '%0A');
}

/** Workflow-command property values: also `:` and `,`, which would end the value. */
function escapeProperty(text: string): string {
  return escapeData(text).replaceAll(':', '%3A').replaceAll(',', '%2C');
}

function annotation(report: Report, group: FindingGroup): string {
  const first = group.examples[0];
  const more = group.cases > 1 ? ` (+${group.cases - 1} more case${group.cases === 2 ? '' : 's'})` : '';
  const title = `memconform ${group.checkId}: ${first?.caseId ?? group.operationId}${more}`;
  const where = `${targetLabel(report, group.api, group.targetUrl)} ${group.targetUrl} › ${group.operationId}`;
  const lines = [
    `${where}${group.pointer === undefined ? '' : ` at ${group.pointer}`}: ${group.message}`,
    `${group.count} occurrence${group.count === 1 ? '' : 's'} in ${group.cases} case${group.cases === 1 ? '' : 's'}: ${group.examples.map((e) => e.caseId).join(', ')}${group.cases > group.examples.length ? ', …' : ''}`,
    ...(first === undefined ? [] : [`Replay: ${first.curl}`]),
  ];
  // Target text is terminal-cleaned: a log line must not carry escape sequences or a forged `::` command.
  const message = lines.map((line) => terminalSafe(line, 2_000)).join('\n');
  return `::${COMMAND[group.severity]} title=${escapeProperty(terminalSafe(title, 200))}::${escapeData(message)}`;
}

/**
 * GitHub Actions workflow commands for the run: one `::error` / `::warning` / `::notice` per root cause (most
 * severe first, at most GITHUB_MAX_ANNOTATIONS), each titled with the check and a case, then one summary line.
 */
export function renderGithubAnnotations(report: Report): string {
  const rank = { error: 0, warning: 1, info: 2 } as const;
  const groups = [...report.groups].sort((a, b) => rank[a.severity] - rank[b.severity]);
  const shown = groups.slice(0, GITHUB_MAX_ANNOTATIONS);
  const lines = shown.map((group) => annotation(report, group));
  const f = report.summary.findings;
  const failing = report.findings.filter((x) => atOrAbove(x.severity, report.failOn)).length;
  const verdict = report.summary.passed
    ? 'passed'
    : `failed: ${failing} at or above --fail-on ${report.failOn}`;
  const left = groups.length - shown.length;
  const summary = `memconform ${verdict} · ${f.error} errors, ${f.warning} warnings, ${f.info} info in ${groups.length} root causes${left > 0 ? ` · ${left} not annotated (see the job summary or report.json)` : ''}`;
  lines.push(`::${report.summary.passed ? 'notice' : 'error'} title=memconform::${escapeData(summary)}`);
  return `${lines.join('\n')}\n`;
}
