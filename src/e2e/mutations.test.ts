/**
 * Mutation tests: the reference implementation with one deliberate break (its `faults` option) must make
 * `memconform run` report exactly the checks that rule belongs to — and every check in CHECKS must be made
 * to report by at least one break. Each break gets its own reference server on 127.0.0.1 (port 0), and the
 * BUILT CLI runs against each affected target as a user would (`--target URL --api X`, JSON report), so the
 * exit code, the option parsing, the package suites and the report are exercised too.
 */

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiName } from '../apis.js';
import { CHECKS } from '../checks/index.js';
import { REFERENCE_TOKEN, TOKEN_ENV } from '../options.js';
import { FAULTS, type Fault, type RunningReference, startReferenceServer } from '../reference/index.js';
import { mapPool } from '../runner/pool.js';
import type { Report } from '../runner/report.js';
import { runCli } from '../testing/built-cli.js';

/** The four targets the default run checks, and how a user points the CLI at each. */
type ReferenceTargetName = 'memos' | 'mem0' | 'memmachine' | 'memmachine-self-hosted';
const TARGETS: Readonly<Record<ReferenceTargetName, { api: ApiName; url: (r: RunningReference) => string }>> =
  {
    memos: { api: 'memos', url: (r) => r.targets.memos },
    mem0: { api: 'mem0', url: (r) => r.targets.mem0 },
    memmachine: { api: 'memmachine', url: (r) => r.targets.memmachine },
    // A target path ending in /api selects the self-hosted flavour (no auth).
    'memmachine-self-hosted': { api: 'memmachine', url: (r) => r.targets.memmachineSelfHosted },
  };

/** One break and what each target it affects must report (check ids with findings; nothing else). */
interface Mutation {
  readonly fault: Fault;
  /** Targets the break is run against, each with the exact set of checks that must report findings. */
  readonly expected: Readonly<Partial<Record<ReferenceTargetName, readonly string[]>>>;
  /** Why a check besides the rule's own reports (a side effect of the break, not noise). */
  readonly why?: string;
}

const ALL_FOUR = (checks: readonly string[]) => ({
  memos: checks,
  mem0: checks,
  memmachine: checks,
  'memmachine-self-hosted': checks,
});

const MUTATIONS: readonly Mutation[] = [
  { fault: 'drop-connection', expected: ALL_FOUR(['request-completes']) },
  {
    fault: 'undocumented-status',
    expected: {
      memos: ['status-code-documented'],
      mem0: ['status-code-documented'],
      memmachine: ['response-schema-conformance'],
      'memmachine-self-hosted': ['response-schema-conformance'],
    },
    why: 'MemMachine documents a `default` response (its error body), so a 202 is documented and its search body fails the MemMachineError schema instead.',
  },
  { fault: 'text-content-type', expected: ALL_FOUR(['content-type-json']) },
  { fault: 'wrong-field-type', expected: ALL_FOUR(['response-schema-conformance']) },
  { fault: 'accept-invalid-input', expected: ALL_FOUR(['invalid-input-rejected']) },
  { fault: 'crash-on-bad-json', expected: ALL_FOUR(['invalid-input-rejected']) },
  {
    fault: 'no-auth',
    expected: {
      memos: ['credentials-required'],
      mem0: ['credentials-required'],
      memmachine: ['credentials-required'],
      // Self-hosted MemMachine has no auth (x-memconform-auth: none): accepting anyone is its contract.
      'memmachine-self-hosted': [],
    },
  },
  { fault: 'auth-403', expected: { mem0: ['credentials-required'] } },
  {
    fault: 'ignore-limit',
    expected: {
      memos: ['result-limit-respected', 'pages-do-not-overlap'],
      mem0: ['result-limit-respected'],
      memmachine: ['result-limit-respected'],
      'memmachine-self-hosted': ['result-limit-respected'],
    },
    why: 'MemOS get/memory ignoring `size` answers every page with all items, so page 2 repeats page 1.',
  },
  {
    fault: 'unsorted-results',
    expected: {
      memos: ['ranked-by-score-descending', 'threshold-narrows-results'],
      mem0: ['ranked-by-score-descending'],
    },
    why: 'Reversed before the limit, the default-relativity answer keeps the least relevant items, so the items of the relativity 0.6 step are not among them.',
  },
  {
    fault: 'limit-before-rank',
    expected: {
      memos: ['threshold-narrows-results'],
      mem0: [],
      memmachine: ['threshold-narrows-results'],
      'memmachine-self-hosted': ['threshold-narrows-results'],
    },
  },
  {
    fault: 'long-term-by-score',
    expected: {
      memmachine: ['long-term-chronological'],
      'memmachine-self-hosted': ['long-term-chronological'],
    },
  },
  {
    fault: 'ignore-threshold',
    expected: {
      memos: ['relevance-threshold-respected'],
      mem0: ['relevance-threshold-respected'],
      memmachine: ['relevance-threshold-respected'],
      'memmachine-self-hosted': ['relevance-threshold-respected'],
    },
  },
  { fault: 'ignore-type-switches', expected: ALL_FOUR(['type-switches-honoured']) },
  {
    fault: 'top-k-over-all-lists',
    expected: {
      memmachine: ['limit-filled-per-list', 'threshold-narrows-results'],
      'memmachine-self-hosted': ['limit-filled-per-list', 'threshold-narrows-results'],
    },
    why: 'A threshold that drops long-term episodes leaves more of the shared top_k to semantic features, so they change with the threshold.',
  },
  {
    fault: 'expand-context-ignored',
    expected: {
      memmachine: ['expand-context-honoured'],
      'memmachine-self-hosted': ['expand-context-honoured'],
    },
  },
  {
    fault: 'duplicate-episodes',
    expected: { memmachine: ['no-duplicate-episodes'], 'memmachine-self-hosted': ['no-duplicate-episodes'] },
  },
  { fault: 'wrong-page-count', expected: { memos: ['pagination-consistent'] } },
  { fault: 'overlapping-pages', expected: { memos: ['pages-do-not-overlap'] } },
  { fault: 'zero-based-pages', expected: { memos: ['documented-defaults-applied'] } },
  { fault: 'relativity-zero-unset', expected: { memos: ['threshold-narrows-results'] } },
  { fault: 'tool-memory-default-from-search', expected: { memos: ['documented-defaults-applied'] } },
  {
    fault: 'leak-other-users',
    expected: {
      memos: ['no-cross-user-leak', 'unknown-user-empty'],
      mem0: ['no-cross-user-leak', 'unknown-user-empty'],
      'memmachine-self-hosted': ['no-cross-user-leak'],
      memmachine: ['no-cross-user-leak'],
    },
    why: "The unknown user gets the other users' memories, so its answer is no longer empty.",
  },
  {
    fault: 'ignore-filter',
    expected: {
      memos: ['filter-narrows-results'],
      mem0: ['filter-narrows-results'],
      memmachine: ['filter-narrows-results', 'no-cross-user-leak', 'unknown-user-empty'],
      'memmachine-self-hosted': ['filter-narrows-results', 'no-cross-user-leak', 'unknown-user-empty'],
    },
    why: 'MemMachine scopes users only by a metadata.user_id filter, so ignoring filters leaks users.',
  },
  {
    fault: 'bare-literal-tokenizer',
    expected: {
      memmachine: ['invalid-input-rejected'],
      'memmachine-self-hosted': ['invalid-input-rejected'],
    },
  },
  {
    fault: 'unstable-order',
    expected: {
      memos: ['stable-results', 'ranked-by-score-descending'],
      mem0: ['stable-results', 'ranked-by-score-descending'],
      memmachine: ['stable-results', 'long-term-chronological'],
      'memmachine-self-hosted': ['stable-results', 'long-term-chronological'],
    },
    why: 'A rotated list is no longer in score order (MemOS, Mem0) or time order (MemMachine long-term).',
  },
  {
    fault: 'reject-nulls',
    expected: ALL_FOUR(['nulls-and-unknown-fields-tolerated', 'valid-request-accepted']),
    why: 'The rejected request is a valid request too.',
  },
  {
    fault: 'reject-unknown-fields',
    expected: ALL_FOUR(['nulls-and-unknown-fields-tolerated', 'valid-request-accepted']),
    why: 'The rejected request is a valid request too.',
  },
  {
    fault: 'unknown-user-error',
    expected: {
      memos: ['unknown-user-empty', 'valid-request-accepted', 'status-code-documented'],
      mem0: ['unknown-user-empty', 'valid-request-accepted'],
    },
    why: 'A 404 for a valid request is a rejected valid request; MemOS documents no 404 (its errors are bodies on 200 or 4xx/5xx it lists).',
  },
];

/**
 * Checks no fault of the reference can make report, with the reason and where the check is proven instead.
 * Keep this list short: a check listed here is one the mutation table does not guard.
 */
const NOT_MUTATED: Readonly<Record<string, string>> = {
  'required-headers-present':
    'no spec marks a response header required, so no header-less answer breaks a rule; proven against an inline spec in src/e2e/protocol-checks.test.ts',
};

/** What one CLI run against one target of a broken reference showed. */
interface TargetRun {
  /** Check ids with findings, sorted. */
  readonly checks: readonly string[];
  /** The exit code agreed with the report: 1 when it holds an error-level finding, else 0. */
  readonly exitCodeMatchesReport: boolean;
}

const scratch = mkdtempSync(join(tmpdir(), 'memconform-mutations-'));
const references: RunningReference[] = [];
/** Runs the built CLI against one target of a started reference and reads its JSON report. */
async function runTarget(reference: RunningReference, name: ReferenceTargetName): Promise<TargetRun> {
  const out = mkdtempSync(join(scratch, `${name}-`));
  const { api, url } = TARGETS[name];
  const args = ['run', '--target', url(reference), '--api', api, '--reporter', 'json', '--out', out];
  const { code, stderr } = await runCli(args, { env: { [TOKEN_ENV]: REFERENCE_TOKEN } });
  if (code !== 0 && code !== 1) throw new Error(`exit ${code} for ${name}: ${stderr}`);
  const exitCode = code;
  const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as Report;
  return {
    checks: [...new Set(report.findings.map((f) => f.checkId))].sort(),
    exitCodeMatchesReport: exitCode === (report.summary.findings.error > 0 ? 1 : 0),
  };
}

/** Starts a reference with `faults` and runs the CLI against each of `names` (a few processes at a time). */
async function runBroken(
  faults: readonly Fault[],
  names: readonly ReferenceTargetName[],
): Promise<Record<string, TargetRun>> {
  const reference = await startReferenceServer({ host: '127.0.0.1', port: 0, faults });
  references.push(reference);
  const runs = await mapPool(names, names.length, (name) => runTarget(reference, name));
  return Object.fromEntries(names.map((name, index) => [name, runs[index] as TargetRun]));
}

/** One settled run per fault (started in beforeAll, a few faults at a time; each test awaits its own). */
const runs = new Map<
  Fault,
  Promise<{ ok: true; value: Record<string, TargetRun> } | { ok: false; error: unknown }>
>();

/** Runs at most `max` of the given tasks at once; each caller gets its own task's promise. */
function limiter(max: number): <T>(task: () => Promise<T>) => Promise<T> {
  let active = 0;
  const waiting: (() => void)[] = [];
  return async (task) => {
    if (active >= max) await new Promise<void>((resolve) => waiting.push(resolve));
    active += 1;
    try {
      return await task();
    } finally {
      active -= 1;
      waiting.shift()?.();
    }
  };
}

beforeAll(() => {
  // Each fault spawns one CLI per affected target; a few faults at a time keep the machine responsive.
  const limit = limiter(3);
  for (const mutation of MUTATIONS) {
    const names = Object.keys(mutation.expected) as ReferenceTargetName[];
    runs.set(
      mutation.fault,
      limit(() => runBroken([mutation.fault], names)).then(
        (value) => ({ ok: true as const, value }),
        (error: unknown) => ({ ok: false as const, error }),
      ),
    );
  }
});

afterAll(async () => {
  await Promise.all([...runs.values()]);
  await Promise.all(references.splice(0).map((reference) => reference.close()));
  rmSync(scratch, { recursive: true, force: true });
});

describe('mutation table', () => {
  it('names each fault once, and only faults the reference has', () => {
    const faults = MUTATIONS.map((m) => m.fault);
    expect(new Set(faults).size).toBe(faults.length);
    const known = new Set<string>(FAULTS.map((f) => f.id));
    expect(faults.filter((fault) => !known.has(fault))).toEqual([]);
  });

  it('makes every check in CHECKS report, except the few listed with a reason', () => {
    const ids = CHECKS.map((check) => check.id);
    const covered = new Set(MUTATIONS.flatMap((m) => Object.values(m.expected).flat()));
    expect(ids.filter((id) => !covered.has(id) && !(id in NOT_MUTATED))).toEqual([]);
    // A listed check that a break does make report belongs in the table, not in the list.
    expect(Object.keys(NOT_MUTATED).filter((id) => covered.has(id))).toEqual([]);
    expect(Object.keys(NOT_MUTATED).filter((id) => !ids.includes(id))).toEqual([]);
    expect([...covered].filter((id) => !ids.includes(id))).toEqual([]);
  });
});

describe('the reference without faults', () => {
  it('passes every target through the same harness (exit 0, no finding)', async () => {
    const observed = await runBroken([], Object.keys(TARGETS) as ReferenceTargetName[]);
    for (const run of Object.values(observed))
      expect(run).toEqual({ checks: [], exitCodeMatchesReport: true });
    // Four CLI runs beside the queued faults' runs: the budget covers a loaded machine, it measures nothing.
  }, 300_000);
});

describe('the reference with one fault', () => {
  it.each(MUTATIONS.map((mutation) => [mutation.fault, mutation] as const))(
    '%s is reported by exactly the expected checks, with the exit code the report calls for',
    async (_fault, mutation) => {
      const run = await runs.get(mutation.fault);
      if (!run?.ok) throw run?.error ?? new Error(`no run for ${mutation.fault}`);
      const expected = Object.fromEntries(
        Object.entries(mutation.expected).map(([name, ids]) => [
          name,
          { checks: [...(ids ?? [])].sort(), exitCodeMatchesReport: true },
        ]),
      );
      expect(run.value).toEqual(expected);
    },
    // A test may wait for the faults queued before its own.
    120_000,
  );
});
