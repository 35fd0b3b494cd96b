import { randomBytes } from 'node:crypto';
import { MemconformError } from '../errors.js';
import type { RecallSummary, SeedSummary, SeedTargetSummary } from '../runner/report.js';
import { type GoldenSet, scoreQuery, summarise } from './recall.js';
import { Namespace, type SeedSession, SeedWriteError, type WaitProbe } from './session.js';

/** How `run --seed` seeds and waits. */
export interface SeedOptions {
  /** Bound on the wait for seeded data to become searchable. */
  readonly timeoutMs: number;
  /** Writes one progress line (to stderr). */
  readonly progress: (line: string) => void;
  /** Waits; injected by tests. */
  readonly sleep?: (ms: number) => Promise<void>;
  /** Current time in ms; injected by tests. */
  readonly now?: () => number;
  /** True once the user asked to stop (Ctrl-C): the wait ends, what was written is deleted. */
  readonly aborted?: () => boolean;
}

/** A session together with the target it seeds. */
export interface SeededTarget {
  readonly url: string;
  readonly session: SeedSession;
}

/** First and longest pause between two polls of a seeded user that does not answer yet. */
const FIRST_POLL_MS = 200;
const MAX_POLL_MS = 5_000;
/** How often the progress line repeats while waiting. */
const PROGRESS_EVERY_MS = 5_000;

/** A fresh run id: eight hex digits, so seeded names stay short and never collide with another run's. */
export function newRunId(): string {
  return randomBytes(4).toString('hex');
}

/** The namespace of one run. */
export function namespaceFor(runId: string): Namespace {
  return new Namespace(runId);
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Writes every session's data, then polls until each seeded user answers a search. Returns how long the
 * wait took. A refused write or a wait past `timeoutMs` deletes what was written and throws MC_ERR_SEED
 * naming the cause (and, for the wait, the users that never answered).
 */
export async function seedTargets(targets: readonly SeededTarget[], options: SeedOptions): Promise<number> {
  const sleep = options.sleep ?? defaultSleep;
  const now = options.now ?? Date.now;
  try {
    for (const { session } of targets) await session.write();
  } catch (error) {
    if (!(error instanceof SeedWriteError)) throw error;
    await cleanupTargets(targets);
    throw new MemconformError(
      'MC_ERR_SEED',
      `${error.message}. Deleted ${countDeleted(targets)} of the memories memconform had written; check the token's write permission`,
    );
  }
  const started = now();
  let waiting: WaitProbe[] = targets.flatMap(({ session }) => session.probes());
  const total = waiting.length;
  let pause = FIRST_POLL_MS;
  let lastProgress = started;
  while (waiting.length > 0) {
    const answered = await Promise.all(waiting.map((probe) => probe.probe().catch(() => false)));
    waiting = waiting.filter((_, index) => !answered[index]);
    if (waiting.length === 0) break;
    const elapsed = now() - started;
    if (options.aborted?.() === true) {
      await cleanupTargets(targets);
      throw new MemconformError(
        'MC_ERR_SEED',
        `interrupted while waiting for seeded data; deleted ${countDeleted(targets)} memories memconform wrote`,
      );
    }
    if (elapsed >= options.timeoutMs) {
      await cleanupTargets(targets);
      throw new MemconformError(
        'MC_ERR_SEED',
        `seeded data never became searchable within ${Math.round(options.timeoutMs / 1000)} s for ${waiting.length} of ${total} user(s): ${waiting.map((p) => p.user).join(', ')}. Deleted ${countDeleted(targets)} memories memconform wrote; raise --seed-timeout if the target indexes slowly`,
      );
    }
    if (now() - lastProgress >= PROGRESS_EVERY_MS) {
      lastProgress = now();
      options.progress(
        `memconform: seeding: ${total - waiting.length} of ${total} seeded users searchable after ${Math.round(elapsed / 1000)} s; waiting for ${waiting.map((p) => p.user).join(', ')} (up to ${Math.round(options.timeoutMs / 1000)} s)`,
      );
    }
    await sleep(Math.min(pause, Math.max(1, options.timeoutMs - elapsed)));
    pause = Math.min(pause * 2, MAX_POLL_MS);
  }
  const indexingMs = now() - started;
  for (const { session } of targets) await session.inventory();
  return indexingMs;
}

/**
 * Asks every golden query of each target's API as its seeded user and scores the answers: recall@k and MRR
 * per target and over all queries. A query whose request fails scores 0.
 */
export async function measureRecall(
  targets: readonly SeededTarget[],
  golden: GoldenSet,
): Promise<{ byTarget: Map<SeededTarget, RecallSummary>; overall: RecallSummary | undefined }> {
  const byTarget = new Map<SeededTarget, RecallSummary>();
  const all: { recall: number; reciprocalRank: number }[] = [];
  for (const target of targets) {
    const queries = golden.queries[target.session.api] ?? [];
    if (queries.length === 0) continue;
    const scores = [];
    for (const query of queries) {
      const ranked = await target.session.ask(query, golden.k).catch(() => []);
      scores.push(scoreQuery(ranked, query.relevant, golden.k));
    }
    all.push(...scores);
    byTarget.set(target, summarise(scores, golden.k, target.session.matchedBy));
  }
  const first = [...byTarget.values()][0];
  return { byTarget, overall: first === undefined ? undefined : summarise(all, golden.k, first.matchedBy) };
}

/**
 * Deletes what every session wrote; a failing session does not keep the others from cleaning up. Then
 * every seeded user is searched once more: one that still answers is listed as not deleted (a delete the
 * target acknowledged without doing it, or one it finishes later).
 */
export async function cleanupTargets(targets: readonly SeededTarget[]): Promise<void> {
  for (const { session } of targets) {
    try {
      await session.cleanup();
      for (const probe of session.probes()) {
        if (await probe.probe().catch(() => false)) {
          session.ledger.notDeleted.set(
            probe.user,
            'still answered a search right after its memories were deleted (deletion may be asynchronous)',
          );
        }
      }
    } catch (error) {
      session.ledger.notDeleted.set('(cleanup)', (error as Error).message);
    }
  }
}

function countDeleted(targets: readonly SeededTarget[]): number {
  return targets.reduce((n, { session }) => n + session.ledger.deleted.size, 0);
}

/** The report's `seed` section. */
export function seedSummary(
  runId: string,
  targets: readonly SeededTarget[],
  indexingMs: number,
  kept: boolean,
  recall?: { byTarget: ReadonlyMap<SeededTarget, RecallSummary>; overall: RecallSummary | undefined },
): SeedSummary {
  const summaries: SeedTargetSummary[] = targets.map((target) => {
    const { ledger, api, variables } = target.session;
    return {
      api,
      url: target.url,
      variables,
      written: ledger.written,
      created: ledger.created.size,
      deleted: ledger.deleted.size,
      notDeleted: [...ledger.notDeleted].map(([id, reason]) => ({ id, reason })),
      keptIds: kept ? [...ledger.created] : [],
      ...(recall?.byTarget.has(target) ? { recall: recall.byTarget.get(target) as RecallSummary } : {}),
    };
  });
  const sum = (pick: (s: SeedTargetSummary) => number) => summaries.reduce((n, s) => n + pick(s), 0);
  return {
    runId,
    indexingMs: Math.round(indexingMs),
    kept,
    written: sum((s) => s.written),
    created: sum((s) => s.created),
    deleted: sum((s) => s.deleted),
    notDeleted: sum((s) => s.notDeleted.length),
    targets: summaries,
    ...(recall?.overall === undefined ? {} : { recall: recall.overall }),
  };
}
