import type { Severity } from '../checks/types.js';
import { pointerPattern } from '../spec/violations.js';
import type { Finding } from './report.js';

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
