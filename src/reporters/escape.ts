/**
 * Escaping and shaping helpers shared by the markup reporters (JUnit XML, Markdown, HTML). Everything in a
 * report that came from a target (bodies, keys, messages built from them, URLs, failure messages) is
 * hostile data: these helpers turn it into text that cannot become markup in any of the three formats.
 */
import type { Severity } from '../checks/types.js';
import type { CaseSummary, Finding, Report, TargetSummary } from '../runner/report.js';

/** The longest value (in UTF-16 code units) most reporters print before cutting it. */
export const DEFAULT_VALUE_CAP = 2_000;

const SEVERITY_RANK: Readonly<Record<Severity, number>> = { info: 1, warning: 2, error: 3 };

/** True when a finding of `severity` fails a run with `--fail-on failOn`. */
export function failsRun(severity: Severity, failOn: Severity): boolean {
  return SEVERITY_RANK[severity] >= SEVERITY_RANK[failOn];
}

/** Sort key: errors first, then warnings, then info. */
export function severityOrder(severity: Severity): number {
  return -SEVERITY_RANK[severity];
}

/** Plural helper for counts in prose ("1 finding", "3 findings"). */
export function plural(count: number, singular: string, pluralForm = `${singular}s`): string {
  return `${count} ${count === 1 ? singular : pluralForm}`;
}

/** Deterministic string comparison (code-unit order, independent of the process locale). */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function hex(code: number, width: number): string {
  return code.toString(16).toUpperCase().padStart(width, '0');
}

/**
 * Characters shown as visible escapes instead of being passed through: C0/C1 controls and DEL (ANSI escape
 * sequences, NUL, bell, ...), bidirectional overrides/isolates (they can reorder what a reader sees, the
 * "Trojan Source" trick), U+2028/2029, BOM, noncharacters U+FFFE/U+FFFF and lone surrogates (illegal in
 * XML 1.0 and replaced by U+FFFD in HTML).
 * `keepLayout` keeps tab and line feed (and CRLF as LF) for preformatted blocks.
 * Differs from console.ts `terminalSafe` on purpose: report files keep every sent byte visible as evidence.
 */
export function visibleControls(text: string, keepLayout = false): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code >= 0xd800 && code <= 0xdbff) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        out += text[i] + (text[i + 1] ?? '');
        i++;
        continue;
      }
      out += `\\u${hex(code, 4)}`;
      continue;
    }
    if (code >= 0xdc00 && code <= 0xdfff) {
      out += `\\u${hex(code, 4)}`;
      continue;
    }
    if (keepLayout && (code === 0x0a || code === 0x09)) {
      out += text[i];
      continue;
    }
    if (keepLayout && code === 0x0d) {
      // CRLF and lone CR become LF: a bare CR would be normalised differently by each format.
      if (text.charCodeAt(i + 1) !== 0x0a) out += '\n';
      continue;
    }
    if (code === 0x0a) out += '\\n';
    else if (code === 0x09) out += '\\t';
    else if (code === 0x0d) out += '\\r';
    else if (
      code < 0x20 ||
      (code >= 0x7f && code <= 0x9f) ||
      (code >= 0x202a && code <= 0x202e) ||
      (code >= 0x2066 && code <= 0x2069) ||
      code === 0x200e ||
      code === 0x200f ||
      code === 0x061c ||
      code === 0x2028 ||
      code === 0x2029 ||
      code === 0xfeff ||
      code === 0xfffe ||
      code === 0xffff
    ) {
      out += `\\u${hex(code, 4)}`;
    } else {
      out += text[i];
    }
  }
  return out;
}

/**
 * Cuts `text` to at most `max` code units (never inside a surrogate pair) and says how much was left out:
 * "… (N more characters)".
 */
export function capText(text: string, max = DEFAULT_VALUE_CAP): string {
  if (text.length <= max) return text;
  let end = max;
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end--;
  return `${text.slice(0, end)}… (${text.length - end} more characters)`;
}

/**
 * A report value (`expected`, `actual`) as one line of JSON text. Strings are quoted so that `"1"` and `1`
 * differ; values JSON cannot express are described instead of throwing.
 */
export function formatValue(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (typeof value === 'bigint') return `${value}n`;
  try {
    const json = JSON.stringify(value);
    return json === undefined ? String(value) : json;
  } catch {
    return String(value);
  }
}

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

/** Escapes text for HTML element content and quoted attribute values (both quote kinds). */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ENTITIES[c] ?? c);
}

const HTML_ENTITIES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/**
 * Replaces every character XML 1.0 forbids (`Char ::= #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] |
 * [#x10000-#x10FFFF]`) with a visible escape, so a parser never rejects the document. Other controls and
 * bidi overrides are made visible too (see `visibleControls`); tab and line feed are kept.
 */
export function xmlSafe(text: string): string {
  return visibleControls(text, true);
}

/** Escapes text for XML element content. `>` is escaped too, so `]]>` can never appear. */
export function escapeXmlText(text: string): string {
  return xmlSafe(text).replace(/[&<>]/g, (c) => HTML_ENTITIES[c] ?? c);
}

/**
 * Escapes text for a double-quoted XML attribute value. Tab and line feed become character references
 * because attribute-value normalisation would otherwise turn them into spaces.
 */
export function escapeXmlAttr(text: string): string {
  return xmlSafe(text).replace(/[&<>"'\t\n]/g, (c) => XML_ATTR_ENTITIES[c] ?? c);
}

const XML_ATTR_ENTITIES: Readonly<Record<string, string>> = {
  ...HTML_ENTITIES,
  "'": '&apos;',
  '\t': '&#9;',
  '\n': '&#10;',
};

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
  if (failedWithout || found.some((f) => failsRun(f.severity, report.failOn))) return 'failed';
  if (found.length > 0) return 'below-fail-on';
  if (suiteCase.outcomes.length > 0 && suiteCase.outcomes.every((o) => o.status === 'vacuous'))
    return 'vacuous';
  return 'passed';
}
