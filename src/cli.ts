#!/usr/bin/env node
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { COMMANDS, type Command, type CommandIO, EXIT, processIO } from './commands/index.js';
import { isMemconformError, UsageError } from './errors.js';
import { packageVersion } from './package.js';
import { didYouMean } from './suggest.js';

const ISSUES_URL = 'https://github.com/memconform/memconform/issues';

export { EXIT };

/** Top-level help. */
export function mainHelp(commands: readonly Command[] = COMMANDS): string {
  const width = Math.max(0, ...commands.map((c) => c.name.length)) + 2;
  return `Usage: memconform <command> [options]

Conformance suite, mock and reference implementation for AI memory APIs (MemOS, Mem0, MemMachine).

Commands:
${commands.map((c) => `  ${c.name.padEnd(width)}${c.summary}`).join('\n')}

Global options:
  -h, --help     show help (memconform <command> --help for a command's options)
  --version      print the version

Exit codes: 0 pass; 1 findings at or above --fail-on; 2 usage, config, spec, suite or target error;
3 internal error; 130 interrupted (Ctrl-C or SIGTERM).
`;
}

/**
 * Runs the CLI and returns the exit code. Expected errors print one line (`memconform: … (MC_ERR_X)`) and
 * exit 2; anything else is a bug: the stack is printed with a request to report it, exit 3.
 */
export async function main(
  argv: readonly string[],
  io: CommandIO = processIO(),
  commands: readonly Command[] = COMMANDS,
): Promise<number> {
  try {
    const [first, ...rest] = argv;
    if (first === undefined) {
      io.stderr(mainHelp(commands));
      return EXIT.error;
    }
    if (first === '-h' || first === '--help' || first === 'help') {
      io.stdout(mainHelp(commands));
      return EXIT.ok;
    }
    if (first === '--version' || first === '-v') {
      io.stdout(`${packageVersion()}\n`);
      return EXIT.ok;
    }
    const command = commands.find((c) => c.name === first);
    if (!command) {
      throw new UsageError(
        `unknown command "${first}"${didYouMean(
          first,
          commands.map((c) => c.name),
        )}; commands: ${commands.map((c) => c.name).join(', ')} (see memconform --help)`,
      );
    }
    return await command.run(rest, io);
  } catch (error) {
    if (isMemconformError(error)) {
      io.stderr(`memconform: ${oneLine(error.message)} (${error.code})\n`);
      return EXIT.error;
    }
    const stack = error instanceof Error ? (error.stack ?? error.message) : String(error);
    io.stderr(
      `memconform: internal error — this is a bug in memconform. Please report it at ${ISSUES_URL} with the output below.\n${stack}\n`,
    );
    return EXIT.crash;
  }
}

function oneLine(text: string): string {
  return text.replace(/\s*[\r\n]+\s*/g, ' ');
}

/** True when this module is the process's entry point (the bin, possibly through a symlink). */
function invokedDirectly(): boolean {
  try {
    return realpathSync(process.argv[1] ?? '') === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (invokedDirectly()) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`memconform: internal error: ${String(error)}\n`);
      process.exit(EXIT.crash);
    },
  );
}
