/**
 * README's recipes, run as printed. Every curl line is parsed (no curl binary needed) and replayed against
 * the mock and the reference, each started on a free port in place of the printed 4010. The vitest files are copied out of README.md into a fresh
 * project that has this package installed (node_modules/memconform is the built package, as `npm install`
 * links a folder), type-checked against the package's published types, and run with vitest against the
 * reference and the mock. The Playwright `webServer` command is started the way Playwright starts it (a
 * shell in its own process group, the `url` polled until it answers, the group killed at the end); Playwright
 * itself and its browsers are not needed for that.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isApiName } from '../apis.js';
import { resultLists } from '../checks/results.js';
import { packageRoot } from '../package.js';
import { type ServerHandle, startMock, startReference } from '../servers.js';
import { CLI, ensureBuilt } from '../testing/built-cli.js';
import { type ParsedCurl, parseCurl } from '../testing/curl-line.js';

const execFileAsync = promisify(execFile);
const root = packageRoot();
const readme = readFileSync(join(root, 'README.md'), 'utf8');

/** The README's ts code blocks that start with a `// <file name>` line, by that file name. */
function recipeFiles(): Map<string, string> {
  const files = new Map<string, string>();
  for (const match of readme.matchAll(/```ts\n\/\/ ([\w.-]+\.ts)\n([\s\S]*?)```/g)) {
    files.set(match[1] as string, match[2] as string);
  }
  return files;
}

/** A recipe file as printed; fails the test when README no longer has it. */
function recipe(name: string): string {
  const text = recipeFiles().get(name);
  if (text === undefined) throw new Error(`README.md has no \`// ${name}\` ts block`);
  return text;
}

let project: string;
beforeAll(async () => {
  await ensureBuilt();
  project = mkdtempSync(join(tmpdir(), 'mc-recipe-'));
  const modules = join(project, 'node_modules');
  mkdirSync(join(modules, '.bin'), { recursive: true });
  // What `npm install <this package>` leaves: the package under its name and its bin on the .bin path (npm
  // makes the bin executable, as here). vitest and the Node types come from this repository's own install.
  symlinkSync(root, join(modules, 'memconform'), 'dir');
  chmodSync(CLI, 0o755);
  symlinkSync(join('..', 'memconform', 'dist', 'cli.js'), join(modules, '.bin', 'memconform'));
  symlinkSync(join(root, 'node_modules', 'vitest'), join(modules, 'vitest'), 'dir');
  symlinkSync(join(root, 'node_modules', '@types'), join(modules, '@types'), 'dir');
  writeFileSync(
    join(project, 'package.json'),
    JSON.stringify({ name: 'front-end-app', private: true, type: 'module' }),
  );
});
afterAll(() => {
  rmSync(project, { recursive: true, force: true });
});

describe('README vitest globalSetup recipe', () => {
  beforeAll(() => {
    for (const name of ['memconform.setup.ts', 'vitest.config.ts', 'memories.test.ts']) {
      writeFileSync(join(project, name), recipe(name));
    }
  });

  it('type-checks against the built package’s types', async () => {
    writeFileSync(
      join(project, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          target: 'ES2022',
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          lib: ['ES2023'],
          types: ['node'],
          strict: true,
          skipLibCheck: true,
          noEmit: true,
        },
        include: ['*.ts'],
      }),
    );
    const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
    const result = await execFileAsync(process.execPath, [tsc, '-p', 'tsconfig.json'], {
      cwd: project,
    }).catch((error: { stdout: string }) => ({ stdout: error.stdout, failed: true }));
    expect(result.stdout).toBe('');
  });

  it.each(['reference', 'mock'])('passes with vitest against the %s', async (server) => {
    const vitest = join(root, 'node_modules', 'vitest', 'vitest.mjs');
    const env = {
      PATH: process.env.PATH ?? '',
      NO_COLOR: '1',
      ...(server === 'mock' ? { MEMCONFORM: 'mock' } : {}),
    };
    const result = await execFileAsync(process.execPath, [vitest, 'run'], { cwd: project, env }).catch(
      (error: { stdout: string; stderr: string; code: number }) => error,
    );
    expect(result.stdout, result.stderr).toMatch(/Tests\s+1 passed \(1\)/);
  });
});

/** A port nothing listens on now. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

/** Polls `url` as Playwright's webServer does, until it answers; returns the status it answered with. */
async function waitForUrl(url: string, child: ChildProcess): Promise<number> {
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the command exited with ${child.exitCode}`);
    try {
      return (await fetch(url)).status;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}

describe('README Playwright webServer recipe', () => {
  const config = () => recipe('playwright.config.ts');
  const printed = (pattern: RegExp, text: string): string => {
    const match = pattern.exec(text);
    if (match?.[1] === undefined) throw new Error(`README lost ${pattern}`);
    return match[1];
  };
  const commands = () => [
    ['serve', printed(/command: '([^']+)'/, config())],
    ['mock', printed(/the command is `(npx memconform mock [^`]+)`/, readme)],
  ];

  it.each(['serve', 'mock'])(
    'the %s command answers at the url and stops with its process group',
    async (which) => {
      const command = commands().find(([name]) => name === which)?.[1] as string;
      const url = printed(/url: '([^']+)'/, config());
      expect(command).toMatch(/--port 4010\b/);
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:4010\//);
      // The printed port, swapped for a free one so the test never collides with a developer's server.
      const port = String(await freePort());
      const child = spawn('/bin/sh', ['-c', command.replace('4010', port)], {
        cwd: project,
        detached: true,
        stdio: 'ignore',
        env: { HOME: process.env.HOME ?? tmpdir(), PATH: process.env.PATH ?? '' },
      });
      try {
        expect(await waitForUrl(url.replace('4010', port), child)).toBe(200);
        // The app under test then calls the base URLs of the README's table, e.g. Mem0's search.
        const search = await fetch(`http://127.0.0.1:${port}/v1/memories/search/`, {
          method: 'POST',
          headers: { Authorization: 'Token mc-reference-token', 'Content-Type': 'application/json' },
          body: JSON.stringify({ query: 'What food does Alex like when travelling?', user_id: 'alex' }),
        });
        expect(search.status).toBe(200);
        expect(await search.json()).not.toEqual([]);
      } finally {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        process.kill(-(child.pid as number), 'SIGKILL');
        await exited;
      }
      // Playwright kills the whole group, so no server outlives the run: the port stops answering.
      await expect
        .poll(() =>
          fetch(url.replace('4010', port)).then(
            () => 'answers',
            () => 'gone',
          ),
        )
        .toBe('gone');
    },
  );
});

/** Every curl command in README's sh blocks, continuation lines joined; `curl …` fragments left apart. */
function readmeCurlLines(): { requests: ParsedCurl[]; fragments: string[] } {
  const requests: ParsedCurl[] = [];
  const fragments: string[] = [];
  for (const block of readme.matchAll(/```sh\n([\s\S]*?)```/g)) {
    const lines = (block[1] as string).replace(/\\\n\s*/g, ' ').split('\n');
    for (const line of lines.map((text) => text.trim()).filter((text) => text.startsWith('curl '))) {
      if (line.startsWith('curl …')) fragments.push(line);
      else requests.push(parseCurl(line));
    }
  }
  return { requests, fragments };
}

/** The API a path belongs to, by the vendors' base paths (README's table). */
function apiOfPath(path: string): string {
  if (path.startsWith('/api/openmem/')) return 'memos';
  if (path.startsWith('/v2/') || path.startsWith('/api/v2/')) return 'memmachine';
  return 'mem0';
}

describe('README curl lines', () => {
  const { requests, fragments } = readmeCurlLines();
  const servers: Record<string, ServerHandle> = {};
  beforeAll(async () => {
    [servers.mock, servers.serve] = await Promise.all([startMock(), startReference()]);
  });
  afterAll(async () => {
    await Promise.all(Object.values(servers).map((server) => server.close()));
  });

  it('are all full requests to the printed port, apart from the Prefer fragments', () => {
    expect(requests.length).toBeGreaterThanOrEqual(4);
    for (const request of requests) expect(request.url).toMatch(/^http:\/\/127\.0\.0\.1:4010\//);
    // `curl … -H 'Prefer: …'` only shows which header to add to a line above; the mock tests cover Prefer.
    for (const fragment of fragments) expect(fragment).toMatch(/^curl … -H 'Prefer: [^']+'/);
  });

  describe.each(['mock', 'serve'])('against %s', (server) => {
    it.each(requests.map((request) => [request.line, request] as const))('%s', async (_line, request) => {
      const url = request.url.replace('http://127.0.0.1:4010', (servers[server] as ServerHandle).url);
      const response = await fetch(url, {
        method: request.method,
        headers: request.headers,
        ...(request.body === undefined ? {} : { body: request.body }),
      });
      const text = await response.text();
      expect(response.status, text).toBeGreaterThanOrEqual(200);
      expect(response.status, text).toBeLessThan(300);
      const path = new URL(url).pathname;
      if (path.includes('search')) {
        const api = apiOfPath(path);
        if (!isApiName(api)) throw new Error(api);
        const found = resultLists(api, JSON.parse(text)).reduce((sum, list) => sum + list.items.length, 0);
        expect(found, `${server} found nothing for: ${request.line}`).toBeGreaterThan(0);
      }
    });
  });
});
