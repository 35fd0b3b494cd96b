/**
 * Runs the BUILT CLI (`node dist/cli.js`) as a user would, for end-to-end tests: a command to its end
 * (`runCli`), or a server command until its banner is out (`startCliServer`). `npm test` builds first;
 * `ensureBuilt` builds when the file is missing (a lone `npx vitest run`). No time budgets here: a hang is
 * caught by the test runner's own timeout, sized for a busy machine.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { packageRoot } from '../package.js';

/** The built CLI entry point. */
export const CLI = join(packageRoot(), 'dist', 'cli.js');

const execFileAsync = promisify(execFile);

/** How a process ended. */
export interface CliResult {
  /** Exit code, or null when a signal ended the process. */
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Where and how a process runs; `onStart` gets the child (to signal it). */
export interface ProcessOptions {
  readonly env?: Record<string, string>;
  readonly cwd?: string;
  readonly onStart?: (child: ChildProcess) => void;
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

/** Processes started here that are still running, so a test that gives up on one does not leave it behind. */
const live = new Set<ChildProcess>();

/** Kills every process `runProcess`, `runCli` or `startCliServer` started that is still running (afterAll). */
export function stopCliProcesses(): void {
  for (const child of live) child.kill('SIGKILL');
  live.clear();
}

/**
 * Starts `file` with `args` in exactly the environment `env` (PATH added) and resolves when it exits, however
 * it exits. `runCli` is this for the built CLI; tests call it directly for a wrapper such as `script`.
 */
export function runProcess(
  file: string,
  args: readonly string[],
  options: ProcessOptions = {},
): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, {
      cwd: options.cwd ?? packageRoot(),
      env: { PATH: process.env.PATH ?? '', ...options.env },
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

/** Runs `memconform <args>` to its end in `cliEnv(options.env)`. */
export function runCli(args: readonly string[], options: ProcessOptions = {}): Promise<CliResult> {
  return runProcess(process.execPath, [CLI, ...args], { ...options, env: cliEnv(options.env) });
}

/**
 * Sends `signal` to `child` the first time what it wrote to `stream` so far matches `pattern`, and only once:
 * a second Ctrl-C or SIGTERM ends memconform at once, by design, before it can clean up.
 */
export function signalWhenOutput(
  child: ChildProcess,
  stream: 'stdout' | 'stderr',
  pattern: RegExp,
  signal: NodeJS.Signals,
): void {
  let seen = '';
  const watch = (chunk: Buffer | string): void => {
    seen += chunk.toString();
    if (!pattern.test(seen)) return;
    child[stream]?.off('data', watch);
    child.kill(signal);
  };
  child[stream]?.on('data', watch);
}

/** A server command of the built CLI (`serve`, `mock`), listening. */
export interface CliServer {
  readonly child: ChildProcess;
  /** The origin its "listening on" line names. */
  readonly origin: string;
  /** Everything it wrote to standard output so far. */
  output(): string;
  /** How it ended, once it has (after `child.kill(...)`). */
  readonly exited: Promise<CliResult>;
}

/**
 * Starts `memconform <args>` (serve or mock, with `--port 0`) and resolves once its banner is out: a
 * "listening on <origin>" line and `lastLine`, the line each command ends its banner with. Rejects when the
 * process ends first.
 */
export function startCliServer(
  args: readonly string[],
  lastLine: string,
  options: Omit<ProcessOptions, 'onStart'> = {},
): Promise<CliServer> {
  return new Promise((resolve, reject) => {
    let out = '';
    let ready = false;
    const exited = runCli(args, {
      ...options,
      onStart: (child) => {
        child.stdout?.on('data', (chunk: string) => {
          out += chunk;
          const origin = /listening on (http:\/\/\S+)/.exec(out)?.[1];
          if (ready || origin === undefined || !out.includes(lastLine)) return;
          ready = true;
          resolve({ child, origin, output: () => out, exited });
        });
      },
    });
    exited.then((result) => {
      if (!ready) {
        reject(
          new Error(
            `memconform ${args.join(' ')} ended (${result.code ?? result.signal}) before its banner: ${result.stdout}${result.stderr}`,
          ),
        );
      }
    }, reject);
  });
}
