import { MemconformError } from '../errors.js';
import { createHttpClient } from '../http/client.js';
import { withoutUserinfo } from '../http/redact.js';
import type { RunOptions } from '../options.js';
import { packageRoot } from '../package.js';
import { loadReferenceDataset } from '../reference/index.js';
import type { Finding, Report } from '../runner/report.js';
import type { RunTarget } from '../runner/run.js';
import {
  cleanupTargets,
  loadGoldenSet,
  measureRecall,
  namespaceFor,
  newRunId,
  type SeededTarget,
  seedSummary,
  seedTargets,
  sessionFor,
} from '../seed/index.js';
import type { CommandIO } from './types.js';

/** The id findings of the `--min-recall` gate carry (it is a gate of the run, not a check of a case). */
export const MIN_RECALL_ID = 'min-recall';

/** Adds an error finding for each target whose recall@k is below `--min-recall`. */
function withRecallGate(report: Report, minRecall: number | undefined): Report {
  if (minRecall === undefined || report.seed === undefined) return report;
  const findings: Finding[] = report.seed.targets.flatMap((target) => {
    const recall = target.recall;
    if (recall === undefined || recall.recallAtK >= minRecall) return [];
    return [
      {
        checkId: MIN_RECALL_ID,
        severity: 'error' as const,
        api: target.api,
        operationId: 'searchMemories',
        caseId: 'golden-queries',
        step: 'recall',
        message: `Expected recall@${recall.k} of at least ${minRecall} over ${recall.queries} golden queries / Received ${recall.recallAtK} (MRR ${recall.mrr})`,
        expected: minRecall,
        actual: recall.recallAtK,
        count: 1,
        curl: '',
        targetUrl: target.url,
      },
    ];
  });
  if (findings.length === 0) return report;
  return {
    ...report,
    findings: [...report.findings, ...findings],
    summary: {
      ...report.summary,
      findings: { ...report.summary.findings, error: report.summary.findings.error + findings.length },
      passed: false,
    },
  };
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * `run --seed`: seeds every target with the fixture data under a fresh run id, runs the cases against the
 * seeded ids, and deletes what it wrote afterwards, also when the run fails or is interrupted (Ctrl-C,
 * SIGTERM). `--keep-data` leaves the data and prints its ids. The report gets a `seed` section.
 */
export async function runSeeded(
  targets: readonly RunTarget[],
  options: RunOptions,
  io: CommandIO,
  toolVersion: string,
  run: (targets: RunTarget[]) => Promise<Report>,
): Promise<Report> {
  const http = createHttpClient({
    timeoutMs: options.timeoutMs,
    maxBodyBytes: options.maxBodyBytes,
    userAgent: `memconform/${toolVersion}`,
  });
  const dataset = await loadReferenceDataset();
  const runId = newRunId();
  const namespace = namespaceFor(runId);
  const seeded: SeededTarget[] = targets.map((target) => ({
    url: withoutUserinfo(target.info.url),
    session: sessionFor(
      target.info.api,
      target.info.flavour,
      dataset,
      namespace,
      { url: target.info.url, token: target.token, operations: target.spec.operations, http, sleep },
      Object.assign({}, ...target.suites.map((suite) => suite.variables)),
    ),
  }));

  let signalled: NodeJS.Signals | undefined;
  let stopRun: (signal: NodeJS.Signals) => void = () => {};
  const stopped = new Promise<never>((_, reject) => {
    stopRun = (signal) => reject(signal);
  });
  stopped.catch(() => {}); // only awaited once the cases run
  const onSignal = (signal: NodeJS.Signals): void => {
    signalled = signal;
    io.stderr(`\nmemconform: ${signal}: deleting the seeded data before stopping…\n`);
    stopRun(signal);
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    io.stderr(
      `memconform: seeding ${targets.map((t) => `${t.info.api} (${withoutUserinfo(t.info.url)})`).join(', ')} under run id ${runId}…\n`,
    );
    const indexingMs = await seedTargets(seeded, {
      timeoutMs: options.seedTimeoutMs,
      progress: (line) => io.stderr(`${line}\n`),
      aborted: () => signalled !== undefined,
    });
    const written = seeded.reduce((n, { session }) => n + session.ledger.written, 0);
    io.stderr(
      `memconform: seeded ${written} messages; searchable after ${(indexingMs / 1000).toFixed(1)} s\n`,
    );

    let report: Report;
    let recall: Awaited<ReturnType<typeof measureRecall>> | undefined;
    const keep = options.keepData;
    try {
      report = await Promise.race([
        run(
          targets.map((target, index) => ({ ...target, variables: seeded[index]?.session.variables ?? {} })),
        ),
        stopped,
      ]);
      recall = await Promise.race([measureRecall(seeded, await loadGoldenSet(packageRoot())), stopped]);
    } finally {
      if (!keep || signalled !== undefined) await cleanupTargets(seeded);
    }
    const seed = seedSummary(runId, seeded, indexingMs, keep, recall);
    if (keep) {
      io.stderr(
        `memconform: --keep-data: left ${seed.created} memories in the target (run id ${runId}): ${seed.targets
          .map((t) => `${t.api} ${Object.values(t.variables).join(', ')}; ids ${t.keptIds.join(', ')}`)
          .join(' | ')}\n`,
      );
    } else if (seed.notDeleted > 0) {
      io.stderr(
        `memconform: could not delete ${seed.notDeleted} seeded memories: ${seed.targets
          .flatMap((t) => t.notDeleted.map((n) => `${n.id} (${n.reason})`))
          .join('; ')}\n`,
      );
    }
    return withRecallGate({ ...report, seed }, options.minRecall);
  } catch (error) {
    if (signalled === undefined) throw error;
    const deleted = seeded.reduce((n, { session }) => n + session.ledger.deleted.size, 0);
    throw new MemconformError(
      'MC_ERR_SEED',
      `${signalled}: run interrupted; deleted ${deleted} seeded memories`,
    );
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await http.close();
  }
}
