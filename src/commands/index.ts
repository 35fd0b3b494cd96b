import type { Command } from './types.js';

/**
 * The one table of commands: `memconform <name> ...` dispatches here, `--help` lists it. Each command's module
 * is imported only when that command runs, so `--version`, `--help` and a light command never pay for the
 * modules of a heavy one (Prism for `mock`; undici, ajv and the checks for `run`).
 */
export const COMMANDS: readonly Command[] = [
  {
    name: 'run',
    summary: 'run the conformance suites against a server (or the built-in reference)',
    run: async (argv, io) => (await import('./run.js')).runCommand(argv, io),
  },
  {
    name: 'list-checks',
    summary: 'list every check with its id, category, severity, operations and description',
    run: async (argv, io) => (await import('./list-checks.js')).listChecksCommand(argv, io),
  },
  {
    name: 'serve',
    summary: 'start the built-in reference implementation (for front-end work and manual testing)',
    run: async (argv, io) => (await import('./serve.js')).serveCommand(argv, io),
  },
  {
    name: 'init',
    summary: 'write a commented starter config (memconform.config.yaml) into the working folder',
    run: async (argv, io) => (await import('./init.js')).initCommand(argv, io),
  },
  {
    name: 'mock',
    summary: 'serve the specs with the Prism mock (every API on one port)',
    run: async (argv, io) => (await import('./mock.js')).mockCommand(argv, io),
  },
];

export { type Command, type CommandIO, EXIT, processIO } from './types.js';
