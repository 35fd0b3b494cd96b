import { describe, expect, it } from 'vitest';
import { main } from './cli.js';
import type { Command, CommandIO } from './commands/types.js';
import { DataFileError } from './errors.js';

function io(): CommandIO & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return {
    out,
    err,
    stdout: (t) => out.push(t),
    stderr: (t) => err.push(t),
    env: {},
    cwd: '/tmp',
    isTTY: false,
  };
}

const command = (run: Command['run']): Command => ({ name: 'probe', summary: 'test command', run });

describe('main', () => {
  it('returns the command exit code and lists commands in help', async () => {
    const streams = io();
    expect(
      await main(['probe', '--x'], streams, [command(async (argv) => (argv[0] === '--x' ? 1 : 0))]),
    ).toBe(1);
    expect(await main(['--help'], streams, [command(async () => 0)])).toBe(0);
    expect(streams.out.join('')).toMatch(/probe\s+test command/);
  });

  it('prints expected errors as one line with the code and exits 2', async () => {
    const streams = io();
    const code = await main(['probe'], streams, [
      command(async () => {
        throw new DataFileError('MC_ERR_SUITE', 'suites/x.yaml', 'line one\nline two');
      }),
    ]);
    expect(code).toBe(2);
    expect(streams.err).toEqual(['memconform: suites/x.yaml: line one line two (MC_ERR_SUITE)\n']);
    const unknown = io();
    expect(await main(['nope'], unknown, [])).toBe(2);
    expect(unknown.err.join('')).toMatch(/^memconform: unknown command "nope"; .*\(MC_ERR_USAGE\)\n$/);
  });

  it('prints the stack of a crash, asks for a report and exits 3', async () => {
    const streams = io();
    const code = await main(['probe'], streams, [
      command(async () => {
        throw new TypeError('cannot read x of undefined');
      }),
    ]);
    expect(code).toBe(3);
    expect(streams.err.join('')).toMatch(/internal error — this is a bug in memconform\. Please report it/);
    expect(streams.err.join('')).toMatch(/TypeError: cannot read x of undefined\n\s+at /);
  });

  it('exits 2 with the help on stderr when no command is given', async () => {
    const streams = io();
    expect(await main([], streams, [])).toBe(2);
    expect(streams.err.join('')).toContain('Usage: memconform <command>');
  });
});
