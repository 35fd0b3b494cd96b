/**
 * README's "From test code" recipes, run as printed. The vitest files are copied out of README.md into a fresh
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
import { packageRoot } from '../package.js';
import { CLI, ensureBuilt } from '../testing/built-cli.js';

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
