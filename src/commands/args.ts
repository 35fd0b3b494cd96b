import { parseArgs } from 'node:util';
import { UsageError } from '../errors.js';
import { didYouMean } from '../suggest.js';

/** One flag of a command, with its help text. */
export interface FlagSpec {
  readonly type: 'string' | 'boolean';
  readonly multiple?: boolean;
  readonly short?: string;
  /** Placeholder shown in help, e.g. `URL`. */
  readonly value?: string;
  readonly description: string;
}

/** Flags by long name. */
export type FlagTable = Readonly<Record<string, FlagSpec>>;

/** Parses `argv` strictly (unknown flags and stray positionals are usage errors naming the command). */
export function parseFlags(
  command: string,
  argv: readonly string[],
  flags: FlagTable,
): Record<string, unknown> {
  const options: Record<string, { type: 'string' | 'boolean'; multiple?: boolean; short?: string }> = {};
  for (const [name, spec] of Object.entries(flags)) {
    options[name] = {
      type: spec.type,
      ...(spec.multiple ? { multiple: true } : {}),
      ...(spec.short ? { short: spec.short } : {}),
    };
  }
  try {
    const { values } = parseArgs({ args: [...argv], options, strict: true, allowPositionals: false });
    return values as Record<string, unknown>;
  } catch (error) {
    // node:util's messages end with advice about "--" that does not apply here; keep the first sentence.
    const message = ((error as Error).message.split('\n')[0] ?? '').replace(/\. To specify .*$/, '');
    const unknown = /^Unknown option '--([^'=]+)/.exec(message)?.[1];
    const hint = unknown === undefined ? '' : didYouMean(unknown, Object.keys(flags), (name) => `--${name}`);
    throw new UsageError(`${command}: ${message}${hint}; see memconform ${command} --help`);
  }
}

/** Help text for a command's flags, aligned. */
export function flagHelp(flags: FlagTable): string {
  const rows = Object.entries(flags).map(([name, spec]) => {
    const short = spec.short ? `-${spec.short}, ` : '    ';
    const value = spec.type === 'string' ? ` ${spec.value ?? 'VALUE'}` : '';
    return [`  ${short}--${name}${value}`, spec.description] as const;
  });
  const width = Math.max(...rows.map(([left]) => left.length)) + 2;
  return rows.map(([left, right]) => left.padEnd(width) + right).join('\n');
}

/**
 * `--port` and `--host` of a command that listens (serve, mock): a port from 0 (a free one) to 65535 and a
 * non-empty host, else a usage error naming the command.
 */
export function listenAddress(
  command: string,
  values: Readonly<Record<string, unknown>>,
  defaults: { readonly port: number; readonly host: string },
): { port: number; host: string } {
  const portText = values.port === undefined ? String(defaults.port) : String(values.port);
  if (!/^\d+$/.test(portText) || Number(portText) > 65_535) {
    throw new UsageError(`${command}: --port must be an integer from 0 to 65535, got "${portText}"`);
  }
  const host = values.host === undefined ? defaults.host : String(values.host);
  if (host.trim() === '') throw new UsageError(`${command}: --host must not be empty`);
  return { port: Number(portText), host };
}
