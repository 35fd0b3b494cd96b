import type { ApiName } from '../apis.js';
import { DataFileError, UsageError } from '../errors.js';
import { placeholdersIn } from '../suite/placeholders.js';
import type { SuiteCase, SuiteFile, SuiteStep } from '../suite/types.js';

/** The command-line flags a variable can come from, for the message. */
function flagOf(name: string): string {
  if (name === 'user') return '--user-id/--var user';
  if (name === 'otherUser') return '--other-user-id/--var otherUser';
  return `--var ${name}`;
}

/**
 * MemMachine filter literals are `'…'` with no escape (MM-FLT in docs/sources.md): a value holding `'` cannot
 * be written, and sent anyway it would turn every case using it into a 422 — false alarms. So a run that
 * would put such a value into a MemMachine `filter` stops before the first request: a usage error when the
 * value came from the command line, a suite error when the suite itself defines it.
 */
export function assertWritableFilterValues(
  api: ApiName,
  suite: SuiteFile,
  suiteCase: SuiteCase,
  step: SuiteStep,
  variables: Readonly<Record<string, string>>,
  fromCommandLine: Readonly<Record<string, string>>,
): void {
  if (api !== 'memmachine') return;
  const body = step.body;
  const filter =
    typeof body === 'object' && body !== null ? (body as Record<string, unknown>).filter : undefined;
  for (const name of placeholdersIn(filter)) {
    const value = variables[name];
    if (value === undefined || !value.includes("'")) continue;
    const why =
      `case "${suiteCase.id}" puts \${${name}} into a MemMachine filter, whose string literals ('…') have ` +
      "no escape for ' (MM-FLT in docs/sources.md)";
    if (Object.hasOwn(fromCommandLine, name)) {
      throw new UsageError(
        `${flagOf(name)} ${JSON.stringify(value)} cannot be sent to MemMachine: ${why}; use an id without '`,
      );
    }
    throw new DataFileError('MC_ERR_SUITE', suite.file, `variable ${name} ${JSON.stringify(value)}: ${why}`);
  }
}
