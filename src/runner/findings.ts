import type { Severity } from '../checks/types.js';
import { pointerPattern } from '../spec/violations.js';
import type { Finding, FindingGroup } from './report.js';

/**
 * Collapses findings that say the same thing about the same place: same check, target, case, step, message
 * and pointer once array indices are replaced by `*`. The first finding is kept and the counts are summed.
 */
export function collapseFindings(findings: readonly Finding[]): Finding[] {
  const groups = new Map<string, Finding>();
  for (const finding of findings) {
    const key = [
      finding.checkId,
      finding.targetUrl,
      finding.api,
      finding.caseId,
      finding.step,
      finding.severity,
      finding.pointer === undefined ? '' : pointerPattern(finding.pointer),
      finding.message,
    ].join('\u0000');
    const existing = groups.get(key);
    groups.set(key, existing ? { ...existing, count: existing.count + finding.count } : finding);
  }
  return [...groups.values()];
}

/** Findings per severity. */
export function countBySeverity(findings: readonly Finding[]): Record<Severity, number> {
  const counts: Record<Severity, number> = { error: 0, warning: 0, info: 0 };
  for (const finding of findings) counts[finding.severity] += 1;
  return counts;
}

/** Example cases a finding group keeps (each with its own curl line and evidence). */
export const GROUP_EXAMPLES = 5;

/** Groups findings by root cause, in the order their first finding comes. */
export function groupFindings(findings: readonly Finding[]): FindingGroup[] {
  const groups = new Map<string, Finding[]>();
  for (const finding of findings) {
    const key = [
      finding.checkId,
      finding.targetUrl,
      finding.api,
      finding.operationId,
      finding.severity,
      finding.pointer === undefined ? '' : pointerPattern(finding.pointer),
      messageShape(finding.message),
    ].join('\u0000');
    groups.set(key, [...(groups.get(key) ?? []), finding]);
  }
  return [...groups.values()].map((members) => {
    const first = members[0] as Finding;
    const byCase = new Map<string, Finding>();
    for (const member of members) if (!byCase.has(member.caseId)) byCase.set(member.caseId, member);
    const examples = [...byCase.values(), ...members.filter((m) => byCase.get(m.caseId) !== m)].slice(
      0,
      GROUP_EXAMPLES,
    );
    return {
      checkId: first.checkId,
      severity: first.severity,
      api: first.api,
      operationId: first.operationId,
      targetUrl: first.targetUrl,
      ...(first.pointer === undefined ? {} : { pointer: pointerPattern(first.pointer) }),
      message: first.message,
      count: members.reduce((n, m) => n + m.count, 0),
      cases: byCase.size,
      examples,
    };
  });
}

/** A message with its quoted values and numbers set aside, so the same rule broken by other values matches. */
function messageShape(message: string): string {
  return message.replace(/"(?:[^"\\]|\\.)*"/g, '"…"').replace(/-?\b\d+(\.\d+)?\b/g, '#');
}
