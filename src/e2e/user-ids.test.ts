/**
 * Property: whatever shape a deployment's user ids have (UUIDs, emails, hyphens, dots, colons, digits only,
 * non-ASCII letters, spaces), every suite of every API raises no finding against a server that keeps the
 * contracts. The reference serves its fixtures with the suites' default users renamed to the drawn pair
 * (renameUsers, a pure dataset transform), and `memconform run --user-id A --other-user-id B` runs in-process
 * against it, one reference per drawn pair. Ids holding ' are left out: for MemMachine they are a usage
 * error (no literal can carry them, MM-FLT in docs/sources.md), tested in src/e2e/cli.test.ts.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { API_NAMES, type ApiName } from '../apis.js';
import { executeRun } from '../commands/run.js';
import { resolveOptions } from '../options.js';
import { packageRoot } from '../package.js';
import {
  loadReferenceDataset,
  type ReferenceDataset,
  renameUsers,
  type UserRenames,
} from '../reference/index.js';
import type { Reporter } from '../reporters/types.js';
import type { Report } from '../runner/report.js';
import { suiteFilesUnder } from '../suite/load.js';

/** MemOS refuses user ids over 100 characters (M-ERR 40010), so realistic ids stay well below. */
const MAX_ID_LENGTH = 60;

const word = fc.stringMatching(/^[a-z0-9]{1,8}$/);
const NON_ASCII = ['é', 'ü', 'ß', 'ø', 'ñ', 'ł', 'ж', 'д', 'λ', '中', '文', 'ا', 'ש', 'ğ'];
const ids: fc.Arbitrary<string> = fc
  .oneof(
    fc.uuid(),
    fc.emailAddress(),
    fc
      .tuple(word, fc.array(fc.tuple(fc.constantFrom('-', '.', ':'), word), { minLength: 1, maxLength: 3 }))
      .map(([first, rest]) => first + rest.map(([sep, part]) => sep + part).join('')),
    fc.stringMatching(/^[0-9]{1,12}$/),
    fc
      .array(fc.constantFrom(...NON_ASCII, 'a', 'o'), { minLength: 1, maxLength: 10 })
      .map((cs) => cs.join('')),
    fc
      .tuple(fc.constantFrom('Ada', 'Zoë', 'Li Wei', 'José'), fc.constantFrom('Lovelace', 'Müller', 'García'))
      .map(([first, last]) => `${first} ${last}`),
  )
  .filter((id) => id.length <= MAX_ID_LENGTH && !id.includes("'"));

/** One id of every shape, so each shape runs whatever the seed draws. */
const EXAMPLES: [string, string][] = [
  ['550e8400-e29b-41d4-a716-446655440000', 'ada.lovelace+memory@example.co.uk'],
  ['tenant:42:user.7', '2026120301'],
  ['Zoë Ølberg-Ñúñez', '李文'],
];

interface Defaults {
  readonly user: string;
  readonly otherUser: string;
}

/** The users each API's suites query by default (their `variables`), read from the package's suites. */
function suiteDefaults(root: string): Record<ApiName, Defaults> {
  const entries = API_NAMES.map((api) => {
    const found = suiteFilesUnder(join(root, 'suites', api), root).map((file) => {
      const variables = (parse(readFileSync(file, 'utf8')) as { variables?: Record<string, string> })
        .variables;
      return { user: variables?.user, otherUser: variables?.otherUser };
    });
    const first = found.find((v) => v.user !== undefined && v.otherUser !== undefined) as Defaults;
    // Every file of an API must query the same two users, or one rename could not serve them all.
    for (const v of found) {
      if (v.user !== undefined) expect(v.user).toBe(first.user);
      if (v.otherUser !== undefined) expect(v.otherUser).toBe(first.otherUser);
    }
    return [api, first] as const;
  });
  return Object.fromEntries(entries) as Record<ApiName, Defaults>;
}

let dataset: ReferenceDataset;
let defaults: Record<ApiName, Defaults>;
/** Every user id the fixtures hold, which a drawn id must not collide with. */
let taken: Set<string>;

beforeAll(async () => {
  dataset = await loadReferenceDataset();
  defaults = suiteDefaults(packageRoot());
  taken = new Set([
    ...dataset.memos.users.map((u) => u.user_id),
    ...dataset.mem0.memories.flatMap((m) => (m.user_id === undefined ? [] : [m.user_id])),
    ...Object.values(dataset.memmachine.memory_sets).flatMap((set) =>
      set.episodes.flatMap((e) => (typeof e.metadata.user_id === 'string' ? [e.metadata.user_id] : [])),
    ),
  ]);
});

/** `memconform run --user-id user --other-user-id otherUser` against a reference serving the renamed fixtures. */
async function runAs(user: string, otherUser: string): Promise<Report> {
  const renames: UserRenames = Object.fromEntries(
    API_NAMES.map((api) => [api, { [defaults[api].user]: user, [defaults[api].otherUser]: otherUser }]),
  );
  let report: Report | undefined;
  const capture: Reporter = {
    name: 'capture',
    description: 'keeps the report for the test',
    render: (finished) => {
      report = finished;
      return '';
    },
  };
  const io = { stdout: () => {}, stderr: () => {}, env: {}, cwd: packageRoot(), isTTY: false };
  const options = resolveOptions(
    { 'user-id': user, 'other-user-id': otherUser, reporter: 'capture' },
    io.env,
    { cwd: io.cwd, isTTY: false, reporters: [capture] },
  );
  await executeRun(options, io, { reporters: [capture], dataset: renameUsers(dataset, renames) });
  if (report === undefined) throw new Error('the run wrote no report');
  return report;
}

describe('user ids of every realistic shape', () => {
  it('every suite of every API ends with 0 findings against the reference holding the data under those ids', async () => {
    const pair = fc.tuple(ids, ids).filter(([a, b]) => a !== b && !taken.has(a) && !taken.has(b));
    await fc.assert(
      fc.asyncProperty(pair, async ([user, otherUser]) => {
        const report = await runAs(user, otherUser);
        expect(report.targets.map((t) => `${t.api} ${t.flavour}`)).toHaveLength(4);
        const findings = report.findings.map((f) => `${f.checkId} ${f.caseId}: ${f.message}`);
        const who = `user ${JSON.stringify(user)}, other user ${JSON.stringify(otherUser)}`;
        expect(findings, who).toEqual([]);
        // The data was found under the drawn ids: no behaviour check had only empty answers to judge.
        expect(report.summary.checks.vacuous, who).toBe(0);
      }),
      {
        seed: 20261203,
        numRuns: 5,
        examples: EXAMPLES.map((pair) => [pair] as [[string, string]]),
        endOnFailure: true,
      },
    );
    // A few full runs of every suite on a shared machine: the budget covers load, it measures nothing.
  }, 600_000);
});
