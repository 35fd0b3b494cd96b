import type { CheckOutcome, FindingDraft } from './types.js';

/** The check does not apply to this case. */
export const notApplicable = (): CheckOutcome => ({ status: 'not-applicable' });

/** The check applied but had nothing to judge (say why, so the report can hint at a fix). */
export const vacuous = (reason: string): CheckOutcome => ({ status: 'vacuous', reason });

/** The check judged the case; no findings means it passed. */
export const checked = (findings: readonly FindingDraft[] = []): CheckOutcome => ({
  status: 'checked',
  findings,
});
