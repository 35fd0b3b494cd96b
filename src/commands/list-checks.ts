import { API_NAMES, isApiName } from '../apis.js';
import { CHECKS } from '../checks/index.js';
import type { Check } from '../checks/types.js';
import { UsageError } from '../errors.js';
import { type FlagTable, flagHelp, parseFlags } from './args.js';
import type { Command } from './types.js';

/** Flags of `memconform list-checks`. */
export const LIST_CHECKS_FLAGS: FlagTable = {
  api: { type: 'string', value: 'API', description: `only checks for this API: ${API_NAMES.join(' | ')}` },
  format: { type: 'string', value: 'F', description: 'text | json (default text)' },
  help: { type: 'boolean', short: 'h', description: 'show this help' },
};

/** The checks `list-checks` shows, as plain data. */
export function describeChecks(checks: readonly Check[], api?: string): Record<string, unknown>[] {
  return checks
    .filter((c) => api === undefined || c.operations.some((op) => op.startsWith(`${api}.`)))
    .map((c) => ({
      id: c.id,
      title: c.title,
      category: c.category,
      severity: c.severity,
      sources: [...(c.sources ?? [])],
      operations: [...c.operations],
      description: c.description,
    }));
}

/** Renders the check list as aligned text. */
export function checksAsText(checks: readonly Check[], api?: string): string {
  const rows = describeChecks(checks, api);
  if (rows.length === 0) return 'No checks.\n';
  const width = Math.max(...rows.map((r) => String(r.id).length)) + 2;
  const lines: string[] = [];
  for (const row of rows) {
    lines.push(
      `${String(row.id).padEnd(width)}${String(row.category).padEnd(11)}${String(row.severity).padEnd(9)}${String(row.description)}`,
    );
    lines.push(`${' '.repeat(width)}operations: ${(row.operations as string[]).join(', ')}`);
  }
  return `${'ID'.padEnd(width)}${'CATEGORY'.padEnd(11)}${'SEVERITY'.padEnd(9)}DESCRIPTION\n${lines.join('\n')}\n`;
}

/** `memconform list-checks`. */
export const listChecksCommand: Command['run'] = async (argv, io) => {
  const values = parseFlags('list-checks', argv, LIST_CHECKS_FLAGS);
  if (values.help === true) {
    io.stdout(
      `Usage: memconform list-checks [--api API] [--format text|json]\n\n${flagHelp(LIST_CHECKS_FLAGS)}\n`,
    );
    return 0;
  }
  const api = values.api as string | undefined;
  if (api !== undefined && !isApiName(api)) {
    throw new UsageError(`list-checks: --api must be one of ${API_NAMES.join(', ')}, not "${api}"`);
  }
  const format = (values.format as string | undefined) ?? 'text';
  if (format === 'json') io.stdout(`${JSON.stringify(describeChecks(CHECKS, api), null, 2)}\n`);
  else if (format === 'text') io.stdout(checksAsText(CHECKS, api));
  else throw new UsageError(`list-checks: --format must be text or json, not "${format}"`);
  return 0;
};
