import { atOrAbove } from '../checks/severity.js';
import type { Severity } from '../checks/types.js';
import type { CheckSummary, Finding, FindingGroup, Report, TargetSummary } from '../runner/report.js';
import { stopReason } from './report-view.js';
import { seedLines } from './seed.js';
import { plural } from './text.js';
import type { RenderOptions, Reporter } from './types.js';

/** Findings shown per check and target before "… and N more". */
export const CONSOLE_FINDINGS_PER_CHECK = 5;
/** Longest target-derived text printed on one line. */
export const CONSOLE_TEXT_CAP = 300;

type Paint = (text: string) => string;

interface Palette {
  readonly red: Paint;
  readonly yellow: Paint;
  readonly green: Paint;
  readonly dim: Paint;
  readonly bold: Paint;
  readonly cyan: Paint;
}

const sgr =
  (open: number, close: number): Paint =>
  (text) =>
    `\u001b[${open}m${text}\u001b[${close}m`;
const plain: Paint = (text) => text;

function palette(color: boolean): Palette {
  if (!color) return { red: plain, yellow: plain, green: plain, dim: plain, bold: plain, cyan: plain };
  return {
    red: sgr(31, 39),
    yellow: sgr(33, 39),
    green: sgr(32, 39),
    dim: sgr(2, 22),
    bold: sgr(1, 22),
    cyan: sgr(36, 39),
  };
}

const ESC = 0x1b;
const CSI = 0x9b;
const BEL = 0x07;
const BIDI = new Set([
  0x200e, 0x200f, 0x202a, 0x202b, 0x202c, 0x202d, 0x202e, 0x2066, 0x2067, 0x2068, 0x2069,
]);

/** Index just past the escape sequence starting at `start` (CSI, OSC, or a two-character escape). */
function skipEscape(text: string, start: number): number {
  const first = text.charCodeAt(start);
  let i = start + 1;
  if (first === ESC && text[i] === ']') {
    // OSC (hyperlinks, window titles): ends with BEL or ESC \.
    for (i += 1; i < text.length; i += 1) {
      if (text.charCodeAt(i) === BEL) return i + 1;
      if (text.charCodeAt(i) === ESC) return text[i + 1] === '\\' ? i + 2 : i;
    }
    return i;
  }
  if (first === CSI || text[i] === '[') {
    // CSI: parameter and intermediate bytes, then one final byte in @..~.
    if (first === ESC) i += 1;
    for (; i < text.length; i += 1) {
      const c = text.charCodeAt(i);
      if (c >= 0x40 && c <= 0x7e) return i + 1;
      if (c < 0x20 || c > 0x3f) return i;
    }
    return i;
  }
  return i < text.length ? i + 1 : i;
}

/**
 * Makes target-derived text safe for a terminal: ANSI/OSC escape sequences removed, other control and
 * bidirectional-override characters dropped (line breaks and tabs become spaces), and the result capped.
 * Differs from escape.ts `visibleControls` on purpose: a summary line is read, not kept, so controls go.
 */
export function terminalSafe(text: string, cap = CONSOLE_TEXT_CAP): string {
  let out = '';
  let lastSpace = false;
  for (let i = 0; i < text.length && out.length <= cap; ) {
    const c = text.charCodeAt(i);
    if (c === ESC || c === CSI) {
      i = skipEscape(text, i);
      continue;
    }
    if (c === 0x0a || c === 0x0d || c === 0x09) {
      if (!lastSpace) out += ' ';
      lastSpace = true;
      i += 1;
      continue;
    }
    if (c < 0x20 || (c >= 0x7f && c <= 0x9f) || BIDI.has(c)) {
      i += 1;
      continue;
    }
    out += text[i];
    lastSpace = false;
    i += 1;
  }
  return out.length > cap ? `${out.slice(0, cap)}…` : out;
}

/** A summary for people: per target, the failing checks with their findings, then the verdict. */
export const consoleReporter: Reporter = {
  name: 'console',
  description: 'a readable summary on standard output (colours on a terminal unless NO_COLOR / --no-color)',
  render: (report, options) => renderConsole(report, options),
};

function renderConsole(report: Report, options: RenderOptions): string {
  const c = palette(options.color);
  const lines: string[] = [];
  const s = report.summary;
  lines.push(
    `${c.bold(`memconform ${terminalSafe(report.tool.version)}`)} ${c.dim('·')} ${plural(report.targets.length, 'target')} ${c.dim('·')} ${plural(s.cases, 'case')} ${c.dim('·')} ${plural(s.requests, 'request')} ${c.dim('·')} ${seconds(report.durationMs)}`,
  );
  const checksById = new Map(report.checks.map((check) => [check.id, check]));
  for (const target of report.targets) {
    lines.push('');
    lines.push(targetLine(target, c));
    const groups = report.groups.filter((g) => belongsTo(g, target));
    if (groups.length === 0) {
      lines.push(`  ${c.green('✓')} no findings`);
      continue;
    }
    const byCheck = new Map<string, FindingGroup[]>();
    for (const group of groups) byCheck.set(group.checkId, [...(byCheck.get(group.checkId) ?? []), group]);
    for (const [checkId, checkGroups] of byCheck) {
      const findings = report.findings.filter((f) => f.checkId === checkId && belongsTo(f, target)).length;
      lines.push(...checkBlock(checksById.get(checkId), checkId, checkGroups, findings, c));
    }
  }
  lines.push('');
  lines.push(...checksLines(report, c));
  const retried = report.cases.flatMap((x) => x.steps).filter((step) => (step.retries?.length ?? 0) > 0);
  if (retried.length > 0) {
    const waits = retried.reduce((n, step) => n + (step.retries?.length ?? 0), 0);
    lines.push(
      c.yellow(
        `Rate limited: ${plural(retried.length, 'request')} answered 429 and sent again (${plural(waits, 'retry', 'retries')}); see the JSON report`,
      ),
    );
  }
  if (report.maxFailuresReached) {
    const { limit, casesNotRun } = report.maxFailuresReached;
    lines.push(c.yellow(`Stopped early (--max-failures ${limit}): ${plural(casesNotRun, 'case')} not run`));
  }
  lines.push(...seedLines(report).map((line) => terminalSafe(line)));
  lines.push(
    `Findings: ${c.red(plural(s.findings.error, 'error'))}, ${c.yellow(plural(s.findings.warning, 'warning'))}, ${plural(s.findings.info, 'info', 'info')}`,
  );
  const failing = report.findings.filter((f) => atOrAbove(f.severity, report.failOn)).length;
  const stopped = stopReason(report);
  lines.push(
    stopped
      ? `${c.red(c.bold(stopped.title.toUpperCase()))} — ${terminalSafe(stopped.message)}`
      : s.passed
        ? `${c.green(c.bold(`PASS`))} — no findings at or above ${report.failOn}`
        : c.red(c.bold('FAIL')) +
          ` — ${plural(failing, 'finding')} at or above ${report.failOn} (--fail-on ${report.failOn})`,
  );
  return `${lines.join('\n')}\n`;
}

function targetLine(target: TargetSummary, c: Palette): string {
  const notes = [target.flavour, target.authRequired ? 'auth required' : 'no auth'];
  if (target.builtIn) notes.push('built-in reference');
  return `${c.bold(c.cyan(target.api))}  ${terminalSafe(target.url)}  ${c.dim(`(${notes.join(', ')})`)}`;
}

/** A target is api + URL (memmachine runs twice, hosted and self-hosted); `targetUrl` is the target's url. */
function belongsTo(finding: Pick<Finding, 'api' | 'targetUrl'>, target: TargetSummary): boolean {
  return finding.api === target.api && finding.targetUrl === target.url;
}

function checkBlock(
  check: CheckSummary | undefined,
  checkId: string,
  groups: readonly FindingGroup[],
  findings: number,
  c: Palette,
): string[] {
  const worst = groups.some((g) => g.severity === 'error')
    ? 'error'
    : groups.some((g) => g.severity === 'warning')
      ? 'warning'
      : 'info';
  const mark = worst === 'error' ? c.red('✗') : worst === 'warning' ? c.yellow('!') : c.dim('i');
  const title = check ? c.dim(` — ${terminalSafe(check.title)}`) : '';
  const lines = [
    `  ${mark} ${c.bold(checkId)}${title}  ${severityLabel(worst, c)}  ${plural(findings, 'finding')}`,
  ];
  for (const group of groups.slice(0, CONSOLE_FINDINGS_PER_CHECK)) {
    const pointer =
      group.pointer === undefined || group.pointer === '' ? '' : `  ${c.cyan(terminalSafe(group.pointer))}`;
    const times = group.count > 1 ? c.dim(` (×${group.count})`) : '';
    const severity = group.severity === worst ? '' : ` ${severityLabel(group.severity, c)}`;
    const where = group.cases > 1 ? c.dim(`  in ${group.cases} cases`) : '';
    lines.push(`      ${terminalSafe(group.operationId)}${pointer}${severity}${where}`);
    lines.push(`        ${terminalSafe(group.message)}${times}`);
    const answer = answerLine(group.examples[0]?.evidence);
    if (answer !== '') lines.push(c.dim(`        answer: ${answer}`));
    // Every example case gets its own replay line, under the case it replays.
    for (const example of group.examples) {
      const at =
        example.pointer === undefined || example.pointer === '' ? '' : `  ${terminalSafe(example.pointer)}`;
      lines.push(`        ${[example.caseId, example.step].map((t) => terminalSafe(t)).join(' › ')}${at}`);
      lines.push(c.dim(`          replay: ${terminalSafe(example.curl, 2_000)}`));
    }
    if (group.cases > group.examples.length) {
      lines.push(
        c.dim(`        … and ${group.cases - group.examples.length} more cases (see the JSON report)`),
      );
    }
  }
  if (groups.length > CONSOLE_FINDINGS_PER_CHECK) {
    lines.push(c.dim(`      … and ${groups.length - CONSOLE_FINDINGS_PER_CHECK} more (see the JSON report)`));
  }
  return lines;
}

/** `200 OK · application/json` from a finding's evidence ('' when there is none). */
function answerLine(evidence: Finding['evidence']): string {
  if (!evidence || evidence.status === undefined) return '';
  const status = [evidence.status, evidence.statusText].filter((p) => p !== undefined).join(' ');
  return terminalSafe([status, evidence.contentType].filter((p) => p !== undefined).join(' · '));
}

function checksLines(report: Report, c: Palette): string[] {
  const k = report.summary.checks;
  const lines = [
    `Checks: ${k.exercised} exercised, ${k.vacuous} vacuous, ${k.notApplicable} not applicable, ${k.excluded} excluded`,
  ];
  const vacuous = report.checks.filter((check) => check.status === 'vacuous');
  for (const check of vacuous) {
    const reasons = check.vacuousReasons.map((r) => terminalSafe(r)).join('; ');
    lines.push(c.yellow(`  ~ ${check.id}${reasons === '' ? '' : `: ${reasons}`}`));
  }
  if (vacuous.length > 0) {
    lines.push(
      c.dim(
        '  Vacuous checks proved nothing: point --user-id / --other-user-id at users that hold data, or use suites whose queries match it.',
      ),
    );
  }
  return lines;
}

function severityLabel(severity: Severity, c: Palette): string {
  if (severity === 'error') return c.red('error');
  if (severity === 'warning') return c.yellow('warning');
  return c.dim('info');
}

function seconds(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}
