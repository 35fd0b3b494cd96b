import { conclude, judgeAnswers, listNamed } from './results.js';
import type { Check, CheckOutcome, FindingDraft } from './types.js';

/**
 * MemMachine removes long-term episodes that are already in the short-term list (short-term wins), so an
 * episode uid never appears in both (MM-EPI `query_memory` in docs/sources.md).
 */
export const noDuplicateEpisodes: Check = {
  id: 'no-duplicate-episodes',
  title: 'No episode in both short- and long-term lists',
  description: 'MemMachine never returns the same episode uid in both the short-term and the long-term list.',
  severity: 'error',
  category: 'behaviour',
  sources: ['MM-EPI'],
  operations: ['memmachine.searchMemories'],
  run(context): CheckOutcome {
    return judgeAnswers(context, this.operations, (answers) => {
      const findings: FindingDraft[] = [];
      let judged = false;
      for (const answer of answers) {
        const shortIds = new Set((listNamed(answer, 'short-term')?.items ?? []).map((item) => item.id));
        shortIds.delete(undefined);
        const longTerm = (listNamed(answer, 'long-term')?.items ?? []).filter(
          (item) => item.id !== undefined,
        );
        if (shortIds.size === 0 || longTerm.length === 0) continue;
        judged = true;
        const repeated = longTerm.filter((item) => shortIds.has(item.id));
        const first = repeated[0];
        if (first === undefined) continue;
        findings.push({
          step: answer.name,
          pointer: first.idPointer,
          message: `Expected long-term episodes not to repeat short-term ones / Received uid ${first.id} in both lists`,
          expected: 'uid absent from short_term_memory',
          actual: first.id,
          count: repeated.length,
        });
      }
      return conclude(findings, judged, 'no answer held both short-term and long-term episodes to compare');
    });
  },
};
