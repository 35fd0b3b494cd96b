/**
 * GitHub-flavoured Markdown for a pull-request comment or `$GITHUB_STEP_SUMMARY`: verdict, summary tables,
 * failing checks, findings grouped by check (with the curl line that replays each), vacuous checks and the
 * cases. Target-derived text is escaped for the context it lands in: inline text (HTML entities, Markdown
 * punctuation, table pipes, @-mentions), code spans and fenced blocks (fences longer than any backtick run
 * in the content), and HTML (<details>/<summary>, which GitHub renders).
 */

import { atOrAbove } from '../checks/severity.js';
import type { CaseSummary, CheckSummary, Finding, FindingGroup, Report } from '../runner/report.js';
import { escapeHtml, visibleControls } from './escape.js';
import { caseVerdict, groupByTarget, stopReason, targetLabel } from './report-view.js';
import { seedLines } from './seed.js';
import { capText, DEFAULT_VALUE_CAP, formatValue, plural } from './text.js';
import type { Reporter } from './types.js';

/** Findings listed per check; the rest are counted and left to the JSON/HTML reports. */
export const MARKDOWN_FINDINGS_PER_CHECK = 20;

/**
 * GitHub rejects comments longer than 65,536 characters; past this length the report is rendered again
 * with shorter values and fewer findings per check.
 */
export const MARKDOWN_COMMENT_BUDGET = 60_000;

/** How much of each finding the findings section prints. */
interface Limits {
  readonly valueCap: number;
  readonly findingsPerCheck: number;
}

const FULL: Limits = { valueCap: DEFAULT_VALUE_CAP, findingsPerCheck: MARKDOWN_FINDINGS_PER_CHECK };
const COMPACT: Limits = { valueCap: 300, findingsPerCheck: 5 };

/** Sections with more findings than this are collapsed into <details>. */
const OPEN_DETAILS_MAX = 3;

/**
 * Inline Markdown text, safe in a paragraph, a list item or a table cell: controls made visible, HTML
 * special characters as entities (GitHub renders inline HTML), Markdown punctuation and pipes
 * backslash-escaped, line-start syntax (`#`, `-`, `1.`) neutralised, and `@name` kept from pinging people.
 */
export function mdText(text: string, cap = DEFAULT_VALUE_CAP): string {
  return visibleControls(capText(text, cap))
    .replace(/[&<>]/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : '&gt;'))
    .replace(/[\\`*_[\]|~]/g, '\\$&')
    .replace(/^([#+=-])/, '\\$1')
    .replace(/^(\d+)([.)])/, '$1\\$2')
    .replace(/@(?=[\w-])/g, '@\u200b');
}

/**
 * A code span that no content can close early: the fence is one backtick longer than the longest run in
 * the content; content that starts or ends with a backtick or space is padded (CommonMark strips one space
 * on each side). In a table cell, pipes must be
 * `\|` even inside code (GFM splits cells first); outside tables that would print a backslash.
 */
export function mdCode(text: string, options: { inTable?: boolean; cap?: number } = {}): string {
  let content = visibleControls(capText(text, options.cap ?? DEFAULT_VALUE_CAP));
  if (options.inTable) content = content.replace(/\|/g, '\\|');
  if (content === '') return '` `';
  const fence = '`'.repeat(longestRun(content, '`') + 1);
  const pad = /^[` ]|[` ]$/.test(content) ? ' ' : '';
  return `${fence}${pad}${content}${pad}${fence}`;
}

/** A fenced code block whose fence is longer than any backtick run in the content, so it cannot be closed. */
export function mdFence(text: string, info = '', cap = DEFAULT_VALUE_CAP): string {
  const content = visibleControls(capText(text, cap), true);
  const fence = '`'.repeat(Math.max(3, longestRun(content, '`') + 1));
  return `${fence}${info}\n${content}\n${fence}`;
}

/** Text for raw HTML inside Markdown (<summary>): HTML-escaped, one line. */
function htmlInline(text: string): string {
  return escapeHtml(visibleControls(capText(text, 300)));
}

function details(summary: string, body: string[], open: boolean): string[] {
  return [`<details${open ? ' open' : ''}><summary>${summary}</summary>`, '', ...body, '', '</details>', ''];
}

const SEVERITY_ICON = { error: '❌', warning: '⚠️', info: 'ℹ️' } as const;

function table(
  header: readonly string[],
  align: readonly ('l' | 'r')[],
  rows: readonly string[][],
): string[] {
  return [
    `| ${header.join(' | ')} |`,
    `|${align.map((a) => (a === 'r' ? '---:' : '---')).join('|')}|`,
    ...rows.map((row) => `| ${row.join(' | ')} |`),
    '',
  ];
}

/** One root cause: what is wrong, where, how often, then each example case with its evidence and replay. */
function groupBlock(group: FindingGroup, report: Report, limits: Limits): string[] {
  // The target label, not the api alone: two memmachine targets can report the same case id.
  const where = [targetLabel(report, group.api, group.targetUrl), group.operationId]
    .map((s) => mdCode(s, { cap: 200 }))
    .join(' › ');
  const tag = atOrAbove(group.severity, report.failOn) ? '' : ' (below `--fail-on`)';
  const spread = `${plural(group.count, 'occurrence')} in ${plural(group.cases, 'case')}`;
  const lines = [
    `**${SEVERITY_ICON[group.severity]} ${group.severity}**${tag} · ${where} · ${spread}`,
    '',
    `- **Message:** ${mdText(group.message, limits.valueCap)}`,
  ];
  if (group.pointer !== undefined)
    lines.push(`- **Pointer:** ${mdCode(group.pointer, { cap: limits.valueCap })}`);
  const first = group.examples[0];
  if (first?.expected !== undefined)
    lines.push(`- **Expected:** ${mdCode(formatValue(first.expected), { cap: limits.valueCap })}`);
  if (first?.actual !== undefined)
    lines.push(`- **Received:** ${mdCode(formatValue(first.actual), { cap: limits.valueCap })}`);
  lines.push('');
  for (const example of group.examples) lines.push(...exampleBlock(example, limits));
  if (group.cases > group.examples.length) {
    lines.push(
      `… and ${plural(group.cases - group.examples.length, 'more case')}: see the JSON or HTML report.`,
      '',
    );
  }
  return lines;
}

function exampleBlock(finding: Finding, limits: Limits): string[] {
  const times = finding.count === 1 ? '' : ` · ×${finding.count}`;
  const lines = [
    `Case ${mdCode(finding.caseId, { cap: 200 })} › step ${mdCode(finding.step, { cap: 200 })}${times}` +
      (finding.pointer === undefined ? '' : ` at ${mdCode(finding.pointer, { cap: 200 })}`),
    '',
  ];
  const evidence = finding.evidence;
  if (evidence?.status !== undefined) {
    const status = [evidence.status, evidence.statusText].filter((p) => p !== undefined).join(' ');
    const type = evidence.contentType === undefined ? '' : ` · ${mdCode(evidence.contentType, { cap: 200 })}`;
    lines.push(`Answer: ${mdText(status, 100)}${type}`, '');
  }
  if (evidence?.bodyExcerpt !== undefined) {
    const at =
      evidence.excerptPointer === undefined ? 'start' : mdCode(evidence.excerptPointer || '/', { cap: 200 });
    lines.push(`Body (${at}):`, '', mdFence(evidence.bodyExcerpt, '', limits.valueCap), '');
  }
  if (evidence?.requestBody !== undefined) {
    lines.push('Request body:', '', mdFence(evidence.requestBody, '', limits.valueCap), '');
  }
  lines.push(mdFence(finding.curl, 'sh', limits.valueCap), '');
  return lines;
}

function findingsSection(report: Report, limits: Limits): string[] {
  if (report.groups.length === 0) return [];
  const lines = ['### Findings, grouped by root cause', ''];
  const checkIds = [...new Set(report.groups.map((g) => g.checkId))];
  const byId = new Map(report.checks.map((c) => [c.id, c]));
  for (const checkId of checkIds) {
    const groups = report.groups.filter((g) => g.checkId === checkId);
    const findings = report.findings.filter((f) => f.checkId === checkId);
    const check = byId.get(checkId);
    const failing = findings.filter((f) => atOrAbove(f.severity, report.failOn)).length;
    lines.push(
      `#### ${mdCode(checkId, { cap: 200 })}${check ? ` — ${mdText(check.title, 300)}` : ''}`,
      '',
      `${plural(findings.length, 'finding')} in ${plural(groups.length, 'group')}, ${failing} at or above \`--fail-on ${report.failOn}\`.`,
      '',
    );
    const body = groups.slice(0, limits.findingsPerCheck).flatMap((g) => groupBlock(g, report, limits));
    const hidden = groups.length - limits.findingsPerCheck;
    if (hidden > 0) {
      body.push(
        `… and ${plural(hidden, 'more group')} of this check: see the JSON or HTML report for all of them.`,
        '',
      );
    }
    const summary = `${htmlInline(checkId)}: ${plural(findings.length, 'finding')}`;
    lines.push(...details(summary, body, groups.length <= OPEN_DETAILS_MAX));
  }
  return lines;
}

function failingChecksSection(report: Report): string[] {
  const failing = report.checks.filter((check) =>
    report.findings.some((f) => f.checkId === check.id && atOrAbove(f.severity, report.failOn)),
  );
  if (failing.length === 0) return [];
  const rows = failing.map((check) => {
    const found = report.findings.filter(
      (f) => f.checkId === check.id && atOrAbove(f.severity, report.failOn),
    );
    const cases = [
      ...new Set(found.map((f) => `${targetLabel(report, f.api, f.targetUrl)}/${f.operationId}/${f.caseId}`)),
    ].sort();
    const shown = cases.slice(0, 5).map((c) => mdCode(c, { inTable: true, cap: 200 }));
    if (cases.length > 5) shown.push(`… ${cases.length - 5} more`);
    return [
      `${mdCode(check.id, { inTable: true })} ${mdText(check.title, 300)}`,
      check.severity,
      String(found.length),
      String(found.reduce((sum, f) => sum + f.count, 0)),
      shown.join(', '),
    ];
  });
  return [
    `### Failing checks (at or above \`--fail-on ${report.failOn}\`)`,
    '',
    ...table(
      ['Check', 'Default severity', 'Findings', 'Occurrences', 'Cases'],
      ['l', 'l', 'r', 'r', 'l'],
      rows,
    ),
  ];
}

function vacuousSection(report: Report): string[] {
  const vacuous = report.checks.filter((c) => c.status === 'vacuous' || c.casesVacuous > 0);
  if (vacuous.length === 0) return [];
  const rows = vacuous.map((check: CheckSummary) => [
    `${mdCode(check.id, { inTable: true })} ${mdText(check.title, 300)}`,
    check.status === 'vacuous'
      ? '**vacuous everywhere**'
      : `exercised in ${plural(check.casesChecked, 'case')}`,
    String(check.casesVacuous),
    check.vacuousReasons.length === 0 ? '—' : check.vacuousReasons.map((r) => mdText(r, 500)).join('<br>'),
  ]);
  return [
    '### Vacuous checks',
    '',
    'These checks applied but had nothing to judge, so they proved nothing there. Hint: give the target data ' +
      'the cases can find (seed memories for the users the suites search, so searches return several scored ' +
      'results), then run again.',
    '',
    ...table(['Check', 'Status', 'Vacuous cases', 'Reasons'], ['l', 'l', 'r', 'l'], rows),
  ];
}

function notRunLine(report: Report): string[] {
  const list = (status: CheckSummary['status']): string =>
    report.checks
      .filter((c) => c.status === status)
      .map((c) => mdCode(c.id, { cap: 200 }))
      .join(', ');
  const lines: string[] = [];
  const excluded = list('excluded');
  const notApplicable = list('not-applicable');
  if (excluded) lines.push(`Excluded by the command line: ${excluded}.`, '');
  if (notApplicable) lines.push(`Not applicable to any case run: ${notApplicable}.`, '');
  return lines;
}

function casesSection(report: Report): string[] {
  if (report.cases.length === 0) return [];
  // Target by target (the order of the targets table), so each target's rows hold only its own cases.
  const rows = groupByTarget(report).flatMap((group) =>
    group.cases.map((c) => caseRow(report, c, targetLabel(report, group.api, group.url))),
  );
  return details(
    `Cases (${report.cases.length})`,
    table(
      ['Target', 'Operation', 'Case', 'Requests', 'Result', 'Checks'],
      ['l', 'l', 'l', 'l', 'l', 'l'],
      rows,
    ),
    false,
  );
}

function caseRow(report: Report, c: CaseSummary, label: string): string[] {
  const failed = c.outcomes.filter((o) => o.status === 'failed').length;
  const vacuous = c.outcomes.filter((o) => o.status === 'vacuous').length;
  const result = {
    failed: '❌ failed',
    'below-fail-on': '⚠️ below `--fail-on`',
    vacuous: '⚪ vacuous',
    passed: '✅ passed',
  }[caseVerdict(report, c)];
  const requests = c.steps
    .map((s) =>
      s.failure
        ? `${mdText(s.method, 20)} ${mdText(`${s.failure.kind}: ${s.failure.message}`, 200)}`
        : `${mdText(s.method, 20)} ${s.status ?? '—'}`,
    )
    .join('<br>');
  return [
    mdCode(label, { inTable: true, cap: 300 }),
    mdCode(c.operationId, { inTable: true, cap: 200 }),
    `${mdCode(c.id, { inTable: true, cap: 200 })} ${mdText(c.description, 300)}`,
    requests,
    result,
    `${c.outcomes.length - vacuous - failed} passed, ${failed} failed, ${vacuous} vacuous`,
  ];
}

/**
 * Renders the report as GitHub-flavoured Markdown, short enough for a pull-request comment when it can be:
 * past `MARKDOWN_COMMENT_BUDGET` it is rendered again with compact findings (and says so).
 */
export function renderMarkdown(report: Report): string {
  const full = renderWith(report, FULL);
  if (full.length <= MARKDOWN_COMMENT_BUDGET) return full;
  return capMarkdown(renderWith(report, COMPACT), MARKDOWN_COMMENT_BUDGET);
}

/** The line that ends a Markdown report cut at the budget, pointing to the artifacts that have everything. */
export const MARKDOWN_CUT_NOTICE =
  "_Cut here to stay under GitHub's comment limit. The full report is in `report.json` and `report.html` (`--reporter json,html`; upload the `--out` folder as a build artifact)._";

/**
 * Cuts Markdown at whole lines so it stays within `budget` characters with the notice, closing a code fence or
 * <details> left open by the cut so the rest of a PR comment or job summary still renders.
 */
export function capMarkdown(text: string, budget: number): string {
  if (text.length <= budget) return text;
  const kept: string[] = [];
  let length = 0;
  let fence: string | undefined;
  let openDetails = 0;
  const reserve = MARKDOWN_CUT_NOTICE.length + 200;
  for (const line of text.split('\n')) {
    if (length + line.length + 1 > budget - reserve) break;
    kept.push(line);
    length += line.length + 1;
    const run = /^(`{3,})/.exec(line)?.[1];
    if (fence === undefined && run !== undefined) fence = run;
    else if (fence !== undefined && line === fence) fence = undefined;
    else if (fence === undefined) {
      openDetails += (line.match(/<details[ >]/g) ?? []).length - (line.match(/<\/details>/g) ?? []).length;
    }
  }
  if (fence !== undefined) kept.push(fence);
  for (let i = 0; i < openDetails; i += 1) kept.push('', '</details>');
  return `${kept.join('\n').trimEnd()}\n\n${MARKDOWN_CUT_NOTICE}\n`;
}

function renderWith(report: Report, limits: Limits): string {
  const { summary } = report;
  const f = summary.findings;
  const stopped = stopReason(report);
  const verdict = stopped
    ? `## ⛔ memconform: ${stopped.title}`
    : summary.passed
      ? `## ✅ memconform: passed`
      : `## ❌ memconform: failed`;
  const failingCount = report.findings.filter((x) => atOrAbove(x.severity, report.failOn)).length;
  const lines = [
    verdict,
    '',
    ...(stopped ? [`**${mdCode(stopped.code)}**: ${mdText(stopped.message, 2_000)}`, ''] : []),
    `${summary.passed ? 'No finding' : plural(failingCount, 'finding')} at or above \`--fail-on ${report.failOn}\` · ` +
      `${plural(f.error, 'error')}, ${plural(f.warning, 'warning')}, ${f.info} info · ` +
      `${mdText(report.tool.name, 50)} ${mdText(report.tool.version, 50)} · started ${mdText(report.startedAt, 50)} · ` +
      `${(report.durationMs / 1000).toFixed(1)} s`,
    '',
  ];
  const targetRows = groupByTarget(report).map((group) => {
    const found = group.findings;
    const t = group.target;
    return [
      mdCode(group.api, { inTable: true }),
      mdCode(group.url, { inTable: true, cap: 300 }),
      t ? `${t.flavour}${t.builtIn ? ' (built-in reference)' : ''}` : 'no target in report',
      t ? (t.authRequired ? 'required' : 'none') : '—',
      String(group.cases.length),
      String(found.filter((x) => x.severity === 'error').length),
      String(found.filter((x) => x.severity === 'warning').length),
      String(found.filter((x) => x.severity === 'info').length),
    ];
  });
  lines.push(
    ...table(
      ['Target', 'URL', 'Flavour', 'Auth', 'Cases', 'Errors', 'Warnings', 'Info'],
      ['l', 'l', 'l', 'l', 'r', 'r', 'r', 'r'],
      targetRows,
    ),
    ...table(
      [
        'Cases',
        'Requests',
        'Errors',
        'Warnings',
        'Info',
        'Checks exercised',
        'Vacuous',
        'Not applicable',
        'Excluded',
      ],
      ['r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r'],
      [
        [
          summary.cases,
          summary.requests,
          f.error,
          f.warning,
          f.info,
          summary.checks.exercised,
          summary.checks.vacuous,
          summary.checks.notApplicable,
          summary.checks.excluded,
        ].map(String),
      ],
    ),
    ...failingChecksSection(report),
    ...(limits === COMPACT
      ? [
          `_Shortened to fit a pull-request comment: values are cut at ${COMPACT.valueCap} characters and at most ${COMPACT.findingsPerCheck} findings are shown per check. The HTML and JSON reports have everything._`,
          '',
        ]
      : []),
    ...findingsSection(report, limits),
    ...(report.seed === undefined
      ? []
      : [
          '### Seeded data and recall',
          '',
          ...seedLines(report).map((line) => `- ${mdText(line, 1_000)}`),
          '',
        ]),
    ...vacuousSection(report),
    ...notRunLine(report),
    ...casesSection(report),
  );
  return `${lines.join('\n').trimEnd()}\n`;
}

/** Markdown for pull-request comments and `$GITHUB_STEP_SUMMARY`, written to `report.md`. */
export const markdownReporter: Reporter = {
  name: 'markdown',
  fileName: 'report.md',
  description: 'GitHub-flavoured Markdown for a pull-request comment or $GITHUB_STEP_SUMMARY',
  render: (report) => renderMarkdown(report),
};

/** The longest run of consecutive `char` in `text` (used to build fences that content cannot close). */
export function longestRun(text: string, char: string): number {
  let best = 0;
  let run = 0;
  for (const c of text) {
    run = c === char ? run + 1 : 0;
    if (run > best) best = run;
  }
  return best;
}
