/**
 * `memconform run --seed` as a user gating a fresh deployment runs it: the built CLI against an empty
 * reference (what `memconform serve --no-data` serves), for every API and flavour. The seeded run must
 * exercise every behaviour check (none vacuous), delete exactly what it created, and leave nothing behind;
 * a target whose writes never become searchable must end with MC_ERR_SEED within --seed-timeout, still
 * clean up and still write its reports; Ctrl-C while seeding deletes the seeded data, writes the reports and exits 130.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ApiName } from '../apis.js';
import { REFERENCE_TOKEN, TOKEN_ENV } from '../options.js';
import {
  emptyReferenceDataset,
  type Fault,
  type RunningReference,
  startReferenceServer,
} from '../reference/index.js';
import type { Report } from '../runner/report.js';
import { runCli, signalWhenOutput } from '../testing/built-cli.js';

const scratch = mkdtempSync(join(tmpdir(), 'memconform-seed-'));
const references: RunningReference[] = [];
afterAll(async () => {
  await Promise.all(references.splice(0).map((reference) => reference.close()));
  rmSync(scratch, { recursive: true, force: true });
});

type TargetName = 'memos' | 'mem0' | 'memmachine' | 'memmachine-self-hosted';
const TARGETS: Readonly<Record<TargetName, { api: ApiName; url: (r: RunningReference) => string }>> = {
  memos: { api: 'memos', url: (r) => r.targets.memos },
  mem0: { api: 'mem0', url: (r) => r.targets.mem0 },
  memmachine: { api: 'memmachine', url: (r) => r.targets.memmachine },
  'memmachine-self-hosted': { api: 'memmachine', url: (r) => r.targets.memmachineSelfHosted },
};

async function emptyReference(faults: readonly Fault[] = []): Promise<RunningReference> {
  const reference = await startReferenceServer({ dataset: emptyReferenceDataset(), faults });
  references.push(reference);
  return reference;
}

/** Runs the built CLI with --seed against one target; resolves with the exit code, stderr and report. */
async function seededRun(
  reference: RunningReference,
  name: TargetName,
  extra: readonly string[] = [],
): Promise<{ code: number | null; stderr: string; report?: Report }> {
  const out = mkdtempSync(join(scratch, `${name}-`));
  const { api, url } = TARGETS[name];
  const args = [
    'run',
    '--target',
    url(reference),
    '--api',
    api,
    '--seed',
    '--reporter',
    'json',
    '--out',
    out,
    ...extra,
  ];
  const { code, stderr } = await runCli(args, { env: { [TOKEN_ENV]: REFERENCE_TOKEN } });
  let report: Report | undefined;
  try {
    report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as Report;
  } catch {
    report = undefined;
  }
  return { code, stderr, ...(report === undefined ? {} : { report }) };
}

/** The run id memconform printed (every seeded name starts with mc-<run id>-). */
function runIdOf(stderr: string): string {
  const match = /under run id ([0-9a-f]{8})/.exec(stderr);
  if (!match?.[1]) throw new Error(`no run id in: ${stderr}`);
  return match[1];
}

describe('run --seed against an empty reference', () => {
  it.each(Object.keys(TARGETS) as TargetName[])(
    '%s: every behaviour check exercised, everything created is deleted, nothing left behind',
    async (name) => {
      const reference = await emptyReference();
      const { code, stderr, report } = await seededRun(reference, name);
      expect(code, stderr).toBe(0);
      const seed = report?.seed;
      expect(seed?.created).toBeGreaterThan(0);
      expect(seed?.deleted).toBe(seed?.created);
      expect(seed?.notDeleted).toBe(0);
      const vacuous = report?.checks.filter((c) => c.category === 'behaviour' && c.status === 'vacuous');
      expect(vacuous?.map((c) => c.id)).toEqual([]);
      expect(report?.summary.checks.exercised).toBeGreaterThan(10);
      // Nothing of the run is left: no memory, user or project carries the run's names.
      expect(JSON.stringify(reference.snapshot())).not.toContain(`mc-${runIdOf(stderr)}-`);
      if (name === 'mem0') {
        const user = seed?.targets[0]?.variables.user as string;
        const found = await fetch(`${reference.url}/v1/memories/search/`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Token ${REFERENCE_TOKEN}` },
          body: JSON.stringify({ query: 'vegetarian food travel Japan', user_id: user }),
        });
        expect(await found.json()).toEqual([]);
      }
    },
    180_000,
  );

  it('ends with MC_ERR_SEED within --seed-timeout when writes never become searchable, and still cleans up', async () => {
    const reference = await emptyReference(['writes-not-searchable']);
    const { code, stderr, report } = await seededRun(reference, 'mem0', ['--seed-timeout', '2']);
    expect(code).toBe(2);
    expect(stderr).toMatch(
      /never became searchable within 2 s for \d+ of \d+ user\(s\): mc-[0-9a-f]{8}-alex/,
    );
    expect(stderr).toContain('(MC_ERR_SEED)');
    // The report is written all the same, saying why no case ran and what was deleted.
    expect(report?.error?.code).toBe('MC_ERR_SEED');
    expect(report?.cases).toEqual([]);
    expect(report?.seed?.deleted).toBe(report?.seed?.created);
    expect(JSON.stringify(reference.snapshot())).not.toContain(`mc-${runIdOf(stderr)}-`);
  }, 180_000);

  it('deletes the seeded data, writes the reports and exits 130 on Ctrl-C while waiting for the data', async () => {
    // Writes that never become searchable keep the run in the seeding wait until the signal comes.
    const reference = await emptyReference(['writes-not-searchable']);
    const out = mkdtempSync(join(scratch, 'sigint-'));
    const { code, stderr } = await runCli(
      ['run', '--target', reference.targets.mem0, '--api', 'mem0', '--seed', '--seed-timeout', '600'].concat([
        '--keep-data',
        '--reporter',
        'json,junit',
        '--out',
        out,
      ]),
      {
        env: { [TOKEN_ENV]: REFERENCE_TOKEN },
        // One Ctrl-C only: a second one quits at once, by design.
        onStart: (child) => signalWhenOutput(child, 'stderr', /under run id/, 'SIGINT'),
      },
    );
    expect(code, stderr).toBe(130);
    expect(stderr).toContain('deleting the seeded data before stopping');
    expect(stderr).not.toContain('MC_ERR_SEED');
    const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as Report;
    expect(report.interrupted).toBe(true);
    expect(report.cases).toEqual([]);
    // --keep-data gives way to the interruption: nothing the run wrote stays behind.
    expect(report.seed).toMatchObject({ kept: false });
    expect(report.seed?.created).toBeGreaterThan(0);
    expect(report.seed?.deleted).toBe(report.seed?.created);
    expect(readFileSync(join(out, 'junit.xml'), 'utf8')).toContain('<testsuites');
    expect(JSON.stringify(reference.snapshot())).not.toContain(`mc-${runIdOf(stderr)}-`);
  }, 180_000);

  it('leaves the data in place with --keep-data and prints its ids', async () => {
    const reference = await emptyReference();
    const { code, stderr, report } = await seededRun(reference, 'mem0', ['--keep-data']);
    expect(code, stderr).toBe(0);
    expect(report?.seed).toMatchObject({ kept: true, deleted: 0 });
    const ids = report?.seed?.targets[0]?.keptIds ?? [];
    expect(ids.length).toBe(report?.seed?.created);
    expect(stderr).toContain(ids[0]);
    expect(JSON.stringify(reference.snapshot())).toContain(`mc-${runIdOf(stderr)}-alex`);
  }, 180_000);
});

describe('recall of the golden queries', () => {
  it('is reported per target; a reference that drops the best match scores lower and trips --min-recall', async () => {
    const clean = await seededRun(await emptyReference(), 'mem0', ['--min-recall', '0.9']);
    expect(clean.code, clean.stderr).toBe(0);
    const good = clean.report?.seed?.recall;
    expect(good).toMatchObject({ k: 5, matchedBy: 'id' });
    expect(good?.queries).toBeGreaterThan(0);
    expect(clean.report?.seed?.targets[0]?.recall).toEqual(good);

    const broken = await seededRun(await emptyReference(['drop-best-match']), 'mem0', [
      '--min-recall',
      '0.9',
    ]);
    const worse = broken.report?.seed?.recall;
    expect(worse?.recallAtK).toBeLessThan(good?.recallAtK ?? 0);
    expect(worse?.mrr).toBeLessThan(good?.mrr ?? 0);
    expect(broken.code).toBe(1);
    expect(broken.report?.findings.filter((f) => f.checkId === 'min-recall')).toHaveLength(1);
    expect(broken.report?.seed?.deleted).toBe(broken.report?.seed?.created);
  }, 180_000);
});

/**
 * The mutation table over seeded data: a break of the reference is reported by the same checks whether the
 * target held the fixture data or memconform seeded it (compare src/e2e/mutations.test.ts), and a delete
 * that is acknowledged but not done shows in the seed section.
 */
describe('run --seed against a broken empty reference', () => {
  const ALL = (checks: readonly string[]): Record<TargetName, readonly string[]> => ({
    memos: checks,
    mem0: checks,
    memmachine: checks,
    'memmachine-self-hosted': checks,
  });
  const TABLE: readonly { fault: Fault; expected: Record<TargetName, readonly string[]> }[] = [
    {
      fault: 'leak-other-users',
      expected: {
        memos: ['no-cross-user-leak', 'unknown-user-empty'],
        mem0: ['no-cross-user-leak', 'unknown-user-empty'],
        memmachine: ['no-cross-user-leak'],
        'memmachine-self-hosted': ['no-cross-user-leak'],
      },
    },
    {
      fault: 'ignore-limit',
      expected: {
        memos: ['pages-do-not-overlap', 'result-limit-respected'],
        mem0: ['result-limit-respected'],
        memmachine: ['result-limit-respected'],
        'memmachine-self-hosted': ['result-limit-respected'],
      },
    },
    {
      fault: 'ignore-filter',
      expected: {
        memos: ['filter-narrows-results'],
        mem0: ['filter-narrows-results'],
        memmachine: ['filter-narrows-results', 'no-cross-user-leak', 'unknown-user-empty'],
        'memmachine-self-hosted': ['filter-narrows-results', 'no-cross-user-leak', 'unknown-user-empty'],
      },
    },
    { fault: 'deletes-ignored', expected: ALL([]) },
  ];

  it.each(TABLE.map((row) => [row.fault, row] as const))(
    '%s is reported by exactly the expected checks on seeded data',
    async (fault, row) => {
      const reference = await emptyReference([fault]);
      for (const name of Object.keys(TARGETS) as TargetName[]) {
        const { stderr, report } = await seededRun(reference, name);
        const checks = [...new Set(report?.findings.map((f) => f.checkId))].sort();
        expect(checks, `${name}: ${stderr}`).toEqual([...row.expected[name]].sort());
        if (fault === 'deletes-ignored') {
          expect(report?.seed?.notDeleted, name).toBeGreaterThan(0);
          expect(stderr).toContain('could not delete');
        } else expect(report?.seed?.notDeleted, name).toBe(0);
      }
    },
    300_000,
  );
});
