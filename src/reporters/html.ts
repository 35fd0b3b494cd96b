/**
 * One self-contained HTML file: verdict header, summary cards, checks table, one section per target with its
 * findings and cases, and the vacuous checks. No script, no external request: collapsing uses <details>.
 * Markup is only ever built by the `html` tag below, which escapes every interpolated value, so nothing from
 * the report can become markup; a Content-Security-Policy that allows no script and only this file's own
 * stylesheet (by hash) backs that up should an escaping bug ever slip through.
 */
import { createHash } from 'node:crypto';
import { atOrAbove } from '../checks/severity.js';
import type { CaseSummary, CheckSummary, Finding, FindingGroup, Report } from '../runner/report.js';
import { escapeHtml, visibleControls } from './escape.js';
import {
  type CaseVerdict,
  caseVerdict,
  groupByTarget,
  sortFindings,
  stopReason,
  type TargetGroup,
  targetLabel,
} from './report-view.js';
import { seedLines } from './seed.js';
import { capText, formatValue, plural } from './text.js';
import type { Reporter } from './types.js';

/** Longest value printed in the HTML report before it is cut (the JSON report keeps everything). */
export const HTML_VALUE_CAP = 5_000;

/** Findings listed per check and target; the rest are counted. */
export const HTML_FINDINGS_PER_CHECK = 100;

/** A piece of markup built by `html` (never from report data). */
class Markup {
  constructor(readonly value: string) {}
}

type Part = Markup | string | number | boolean | null | undefined | readonly Part[];

function part(value: Part): string {
  if (value instanceof Markup) return value.value;
  if (Array.isArray(value)) return value.map(part).join('');
  if (value === null || value === undefined || value === false) return '';
  // Everything else is data: controls made visible, then HTML-escaped (safe in text and quoted attributes).
  return escapeHtml(visibleControls(String(value), true));
}

/** Tagged template: the literal parts are markup, every interpolated value is escaped unless it is Markup. */
function html(strings: TemplateStringsArray, ...values: readonly Part[]): Markup {
  let out = strings[0] ?? '';
  values.forEach((value, i) => {
    out += part(value) + (strings[i + 1] ?? '');
  });
  return new Markup(out);
}

const cap = (text: string, max = HTML_VALUE_CAP): string => capText(text, max);

const STYLE = `
:root{color-scheme:light dark;--bg:#f6f7f9;--fg:#1d2330;--muted:#5d6679;--card:#fff;--line:#dde1e8;
--ok:#1a7f37;--ok-bg:#dafbe1;--bad:#c62828;--bad-bg:#ffebe9;--warn:#9a6700;--warn-bg:#fff8c5;
--info:#0969da;--info-bg:#ddf4ff;--idle:#57606a;--idle-bg:#eaeef2;--code:#f0f2f5}
@media (prefers-color-scheme:dark){:root{--bg:#0d1117;--fg:#e6edf3;--muted:#9da7b3;--card:#161b22;
--line:#30363d;--ok:#3fb950;--ok-bg:#12261e;--bad:#f85149;--bad-bg:#2d1416;--warn:#d29922;
--warn-bg:#2b2111;--info:#58a6ff;--info-bg:#0c2d4b;--idle:#9da7b3;--idle-bg:#21262d;--code:#1f242c}}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--fg);
font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif}
header.verdict{padding:28px 24px;color:#fff}
header.verdict>div{max-width:1180px;margin:0 auto;padding:0 24px}
header.verdict.passed{background:linear-gradient(135deg,#1a7f37,#2da44e)}
header.verdict.failed{background:linear-gradient(135deg,#b42318,#d1242f)}
header.verdict h1{margin:0 0 4px;font-size:28px;letter-spacing:.02em}
header.verdict p{margin:0;opacity:.92}
main{max-width:1180px;margin:0 auto;padding:20px 24px 48px}
nav{display:flex;gap:16px;flex-wrap:wrap;margin:8px 0 4px}
nav a{color:var(--info);text-decoration:none}
nav a:hover{text-decoration:underline}
h2{margin:36px 0 12px;font-size:21px;border-bottom:1px solid var(--line);padding-bottom:6px}
h3{margin:24px 0 8px;font-size:17px}
h4{margin:18px 0 6px;font-size:15px}
.cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(140px,1fr));gap:12px;margin:16px 0}
.card{background:var(--card);border:1px solid var(--line);border-radius:10px;padding:12px 14px}
.card .num{display:block;font-size:26px;font-weight:650;line-height:1.2}
.card .label{color:var(--muted);font-size:13px}
.card.bad .num{color:var(--bad)}.card.warn .num{color:var(--warn)}.card.ok .num{color:var(--ok)}
table{border-collapse:collapse;width:100%;background:var(--card);border:1px solid var(--line);
border-radius:10px;overflow:hidden;margin:8px 0 16px}
th,td{text-align:left;vertical-align:top;padding:7px 10px;border-bottom:1px solid var(--line)}
th{font-size:13px;color:var(--muted);font-weight:600;background:var(--code)}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
tr:last-child td{border-bottom:0}
code,pre{font:13px/1.45 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}
code{background:var(--code);border-radius:4px;padding:1px 5px;overflow-wrap:anywhere}
pre{background:var(--code);border-radius:6px;padding:8px 10px;margin:2px 0;white-space:pre-wrap;
overflow-wrap:anywhere;max-height:28em;overflow:auto}
.badge{display:inline-block;border-radius:999px;padding:1px 9px;font-size:12px;font-weight:600;
white-space:nowrap;vertical-align:1px}
.b-ok{color:var(--ok);background:var(--ok-bg)}.b-bad{color:var(--bad);background:var(--bad-bg)}
.b-warn{color:var(--warn);background:var(--warn-bg)}.b-info{color:var(--info);background:var(--info-bg)}
.b-idle{color:var(--idle);background:var(--idle-bg)}
.muted{color:var(--muted)}
section.target{background:var(--card);border:1px solid var(--line);border-radius:12px;padding:4px 18px 12px;
margin:16px 0}
section.target h2{border:0;margin-top:14px}
dl.meta{display:grid;grid-template-columns:max-content 1fr;gap:4px 14px;margin:6px 0 12px}
dl.meta dt{color:var(--muted)}dl.meta dd{margin:0;min-width:0}
details.finding{border:1px solid var(--line);border-left:4px solid var(--idle);border-radius:8px;
margin:8px 0;background:var(--bg)}
details.finding.sev-error{border-left-color:var(--bad)}
details.finding.sev-warning{border-left-color:var(--warn)}
details.finding.sev-info{border-left-color:var(--info)}
details.finding>summary{cursor:pointer;padding:8px 12px;list-style-position:outside}
details.finding>div{padding:0 12px 10px}
details.finding .msg{display:block;overflow-wrap:anywhere}
details.section>summary{cursor:pointer;font-weight:600;margin:8px 0}
ul.outcomes{list-style:none;margin:0;padding:0;display:flex;flex-wrap:wrap;gap:4px}
.hint{background:var(--info-bg);border-radius:8px;padding:10px 14px;margin:8px 0}
footer{color:var(--muted);font-size:13px;margin-top:40px}
`;

const STYLE_HASH = createHash('sha256').update(STYLE, 'utf8').digest('base64');

/**
 * No script may run and nothing may be fetched; only the stylesheet with exactly this file's hash applies
 * (an injected <style> or style attribute would not). `<meta>` CSP cannot set frame-ancestors or sandbox.
 */
const CSP = `default-src 'none'; style-src 'sha256-${STYLE_HASH}'; base-uri 'none'; form-action 'none'`;

const severityBadge = (severity: Finding['severity']): Markup =>
  html`<span class="badge ${severity === 'error' ? 'b-bad' : severity === 'warning' ? 'b-warn' : 'b-info'}">${severity}</span>`;

const STATUS_CLASS: Readonly<Record<CheckSummary['status'], string>> = {
  exercised: 'b-ok',
  vacuous: 'b-warn',
  'not-applicable': 'b-idle',
  excluded: 'b-idle',
};

const VERDICT_BADGE: Readonly<Record<CaseVerdict, readonly [string, string]>> = {
  failed: ['b-bad', 'failed'],
  'below-fail-on': ['b-warn', 'below --fail-on'],
  vacuous: ['b-warn', 'vacuous'],
  passed: ['b-ok', 'passed'],
};

const verdictBadge = (verdict: CaseVerdict): Markup =>
  html`<span class="badge ${VERDICT_BADGE[verdict][0]}">${VERDICT_BADGE[verdict][1]}</span>`;

const OUTCOME_CLASS = { passed: 'b-ok', failed: 'b-bad', vacuous: 'b-warn' } as const;

function card(value: number | string, label: string, tone = ''): Markup {
  return html`<div class="card ${tone}"><span class="num">${value}</span><span class="label">${label}</span></div>`;
}

function valueBlock(label: string, value: string): Markup {
  return html`<dt>${label}</dt><dd><pre>${cap(value)}</pre></dd>`;
}

function findingView(finding: Finding, failOn: Report['failOn'], open: boolean): Markup {
  const below = atOrAbove(finding.severity, failOn) ? '' : ' (below --fail-on)';
  return html`<details class="finding sev-${finding.severity}"${open ? new Markup(' open') : ''}>
<summary>${severityBadge(finding.severity)}${below} <code>${cap(finding.operationId, 200)}</code> › <code>${cap(finding.caseId, 200)}</code> › step <code>${cap(finding.step, 200)}</code>${finding.count === 1 ? '' : html` <span class="badge b-idle">×${finding.count}</span>`}
<span class="msg">${cap(finding.message)}</span></summary>
<div><dl class="meta">
${finding.pointer === undefined ? '' : valueBlock('Pointer', finding.pointer)}
${finding.expected === undefined ? '' : valueBlock('Expected', formatValue(finding.expected))}
${finding.actual === undefined ? '' : valueBlock('Received', formatValue(finding.actual))}
${finding.count === 1 ? '' : html`<dt>Occurrences</dt><dd>${finding.count}</dd>`}
${valueBlock('Replay', finding.curl)}
</dl></div>
</details>`;
}

/** Status, reason phrase and content type of the answer a finding judged, e.g. `200 OK · application/json`. */
function answerOf(finding: Finding): string | undefined {
  const e = finding.evidence;
  if (e?.status === undefined) return undefined;
  return [[e.status, e.statusText].filter((p) => p !== undefined).join(' '), e.contentType]
    .filter((p) => p !== undefined)
    .join(' · ');
}

function exampleView(finding: Finding): Markup {
  const e = finding.evidence;
  const answer = answerOf(finding);
  return html`<dl class="meta example">
<dt>Case</dt><dd><code>${cap(finding.caseId, 200)}</code> › step <code>${cap(finding.step, 200)}</code>${finding.pointer === undefined ? '' : html` at <code>${cap(finding.pointer, 500)}</code>`}${finding.count === 1 ? '' : html` <span class="badge b-idle">×${finding.count}</span>`}</dd>
${answer === undefined ? '' : html`<dt>Answer</dt><dd>${cap(answer, 500)}</dd>`}
${e?.bodyExcerpt === undefined ? '' : valueBlock(e.excerptPointer === undefined ? 'Body (start)' : `Body at ${e.excerptPointer || '/'}`, e.bodyExcerpt)}
${e?.requestBody === undefined ? '' : valueBlock('Request body', e.requestBody)}
${valueBlock('Replay', finding.curl)}
</dl>`;
}

/** One root cause over every case it showed in: the message once, then each example with its evidence. */
function groupView(report: Report, group: FindingGroup, open: boolean): Markup {
  const below = atOrAbove(group.severity, report.failOn) ? '' : ' (below --fail-on)';
  const first = group.examples[0];
  return html`<details class="root-cause finding sev-${group.severity}"${open ? new Markup(' open') : ''}>
<summary>${severityBadge(group.severity)}${below} <code>${group.checkId}</code> · ${cap(targetLabel(report, group.api, group.targetUrl), 300)} › <code>${cap(group.operationId, 200)}</code>${group.pointer === undefined ? '' : html` <code>${cap(group.pointer, 300)}</code>`} <span class="badge b-idle">${plural(group.count, 'occurrence')} in ${plural(group.cases, 'case')}</span>
<span class="msg">${cap(group.message)}</span></summary>
<div>
${first?.expected === undefined ? '' : html`<dl class="meta">${valueBlock('Expected', formatValue(first.expected))}</dl>`}
${group.examples.map(exampleView)}
${group.cases > group.examples.length ? html`<p class="muted">… and ${plural(group.cases - group.examples.length, 'more case')}: see the JSON report.</p>` : ''}
</div>
</details>`;
}

/** Every group at or above --fail-on first, then the rest; each group once, whatever its target. */
function failuresSection(report: Report): Markup {
  const failing = report.groups.filter((g) => atOrAbove(g.severity, report.failOn));
  const rest = report.groups.filter((g) => !atOrAbove(g.severity, report.failOn));
  return html`<section id="failures"><h2>Failures by root cause (${failing.length})</h2>
${failing.length === 0 ? html`<p class="muted">No finding at or above --fail-on ${report.failOn}.</p>` : failing.map((g) => groupView(report, g, failing.length <= 10))}
${rest.length === 0 ? '' : html`<h3>Below --fail-on (${rest.length})</h3>${rest.map((g) => groupView(report, g, false))}`}
</section>`;
}

function findingsByCheck(report: Report, findings: readonly Finding[]): Markup {
  if (findings.length === 0) return html`<p class="muted">No findings.</p>`;
  const sorted = sortFindings(report, findings);
  const titles = new Map(report.checks.map((c) => [c.id, c.title]));
  const checkIds = [...new Set(sorted.map((f) => f.checkId))];
  return html`${checkIds.map((checkId) => {
    const found = sorted.filter((f) => f.checkId === checkId);
    const hidden = found.length - HTML_FINDINGS_PER_CHECK;
    return html`<h4><code>${checkId}</code> ${titles.get(checkId) ?? ''} <span class="muted">(${plural(found.length, 'finding')})</span></h4>
${found.slice(0, HTML_FINDINGS_PER_CHECK).map((f) => findingView(f, report.failOn, found.length <= 5))}
${hidden > 0 ? html`<p class="muted">… and ${plural(hidden, 'more finding')}: see the JSON report.</p>` : ''}`;
  })}`;
}

function casesTable(report: Report, cases: readonly CaseSummary[]): Markup {
  if (cases.length === 0) return html`<p class="muted">No cases were run against this target.</p>`;
  return html`<table><thead><tr><th>Case</th><th>Result</th><th>Requests</th><th>Checks</th></tr></thead><tbody>
${cases.map(
  (
    c,
  ) => html`<tr><td><code>${cap(c.operationId, 200)}</code> › <code>${cap(c.id, 200)}</code><br><span class="muted">${cap(c.description, 500)}</span></td>
<td>${verdictBadge(caseVerdict(report, c))}</td>
<td>${c.steps.map(
    (s) =>
      html`<div><code>${cap(s.method, 20)}</code> ${
        s.failure
          ? html`<span class="badge b-bad">no response</span> ${s.failure.kind}: ${cap(s.failure.message, 500)}`
          : html`<span class="badge ${s.status !== undefined && s.status < 400 ? 'b-ok' : 'b-bad'}">${s.status ?? '—'}</span>`
      } <span class="muted">${cap(s.name, 200)}</span></div>`,
  )}</td>
<td><ul class="outcomes">${c.outcomes.map(
    (o) =>
      html`<li><span class="badge ${OUTCOME_CLASS[o.status]}">${o.status}</span> <code>${o.checkId}</code></li>`,
  )}</ul></td></tr>`,
)}
</tbody></table>`;
}

/** One target's section: exactly the cases run against it and the findings that came from it. */
function targetSection(report: Report, group: TargetGroup, index: number): Markup {
  const { target, api, url, cases, findings } = group;
  const failing = findings.filter((f) => atOrAbove(f.severity, report.failOn)).length;
  return html`<section class="target" id="target-${index}">
<h2>${api} ${target ? html`<span class="badge b-info">${target.flavour}</span>` : html`<span class="badge b-idle">no target in report</span>`} ${
    failing > 0
      ? html`<span class="badge b-bad">${plural(failing, 'failing finding')}</span>`
      : html`<span class="badge b-ok">passed</span>`
  }</h2>
${
  target
    ? html`<dl class="meta"><dt>URL</dt><dd><code>${cap(target.url, 500)}</code></dd><dt>Auth</dt><dd>${target.authRequired ? 'required' : 'none'}</dd><dt>Server</dt><dd>${target.builtIn ? 'built-in reference implementation, started for this run' : 'external'}</dd><dt>Cases</dt><dd>${cases.length}</dd></dl>`
    : html`<dl class="meta"><dt>URL</dt><dd><code>${cap(url, 500)}</code></dd><dt>Cases</dt><dd>${cases.length}</dd></dl>`
}
<h3>Findings (${findings.length})</h3>
${findingsByCheck(report, findings)}
<details class="section"${cases.length <= 10 ? new Markup(' open') : ''}><summary>Cases (${cases.length})</summary>
${casesTable(report, cases)}
</details>
</section>`;
}

function checksTable(report: Report): Markup {
  return html`<table><thead><tr><th>Check</th><th>Category</th><th>Severity</th><th>Status</th><th class="num">Cases checked</th><th class="num">Vacuous</th><th class="num">Findings</th></tr></thead><tbody>
${report.checks.map((c) => {
  const failing = report.findings.filter(
    (f) => f.checkId === c.id && atOrAbove(f.severity, report.failOn),
  ).length;
  return html`<tr><td><code>${c.id}</code><br><span class="muted">${c.title}</span></td><td>${c.category}</td><td>${severityBadge(c.severity)}</td>
<td><span class="badge ${STATUS_CLASS[c.status] ?? 'b-idle'}">${c.status}</span>${failing > 0 ? html` <span class="badge b-bad">failing</span>` : ''}</td>
<td class="num">${c.casesChecked}</td><td class="num">${c.casesVacuous}</td><td class="num">${c.findings}</td></tr>`;
})}
</tbody></table>`;
}

function vacuousSection(report: Report): Markup {
  const vacuous = report.checks.filter((c) => c.status === 'vacuous' || c.casesVacuous > 0);
  if (vacuous.length === 0) return html``;
  return html`<section id="vacuous"><h2>Vacuous checks (${vacuous.length})</h2>
<p class="hint">A vacuous check applied but had nothing to judge, so it proved nothing there. Give the target data the cases can find (seed memories for the users the suites search, so searches return several scored results), then run again.</p>
<table><thead><tr><th>Check</th><th>Status</th><th class="num">Vacuous cases</th><th>Reasons</th></tr></thead><tbody>
${vacuous.map(
  (c) => html`<tr><td><code>${c.id}</code><br><span class="muted">${c.title}</span></td>
<td>${c.status === 'vacuous' ? html`<span class="badge b-warn">vacuous everywhere</span>` : html`exercised in ${plural(c.casesChecked, 'case')}`}</td>
<td class="num">${c.casesVacuous}</td>
<td>${c.vacuousReasons.length === 0 ? '—' : html`<ul>${c.vacuousReasons.map((r) => html`<li>${cap(r, 1_000)}</li>`)}</ul>`}</td></tr>`,
)}
</tbody></table></section>`;
}

/** Renders the report as one self-contained HTML page (no script, no external resources). */
export function renderHtml(report: Report): string {
  const { summary } = report;
  const f = summary.findings;
  const failingCount = report.findings.filter((x) => atOrAbove(x.severity, report.failOn)).length;
  const stopped = stopReason(report);
  const verdict = stopped ? stopped.title.toUpperCase() : summary.passed ? 'PASSED' : 'FAILED';
  // Cases and findings of targets the report does not list get sections of their own: nothing is dropped.
  const groups = groupByTarget(report);
  const sections = groups.map((g, i) => targetSection(report, g, i));
  const excluded = report.checks.filter((c) => c.status === 'excluded').map((c) => c.id);

  const page = html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${new Markup(CSP)}">
<meta name="referrer" content="no-referrer">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<title>memconform ${verdict} · ${plural(failingCount, 'failing finding')}</title>
<style>${new Markup(STYLE)}</style>
</head>
<body>
<header class="verdict ${summary.passed ? 'passed' : 'failed'}"><div>
<h1 id="verdict">memconform: ${verdict}</h1>
${stopped ? html`<p id="stop-reason"><code>${stopped.code}</code>: ${cap(stopped.message, 2_000)}</p>` : ''}
<p id="verdict-detail">${summary.passed ? 'No finding' : plural(failingCount, 'finding')} at or above --fail-on ${report.failOn} · ${plural(report.findings.length, 'finding')} in total · ${plural(report.targets.length, 'target')} · ${report.tool.name} ${report.tool.version} · started ${report.startedAt} · ${(report.durationMs / 1000).toFixed(1)} s</p>
</div></header>
<main>
<nav><a href="#summary">Summary</a><a href="#failures">Failures</a><a href="#checks">Checks</a><a href="#targets">Targets</a>${report.checks.some((c) => c.status === 'vacuous' || c.casesVacuous > 0) ? html`<a href="#vacuous">Vacuous checks</a>` : ''}</nav>
<section id="summary" class="cards">
${card(summary.cases, 'cases')}
${card(summary.requests, 'requests')}
${card(f.error, plural(f.error, 'error').replace(/^\d+ /, ''), f.error > 0 ? 'bad' : 'ok')}
${card(f.warning, plural(f.warning, 'warning').replace(/^\d+ /, ''), f.warning > 0 ? 'warn' : 'ok')}
${card(f.info, 'info')}
${card(summary.checks.exercised, 'checks exercised', 'ok')}
${card(summary.checks.vacuous, 'checks vacuous', summary.checks.vacuous > 0 ? 'warn' : '')}
${card(summary.checks.notApplicable, 'not applicable')}
${card(summary.checks.excluded, 'excluded')}
</section>
${failuresSection(report)}
${report.seed === undefined ? '' : html`<section id="seed"><h2>Seeded data and recall</h2><ul>${seedLines(report).map((line) => html`<li>${cap(line, 1_000)}</li>`)}</ul></section>`}
<section id="checks"><h2>Checks (${report.checks.length})</h2>
${checksTable(report)}
${excluded.length > 0 ? html`<p class="muted">Excluded on the command line: ${excluded.map((id, i) => html`${i > 0 ? ', ' : ''}<code>${id}</code>`)}.</p>` : ''}
</section>
<section id="targets"><h2>Targets (${groups.length})</h2>
${sections}
</section>
${vacuousSection(report)}
<footer>${report.tool.name} ${report.tool.version} · report version ${report.reportVersion} · started ${report.startedAt} · fail-on ${report.failOn}</footer>
</main>
</body>
</html>
`;
  return page.value;
}

/** A self-contained HTML page for people, written to `report.html`. */
export const htmlReporter: Reporter = {
  name: 'html',
  fileName: 'report.html',
  description: 'One self-contained HTML page (no script, no network): verdict, checks, findings per target',
  render: (report) => renderHtml(report),
};
