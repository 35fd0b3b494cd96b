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
 * seeded ids, and deletes what it wrote afterwards, also when the run fails or is interrupted. `signal` is the
 * run's interruption (Ctrl-C, SIGTERM, owned by the run command): once aborted no case starts, no recall is
 * measured, the seeded data is deleted even under `--keep-data`, and the report comes back marked
 * `interrupted` so the caller writes it and exits 130. `--keep-data` leaves the data and prints its ids. The
 * report gets a `seed` section.
 */
export async function runSeeded(
  targets: readonly RunTarget[],
  options: RunOptions,
  io: CommandIO,
  toolVersion: string,
  run: (targets: RunTarget[]) => Promise<Report>,
  signal?: AbortSignal,
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
  const interrupted = () => signal?.aborted === true;
  const sayCleanup = () => io.stderr('memconform: deleting the seeded data before stopping…\n');
  signal?.addEventListener('abort', sayCleanup, { once: true });
  try {
    let indexingMs = 0;
    if (!interrupted()) {
      io.stderr(
        `memconform: seeding ${targets.map((t) => `${t.info.api} (${withoutUserinfo(t.info.url)})`).join(', ')} under run id ${runId}…\n`,
      );
      try {
        indexingMs = await seedTargets(seeded, {
          timeoutMs: options.seedTimeoutMs,
          progress: (line) => io.stderr(`${line}\n`),
          aborted: interrupted,
        });
        const written = seeded.reduce((n, { session }) => n + session.ledger.written, 0);
        if (!interrupted())
          io.stderr(
            `memconform: seeded ${written} messages; searchable after ${(indexingMs / 1000).toFixed(1)} s\n`,
          );
      } catch (error) {
        // Interrupted while waiting, seedTargets has deleted what it wrote: the run below starts no case.
        if (!interrupted()) {
          if (!(error instanceof MemconformError)) throw error;
          // Seeding failed and seedTargets deleted what it wrote: no case can run, but the requested reports
          // are still written, saying why (CI publishes them whatever the exit code).
          const report = await run([]);
          const seed = seedSummary(runId, seeded, 0, false, undefined);
          return { ...report, seed, error: { code: error.code, message: error.message } };
        }
      }
    }

    let report: Report;
    let recall: Awaited<ReturnType<typeof measureRecall>> | undefined;
    // Decided once the cases are over: an interruption deletes the data even under --keep-data.
    let kept = false;
    try {
      // Once interrupted the run starts no case and returns at once, marked interrupted.
      report = await run(
        targets.map((target, index) => ({ ...target, variables: seeded[index]?.session.variables ?? {} })),
      );
      if (!interrupted())
        recall = await untilAborted(measureRecall(seeded, await loadGoldenSet(packageRoot())), signal);
    } finally {
      kept = options.keepData && !interrupted();
      if (!kept) await cleanupTargets(seeded);
    }
    const seed = seedSummary(runId, seeded, indexingMs, kept, recall);
    if (kept) {
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
    } else if (interrupted()) {
      io.stderr(`memconform: deleted the ${seed.deleted} seeded memories\n`);
    }
    return withRecallGate({ ...report, seed }, options.minRecall);
  } finally {
    signal?.removeEventListener('abort', sayCleanup);
    await http.close();
  }
}

/** `work`'s result, or undefined as soon as `signal` is aborted (the work is left to finish unheard). */
async function untilAborted<T>(work: Promise<T>, signal: AbortSignal | undefined): Promise<T | undefined> {
  if (signal === undefined) return work;
  let onAbort = () => {};
  const aborted = new Promise<undefined>((resolve) => {
    onAbort = () => resolve(undefined);
    signal.addEventListener('abort', onAbort, { once: true });
  });
  try {
    return await Promise.race([work, aborted]);
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
}
