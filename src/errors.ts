/**
 * Errors that stop a run before or instead of producing results. Conformance failures are never errors:
 * they are findings in the report. Each code is stable and listed in README's error-code table.
 */
export const ERROR_CODES = {
  MC_ERR_USAGE: 'bad command-line usage (unknown flag, bad value, unknown check id)',
  MC_ERR_CONFIG: 'bad configuration (config file, environment variable, option combination)',
  MC_ERR_SPEC: 'a spec file is missing, unparsable or inconsistent',
  MC_ERR_SUITE: 'a suite or fixture file does not validate against its schema',
  MC_ERR_TARGET_UNREACHABLE:
    'the target refused connections, could not be resolved, or never answered its first case',
  MC_ERR_AUTH_REJECTED: 'the target refused every request sent with the token (401/403 or a MemOS auth code)',
  MC_ERR_MOCK: 'the mock server could not start',
  MC_ERR_REPORT: 'a report could not be written',
  MC_ERR_SEED:
    'run --seed could not seed the target: a write was refused, the data never became searchable within --seed-timeout, or the run was interrupted (seeded data is deleted first)',
} as const;

/** A stable machine-readable error code. */
export type ErrorCode = keyof typeof ERROR_CODES;

/** An expected failure with a stable code and a message that says what to do next; printed as one line. */
export class MemconformError extends Error {
  override readonly name: string = 'MemconformError';
  constructor(
    readonly code: ErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** Wrong flags or option values: exit 2 and a hint to `--help`. */
export class UsageError extends MemconformError {
  override readonly name = 'UsageError';
  constructor(message: string) {
    super('MC_ERR_USAGE', message);
  }
}

/** A data file (suite, fixture, spec) that does not validate; the message names the file and the place. */
export class DataFileError extends MemconformError {
  override readonly name = 'DataFileError';
  constructor(
    code: 'MC_ERR_SPEC' | 'MC_ERR_SUITE',
    readonly file: string,
    detail: string,
  ) {
    super(code, `${file}: ${detail}`);
  }
}

/** True for errors memconform expects and reports as one line (no stack trace). */
export function isMemconformError(error: unknown): error is MemconformError {
  return error instanceof MemconformError;
}
