/**
 * End to end: the BUILT CLI (`node dist/cli.js`, built by `npm test` before vitest; built here when missing)
 * against real servers on 127.0.0.1. Asserts exit codes, one-line errors, report files, the JSON report
 * against schemas/report.schema.json, and that the token never appears in any output.
 */
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsNs from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, runCli } from '../testing/built-cli.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const TOKEN = 'mc-e2e-Zq7xK2pLw9Vt4Rs1-distinctive';

/** `memconform <args>` with extra environment `env`, from the package root unless told. */
const cli = (args: string[], env: Record<string, string> = {}, cwd = ROOT) => runCli(args, { env, cwd });

const ITEM = {
  id: '3fa85f64-5717-4562-b3fc-2c963f66afa6',
  memory: 'Likes pizza',
  user_id: 'alex',
  created_at: '2024-11-27T16:53:43.276872-08:00',
  updated_at: '2024-11-27T16:53:43.276872-08:00',
  score: 0.9,
  metadata: null,
  categories: ['food'],
};

type Mode = 'good' | 'warning' | 'error' | 'echo';

/** A Mem0-like search endpoint; `mode` picks how (and whether) it breaks the contract. */
function mem0Server(mode: () => Mode): Server {
  return createServer((req: IncomingMessage, res: ServerResponse) => {
    req.resume();
    req.on('end', () => {
      if (req.headers.authorization !== `Token ${TOKEN}`) {
        res.writeHead(401, { 'content-type': 'application/json' }).end('{"detail":"Invalid API key."}');
        return;
      }
      const current = mode();
      const item =
        current === 'warning'
          ? { ...ITEM, score: undefined }
          : current === 'error'
            ? { ...ITEM, id: 42 }
            : current === 'echo'
              ? { ...ITEM, id: req.headers.authorization }
              : ITEM;
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify([item, item]));
    });
  });
}

const SUITE = `api: mem0
operation: searchMemories
variables: { user: alex }
cases:
  - id: e2e-search
    description: A plain search for a user that holds data.
    request: { body: { query: food, user_id: '\${user}' } }
`;
const CHECK_IDS = 'request-completes,status-code-documented,content-type-json,response-schema-conformance';

let server: Server;
let target: string;
let mode: Mode = 'good';
let work: string;
let suiteFile: string;

beforeAll(async () => {
  await ensureBuilt();
  server = mem0Server(() => mode);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  target = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  work = mkdtempSync(join(tmpdir(), 'mc-e2e-'));
  suiteFile = join(work, 'search.yaml');
  writeFileSync(suiteFile, SUITE);
}, 180_000);

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

function runArgs(out: string, extra: string[] = []): string[] {
  return [
    'run',
    '--target',
    target,
    '--api',
    'mem0',
    '--suite',
    suiteFile,
    '--checks',
    CHECK_IDS,
    '--out',
    out,
    ...extra,
  ];
}

const ONE_LINE_ERROR = (code: string) => new RegExp(`^memconform: [^\\n]+ \\(${code}\\)\\n$`);

describe('memconform CLI (built)', () => {
  it('prints help and version with exit 0', async () => {
    const help = await cli(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/Usage: memconform <command>/);
    expect(help.stdout).toMatch(/run\s+run the conformance suites/);
    const runHelp = await cli(['run', '--help']);
    expect(runHelp.code).toBe(0);
    for (const flag of [
      '--target',
      '--api',
      '--flavour',
      '--token',
      '--suite',
      '--checks',
      '--exclude-checks',
      '--fail-on',
      '--reporter',
      '--out',
      '--timeout',
      '--concurrency',
      '--var',
      '--user-id',
      '--other-user-id',
      '--no-color',
    ]) {
      expect(runHelp.stdout).toContain(flag);
    }
    const version = await cli(['--version']);
    expect(version.stdout).toMatch(/^\d+\.\d+\.\d+/);
  });

  it.each([
    [['run', '--bogus']],
    [['run', '--api', 'zep']],
    [['run', '--target', 'http://127.0.0.1:9', '--api']],
    [['frobnicate']],
    [['run', '--fail-on', 'info']],
  ])('exits 2 with one line and no stack for bad usage %j', async (args) => {
    const result = await cli(args);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(ONE_LINE_ERROR('MC_ERR_USAGE'));
    expect(result.stderr).not.toMatch(/\bat .*\.js:\d+/);
  });

  it.each([
    [['--user-id', "o'brien"], `--user-id/--var user "o'brien" cannot be sent to MemMachine`],
    [['--var', "otherUser=d'arcy"], `--other-user-id/--var otherUser "d'arcy" cannot be sent to MemMachine`],
  ])('exits 2 before any request when %j cannot be a MemMachine filter literal', async (flags, message) => {
    const result = await cli(['run', '--api', 'memmachine', ...flags]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(ONE_LINE_ERROR('MC_ERR_USAGE'));
    expect(result.stderr).toContain(message);
    expect(result.stderr).toContain("no escape for '");
  });

  it('exits 2 for an unknown check id and lists the valid ids', async () => {
    const result = await cli(['run', '--checks', 'request-completes,no-such-check']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(ONE_LINE_ERROR('MC_ERR_USAGE'));
    expect(result.stderr).toContain('unknown check id "no-such-check"; valid ids: request-completes,');
  });

  it('exits 2 when the target requires a token and none is given', async () => {
    const result = await cli(runArgs(join(work, 'none')));
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(ONE_LINE_ERROR('MC_ERR_USAGE'));
    expect(result.stderr).toContain('MEMCONFORM_TOKEN');
  });

  it('exits 2 with MC_ERR_TARGET_UNREACHABLE when nothing listens', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const result = await cli(
      [
        'run',
        '--target',
        `http://127.0.0.1:${port}`,
        '--api',
        'mem0',
        '--suite',
        suiteFile,
        '--out',
        join(work, 'x'),
      ],
      { MEMCONFORM_TOKEN: TOKEN },
    );
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      `memconform: Could not reach http://127.0.0.1:${port}: connection refused. Is the server running? Check --target. (MC_ERR_TARGET_UNREACHABLE)\n`,
    );
  });

  it('exits 2 after one timeout, not one per case, when the target accepts connections and never answers', async () => {
    const hanging = createServer(() => {});
    await new Promise<void>((resolve) => hanging.listen(0, '127.0.0.1', resolve));
    const port = (hanging.address() as AddressInfo).port;
    try {
      const result = await cli(
        [
          'run',
          '--target',
          `http://127.0.0.1:${port}`,
          '--api',
          'mem0',
          '--timeout',
          '300',
          '--out',
          join(work, 'h'),
        ],
        { MEMCONFORM_TOKEN: TOKEN },
      );
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(ONE_LINE_ERROR('MC_ERR_TARGET_UNREACHABLE'));
      expect(result.stderr).toContain('sent no answer within 300 ms: is it hanging?');
      expect(result.stdout).toBe('');
    } finally {
      hanging.closeAllConnections();
      await new Promise((resolve) => hanging.close(resolve));
    }
  });

  it('exits 2 naming the file and case for a bad suite', async () => {
    const bad = join(work, 'bad.yaml');
    writeFileSync(bad, SUITE.replace('A plain search for a user that holds data.', 'short'));
    const result = await cli(['run', '--target', target, '--api', 'mem0', '--suite', bad], {
      MEMCONFORM_TOKEN: TOKEN,
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(ONE_LINE_ERROR('MC_ERR_SUITE'));
    expect(result.stderr).toContain('bad.yaml: /cases/0/description (case "e2e-search")');
  });

  it('exits 0 against a conforming server and writes a schema-valid JSON report', async () => {
    mode = 'good';
    const out = join(work, 'good');
    const result = await cli(runArgs(out, ['--reporter', 'console,json']), { MEMCONFORM_TOKEN: TOKEN });
    expect(result.stderr).toContain('wrote');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('PASS');
    const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as Record<string, unknown>;
    const ajv = new Ajv2020({ allErrors: true, strict: true });
    addFormatsNs.default(ajv);
    const validate = ajv.compile(
      JSON.parse(readFileSync(join(ROOT, 'schemas', 'report.schema.json'), 'utf8')),
    );
    const valid = validate(report);
    expect(validate.errors).toBeNull();
    expect(valid).toBe(true);
    const { startedAt: _, durationMs: __, ...stable } = report;
    expect(stable).toMatchObject({
      reportVersion: 2,
      failOn: 'error',
      targets: [{ api: 'mem0', url: target, flavour: 'hosted', authRequired: true, builtIn: false }],
      summary: { cases: 1, requests: 1, findings: { error: 0, warning: 0, info: 0 }, passed: true },
      findings: [],
    });
  });

  it('exits by --fail-on: warnings pass by default and fail with --fail-on warning', async () => {
    mode = 'warning';
    const byDefault = await cli(runArgs(join(work, 'warn1')), { MEMCONFORM_TOKEN: TOKEN });
    expect(byDefault.code).toBe(0);
    expect(byDefault.stdout).toMatch(/Findings: 0 errors, 1 warning/);
    const strict = await cli(runArgs(join(work, 'warn2'), ['--fail-on', 'warning']), {
      MEMCONFORM_TOKEN: TOKEN,
    });
    expect(strict.code).toBe(1);
    const report = JSON.parse(readFileSync(join(work, 'warn2', 'report.json'), 'utf8')) as {
      findings: { checkId: string; severity: string; pointer: string; count: number }[];
    };
    expect(report.findings).toEqual([
      expect.objectContaining({
        checkId: 'response-schema-conformance',
        severity: 'warning',
        pointer: '/0/score',
      }),
    ]);
  });

  it('exits 1 on an error finding, with a replay line that hides the token', async () => {
    mode = 'error';
    const out = join(work, 'error');
    const result = await cli(runArgs(out, ['--reporter', 'console,json,junit,markdown,html']), {
      MEMCONFORM_TOKEN: TOKEN,
    });
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('FAIL');
    expect(result.stdout).toContain('/0/id');
    expect(result.stdout).toContain('"Authorization: Token $MEMCONFORM_TOKEN"');
    expect(readdirSync(out).sort()).toEqual(['junit.xml', 'report.html', 'report.json', 'report.md']);
  });

  it('never prints the token: stdout, stderr and every report file, even when the server echoes it', async () => {
    mode = 'echo';
    const out = join(work, 'echo');
    const result = await cli(
      runArgs(out, ['--reporter', 'console,json,junit,markdown,html', '--token', TOKEN]),
    );
    expect(result.code).toBe(1);
    expect(result.stdout + result.stderr).not.toContain(TOKEN);
    for (const file of readdirSync(out)) {
      expect(readFileSync(join(out, file), 'utf8'), file).not.toContain(TOKEN);
    }
  });

  it('runs only the cases with one of --tags, and names the tags there are when none matches', async () => {
    const out = join(work, 'tags');
    const result = await cli(['run', '--tags', 'pagination', '--reporter', 'json', '--out', out]);
    expect(result.code).toBe(0);
    const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as {
      targets: { api: string }[];
      cases: { id: string }[];
    };
    expect(report.targets.map((t) => t.api)).toEqual(['memos']);
    const tagged = readFileSync(join(ROOT, 'suites', 'memos', 'get-memory.yaml'), 'utf8').match(
      /tags: \[[^\]]*\bpagination\b/g,
    );
    expect(report.cases).toHaveLength(tagged?.length ?? -1);
    const none = await cli(['run', '--tags', 'no-such-tag']);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(ONE_LINE_ERROR('MC_ERR_USAGE'));
    expect(none.stderr).toContain('no case has the tag(s) no-such-tag; the suites use: ');
    expect(none.stderr).toContain('isolation');
  });

  it('lists checks as text and JSON', async () => {
    const text = await cli(['list-checks']);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('response-schema-conformance');
    const json = await cli(['list-checks', '--format', 'json', '--api', 'mem0']);
    const checks = JSON.parse(json.stdout) as { id: string; operations: string[] }[];
    expect(checks.length).toBeGreaterThan(0);
    expect(checks.every((c) => c.operations.some((op) => op.startsWith('mem0.')))).toBe(true);
  });

  it('reports an unwritable --out as MC_ERR_REPORT', async () => {
    mode = 'good';
    const file = join(work, 'a-file');
    writeFileSync(file, 'x');
    const result = await cli(runArgs(join(file, 'sub')), { MEMCONFORM_TOKEN: TOKEN });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/MC_ERR_REPORT/);
  });
});
