import type { Severity } from './types.js';

const SEVERITY_RANK: Readonly<Record<Severity, number>> = { info: 1, warning: 2, error: 3 };

/** True when a finding of `severity` is at or above `threshold` (e.g. it fails a run with `--fail-on`). */
export function atOrAbove(severity: Severity, threshold: Severity): boolean {
  return SEVERITY_RANK[severity] >= SEVERITY_RANK[threshold];
}

/** Sort key: errors first, then warnings, then info. */
export function severityOrder(severity: Severity): number {
  return -SEVERITY_RANK[severity];
}
