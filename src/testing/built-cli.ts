/**
 * Runs the BUILT CLI (`node dist/cli.js`) as a user would, for end-to-end tests. `npm test` builds first;
 * `ensureBuilt` builds when the file is missing (a lone `npx vitest run`).
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { packageRoot } from '../package.js';

/** The built CLI entry point. */
export const CLI = join(packageRoot(), 'dist', 'cli.js');

const execFileAsync = promisify(execFile);

/** How a CLI process ended. */
export interface CliResult {
  /** Exit code, or null when a signal ended the process. */
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Builds dist/ when it is missing. */
export async function ensureBuilt(): Promise<void> {
  if (existsSync(CLI)) return;
  await execFileAsync('npx', ['tsc', '-p', 'tsconfig.build.json'], { cwd: packageRoot(), timeout: 300_000 });
}

/** Environment of a CLI run: PATH, no colours, and `env` (nothing else leaks in, the token least of all). */
export function cliEnv(env: Readonly<Record<string, string>> = {}): Record<string, string> {
  return { PATH: process.env.PATH ?? '', NO_COLOR: '1', ...env };
}

/** CLI processes still running, so a test that gives up on one does not leave it behind. */
const live = new Set<ChildProcess>();

/** Kills every CLI process `runCli` started that is still running (call in afterAll). */
export function stopCliProcesses(): void {
  for (const child of live) child.kill('SIGKILL');
  live.clear();
}

/**
 * Starts the CLI; `onStart` gets the child (to signal it). Resolves when it exits, however it exits. No
 * time budget: a hang is caught by the test runner's own timeout, sized for a busy machine.
 */
export function runCli(
  args: readonly string[],
  options: { env?: Record<string, string>; cwd?: string; onStart?: (child: ChildProcess) => void } = {},
): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      cwd: options.cwd ?? packageRoot(),
      env: cliEnv(options.env),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
    });
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    live.add(child);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      live.delete(child);
      resolve({ code, signal, stdout, stderr });
    });
    options.onStart?.(child);
  });
}
