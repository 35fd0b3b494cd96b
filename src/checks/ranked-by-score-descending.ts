import { MEM0_SEARCHES } from './protocol-support.js';
import { conclude, judgeAnswers, type ResultItem } from './results.js';
import type { Check, CheckOutcome, FindingDraft } from './types.js';

/**
 * Result lists come most relevant first. Warn-level everywhere: Mem0's examples are all sorted by `score`
 * but no document states it (Z-CRIT); MemOS "ranks by relevance" with every live example sorted by
 * `relativity` (SEED0, M-MM, M-SRCH). MemMachine is left out on purpose: its long-term list is
 * chronological (MM-DECL), see `long-term-chronological`.
 */
export const rankedByScoreDescending: Check = {
  id: 'ranked-by-score-descending',
  title: 'Ranked by score, descending',
  description:
    'Search results come most relevant first: Mem0 results by score, MemOS memory/preference/tool lists by relativity (warn-level: documented by example only).',
  severity: 'warning',
  category: 'behaviour',
  sources: [],
  operations: ['memos.searchMemory', ...MEM0_SEARCHES],
  run(context): CheckOutcome {
    return judgeAnswers(context, this.operations, (answers) => {
      const findings: FindingDraft[] = [];
      let judged = false;
      for (const answer of answers) {
        // A reranked Mem0 answer is ordered by the reranker (items may carry `rerank_score`), not by `score`.
        if (answer.request.rerank === true) continue;
        for (const list of answer.lists) {
          const scored = list.items.filter(
            (item): item is ResultItem & { score: number } => item.score !== undefined,
          );
          if (scored.length < 2) continue;
          judged = true;
          const inversions = scored
            .slice(1)
            .filter((item, i) => item.score > (scored[i]?.score ?? item.score));
          const first = inversions[0];
          if (first === undefined) continue;
          const before = scored[scored.indexOf(first) - 1];
          findings.push({
            step: answer.name,
            pointer: first.scorePointer,
            message: `Expected ${list.name} items in descending score order (at most ${before?.score} after ${before?.pointer}) / Received ${first.score}`,
            expected: `<= ${before?.score}`,
            actual: first.score,
            count: inversions.length,
          });
        }
      }
      return conclude(findings, judged, 'no result list held two scored items to compare');
    });
  },
};
