/**
 * End to end: which packages each command of the BUILT CLI loads. Start-up time is paid in modules loaded
 * (issue 14: undici, yaml and ajv cost more than the work of a whole run), so the heavy packages must stay off
 * the paths that do not use them. `npm run bench` measures the time; this test keeps the cause from coming back,
 * and times nothing. The packages memconform uses are CommonJS, so the require cache at exit lists them all.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningReference, startReferenceServer } from '../reference/index.js';
import { ensureBuilt, runCli, signalWhenOutput, stopCliProcesses } from '../testing/built-cli.js';

const TOKEN = 'mc-startup-modules-Hk3vB7nQ';

let work: string;
let reference: RunningReference;

beforeAll(async () => {
  await ensureBuilt();
  work = mkdtempSync(join(tmpdir(), 'memconform-startup-modules-'));
  // Preloaded into the CLI process: at exit, writes the files of every CommonJS module loaded.
  writeFileSync(
    join(work, 'record-loaded.mjs'),
    `import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
const cache = createRequire(import.meta.url).cache;
process.on('exit', () => writeFileSync(process.env.MC_TEST_LOADED, JSON.stringify(Object.keys(cache))));
`,
  );
  reference = await startReferenceServer({ tokens: [TOKEN] });
});

afterAll(async () => {
  stopCliProcesses();
  await reference?.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

/**
 * Runs the CLI with `args` and returns the files of every CommonJS module its process loaded. A server command
 * is stopped with SIGTERM once its standard output matches `until`.
 */
async function filesLoadedBy(args: readonly string[], name: string, until?: RegExp): Promise<string[]> {
  const record = join(work, `${name}.json`);
  const result = await runCli(args, {
    cwd: work,
    env: {
      MEMCONFORM_TOKEN: TOKEN,
      MC_TEST_LOADED: record,
      NODE_OPTIONS: `--import ${join(work, 'record-loaded.mjs')}`,
    },
    ...(until === undefined
      ? {}
      : { onStart: (child: ChildProcess) => signalWhenOutput(child, 'stdout', until, 'SIGTERM') }),
  });
  expect(result.stderr).not.toMatch(/internal error/);
  return JSON.parse(readFileSync(record, 'utf8')) as string[];
}

/** The packages (node_modules names) among `files`, sorted. */
function packagesOf(files: readonly string[]): string[] {
  const names = files.flatMap((file) => /node_modules[\\/]((?:@[^\\/]+[\\/])?[^\\/]+)/.exec(file)?.[1] ?? []);
  return [...new Set(names.map((n) => n.replace('\\', '/')))].sort();
}

const packagesLoadedBy = async (args: readonly string[], name: string): Promise<string[]> =>
  packagesOf(await filesLoadedBy(args, name));

describe('packages each command loads', () => {
  it('--version and --help load none', async () => {
    expect(await packagesLoadedBy(['--version'], 'version')).toEqual([]);
    expect(await packagesLoadedBy(['--help'], 'help')).toEqual([]);
  });

  it('a run whose answers all conform loads neither an HTTP library, nor yaml, nor ajv, nor Prism', async () => {
    const loaded = await packagesLoadedBy(
      [
        'run',
        '--api',
        'memos',
        '--target',
        reference.targets.memos,
        '--reporter',
        'json,junit,html,markdown',
      ],
      'run',
    );
    // ajv-formats' format functions are what precompiled validators call; the ajv compiler is never needed.
    expect(loaded.filter((name) => name !== 'ajv-formats')).toEqual([]);
  });

  it('serve loads no package, and mock only the English locale of faker (see mock/english-faker.ts)', async () => {
    const serve = await filesLoadedBy(['serve', '--port', '0'], 'serve', /Ctrl-C stops the server/);
    expect(packagesOf(serve)).toEqual([]);
    const mock = await filesLoadedBy(['mock', '--api', 'mem0', '--port', '0'], 'mock', /listening on/);
    expect(packagesOf(mock)).toContain('@stoplight/prism-http');
    const locales = mock.flatMap(
      (file) => /faker[\\/]dist[\\/]cjs[\\/]locales[\\/]([^\\/.]+)/.exec(file)?.[1] ?? [],
    );
    expect([...new Set(locales)]).toEqual(['en']);
  });
});
