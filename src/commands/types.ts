/** Where a command reads its environment and writes its output (process streams in the CLI, buffers in tests). */
export interface CommandIO {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
  /** Whether standard output is a terminal. */
  readonly isTTY: boolean;
}

/**
 * Exit codes of the CLI (README's exit-code contract); `interrupted` is 128 + SIGINT, as shells report Ctrl-C.
 * Kept in this light module so that `--version` and `--help` load no command.
 */
export const EXIT = { ok: 0, findings: 1, error: 2, crash: 3, interrupted: 130 } as const;

/** One `memconform <name>` command. It parses its own arguments and returns the exit code. */
export interface Command {
  readonly name: string;
  /** One line for the top-level `--help`. */
  readonly summary: string;
  /** Throws MemconformError for user errors (exit 2); anything else is a crash (exit 3). */
  run(argv: readonly string[], io: CommandIO): Promise<number>;
}

/** The CLI's IO: the real process streams and environment. */
export function processIO(): CommandIO {
  return {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    env: process.env,
    cwd: process.cwd(),
    isTTY: process.stdout.isTTY === true,
  };
}
