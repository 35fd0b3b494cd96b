import { listChecksCommand } from './list-checks.js';
import { runCommand } from './run.js';
import { serveCommand } from './serve.js';
import type { Command } from './types.js';

/**
 * `memconform mock` (owned by src/commands/mock.ts, which parses its own flags and writes to the process).
 * Loaded on demand: Prism's modules take about a second to load, which every other command would pay.
 */
const mockCommand: Command = {
  name: 'mock',
  summary: 'serve the specs with the Prism mock (every API on one port)',
  run: async (argv) => (await import('./mock.js')).runMockCommand(argv),
};

/** The one table of commands: `memconform <name> ...` dispatches here, `--help` lists it. */
export const COMMANDS: readonly Command[] = [runCommand, listChecksCommand, serveCommand, mockCommand];

/** The command called `name`, or undefined. */
export function commandNamed(name: string): Command | undefined {
  return COMMANDS.find((c) => c.name === name);
}

export { type Command, type CommandIO, processIO } from './types.js';
