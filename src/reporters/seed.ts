import type { RecallSummary, Report } from '../runner/report.js';

/**
 * The seed section of a `run --seed` report as plain lines, shared by every reporter (each escapes them for
 * its own format): what was written and deleted, and the recall figure per target and overall.
 */
export function seedLines(report: Report): string[] {
  const seed = report.seed;
  if (seed === undefined) return [];
  // A seed that failed or was interrupted before the cases never measured when the data became searchable.
  const searchable =
    report.error?.code === 'MC_ERR_SEED'
      ? 'seeding failed (see the error)'
      : report.interrupted && report.cases.length === 0
        ? 'interrupted before the cases ran'
        : `searchable after ${(seed.indexingMs / 1000).toFixed(1)} s`;
  const lines = [
    `Seed (run id ${seed.runId}): wrote ${seed.written} messages, the target made ${seed.created} memories, ${searchable}; ${
      seed.kept
        ? 'kept (--keep-data)'
        : `deleted ${seed.deleted}${seed.notDeleted > 0 ? `, could not delete ${seed.notDeleted}` : ''}`
    }`,
  ];
  for (const target of seed.targets) {
    if (target.recall !== undefined)
      lines.push(`Recall ${target.api} ${target.url}: ${recallText(target.recall)}`);
  }
  if (seed.recall !== undefined && seed.targets.length > 1)
    lines.push(`Recall overall: ${recallText(seed.recall)}`);
  return lines;
}

function recallText(recall: RecallSummary): string {
  return `recall@${recall.k} ${recall.recallAtK.toFixed(2)}, MRR ${recall.mrr.toFixed(2)} over ${recall.queries} golden queries (matched by ${recall.matchedBy})`;
}
