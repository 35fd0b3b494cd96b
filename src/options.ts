import { resolve } from 'node:path';
import { API_NAMES, type ApiName, isApiName } from './apis.js';
import { CHECKS } from './checks/index.js';
import type { Check, Severity } from './checks/types.js';
import { MemconformError, UsageError } from './errors.js';
import { MIN_SECRET_LENGTH } from './http/redact.js';
import { REPORTERS } from './reporters/index.js';
import type { ProgressMode } from './reporters/progress.js';
import type { AnyReporter } from './reporters/types.js';
import { didYouMean } from './suggest.js';

/** Per-request timeout (connect, headers and body) when `--timeout` is not given. */
export const DEFAULT_TIMEOUT_MS = 10_000;
/** Cases run in parallel when `--concurrency` is not given. */
export const DEFAULT_CONCURRENCY = 4;
/** Report folder under the working directory when `--out` is not given. */
export const DEFAULT_OUT_DIR = 'reports';
/** Reporters used when `--reporter` is not given. */
export const DEFAULT_REPORTERS = ['console', 'json'] as const;
/** Lowest severity that fails the run when `--fail-on` is not given. */
export const DEFAULT_FAIL_ON: Severity = 'error';
/** Response bodies are cut after this many bytes (a hostile target must not exhaust memory). */
export const MAX_BODY_BYTES = 5 * 1024 * 1024;
/** Environment variable that holds the API token (preferred over `--token`, which shows in `ps`). */
export const TOKEN_ENV = 'MEMCONFORM_TOKEN';
/** Token the built-in reference implementation accepts. */
export const REFERENCE_TOKEN = 'mc-reference-token';
/** Upper bounds that keep a typo from starting a denial-of-service run. */
export const MAX_CONCURRENCY = 64;
/** Longest per-request timeout accepted (10 minutes). */
export const MAX_TIMEOUT_MS = 600_000;

/** How long `run --seed` waits for seeded data to become searchable when `--seed-timeout` is not given. */
export const DEFAULT_SEED_TIMEOUT_S = 120;
/** Longest `--seed-timeout` accepted (1 hour). */
export const MAX_SEED_TIMEOUT_S = 3_600;

/** The flags `memconform run` accepts, as node:util parseArgs returns them. */
export interface RunFlags {
  readonly target?: string;
  readonly api?: string;
  readonly flavour?: string;
  readonly token?: string;
  readonly suite?: readonly string[];
  readonly checks?: string;
  readonly 'exclude-checks'?: string;
  readonly tags?: string;
  readonly 'fail-on'?: string;
  readonly reporter?: string;
  readonly out?: string;
  readonly timeout?: string;
  readonly concurrency?: string;
  readonly var?: readonly string[];
  readonly 'user-id'?: string;
  readonly 'other-user-id'?: string;
  readonly 'no-color'?: boolean;
  readonly 'list-cases'?: boolean;
  readonly header?: readonly string[];
  readonly 'max-failures'?: string;
  readonly 'rate-limit'?: string;
  readonly seed?: boolean;
  readonly 'seed-timeout'?: string;
  readonly 'keep-data'?: boolean;
  readonly 'min-recall'?: string;
}

/** Where the options are resolved: the caller's folder and terminal. */
export interface ResolveContext {
  /** Base for relative `--suite` and `--out` paths. */
  readonly cwd: string;
  /** Whether standard output is a terminal (colours are only used on one). */
  readonly isTTY: boolean;
  /** The check table to validate `--checks` against (tests inject their own). */
  readonly checks?: readonly Check[];
  /** The reporter table to validate `--reporter` against. */
  readonly reporters?: readonly AnyReporter[];
}

/** Everything a run needs to know, resolved and validated once. */
export interface RunOptions {
  /** Base URL of the server under test; undefined means "start the built-in reference implementation". */
  readonly target?: string;
  /** The APIs to run: the one of `--api`, or all of them against the built-in reference. */
  readonly apis: readonly ApiName[];
  /** MemMachine deployment; undefined means "infer from the target URL". */
  readonly flavour?: 'hosted' | 'self-hosted';
  /** Never printed; only sent in the credential header. */
  readonly token?: string;
  /** Absolute suite files or folders; empty means the package's suites/<api>/. */
  readonly suitePaths: readonly string[];
  /** Check ids to run, in table order. */
  readonly checks: readonly string[];
  /** Check ids excluded with `--checks` / `--exclude-checks`. */
  readonly excludedChecks: readonly string[];
  /** `--tags`: run only cases carrying at least one of these tags; empty means every case. */
  readonly tags: readonly string[];
  readonly failOn: Severity;
  /** Reporter names, in the order given. */
  readonly reporters: readonly string[];
  /** Absolute report folder. */
  readonly outDir: string;
  readonly timeoutMs: number;
  readonly concurrency: number;
  readonly maxBodyBytes: number;
  /** `--var` overrides (plus `--user-id` / `--other-user-id`). */
  readonly variables: Readonly<Record<string, string>>;
  readonly color: boolean;
  /** Console progress: redrawn in place on a terminal (or with FORCE_TTY), plain lines in CI or with NO_COLOR. */
  readonly progress: ProgressMode;
  /** `--list-cases`: print the cases that would run and send nothing. */
  readonly listCases: boolean;
  /** `--header 'Name: value'`: added to every request (suite step headers win); names in lower case. */
  readonly headers: Readonly<Record<string, string>>;
  /** `--max-failures N`: stop starting cases once N error findings were reported. */
  readonly maxFailures?: number;
  /** `--rate-limit N/s`: at most N requests started per second over the whole run. */
  readonly rateLimit?: number;
  /** Further servers of the same run (a config file's `targets`), each resolved like this one. */
  readonly moreTargets?: readonly RunOptions[];
  /** `--seed`: write the fixture data into the target under run-scoped ids first, delete it afterwards. */
  readonly seed: boolean;
  /** `--seed-timeout` in ms: how long seeded data may take to become searchable. */
  readonly seedTimeoutMs: number;
  /** `--keep-data`: leave the seeded data in the target (and print its ids). */
  readonly keepData: boolean;
  /** `--min-recall`: lowest recall@k a seeded run accepts (undefined: no gate). */
  readonly minRecall?: number;
}

/** Resolves and validates `memconform run` flags and environment into one frozen object. */
export function resolveOptions(
  flags: RunFlags,
  env: Readonly<Record<string, string | undefined>>,
  context: ResolveContext,
): RunOptions {
  const checkTable = context.checks ?? CHECKS;
  const reporterTable = context.reporters ?? REPORTERS;

  const api = flags.api === undefined ? undefined : parseApi(flags.api);
  let target: string | undefined;
  if (flags.target !== undefined) {
    target = parseTarget(flags.target);
    if (api === undefined) {
      throw new UsageError(`--target needs --api (one of ${API_NAMES.join(', ')})`);
    }
  }

  let flavour: RunOptions['flavour'];
  if (flags.flavour !== undefined) {
    if (flags.flavour !== 'hosted' && flags.flavour !== 'self-hosted') {
      throw new UsageError(`--flavour must be hosted or self-hosted, not "${flags.flavour}"`);
    }
    flavour = flags.flavour;
  }

  const envToken = env[TOKEN_ENV];
  const token = nonEmpty(flags.token) ?? nonEmpty(envToken);
  if (token !== undefined && [...token].some((ch) => ch.charCodeAt(0) < 0x20 || ch.charCodeAt(0) === 0x7f)) {
    // A control character would corrupt the header line; the message must not echo the token.
    throw new MemconformError(
      'MC_ERR_CONFIG',
      `the token (--token or ${TOKEN_ENV}) contains control characters`,
    );
  }
  if (token !== undefined && token.length < MIN_SECRET_LENGTH) {
    // Redacting a 1-3 character token would also redact ordinary text in every report: refused instead.
    throw new MemconformError(
      'MC_ERR_CONFIG',
      `the token (--token or ${TOKEN_ENV}) is shorter than ${MIN_SECRET_LENGTH} characters, too short to keep out of reports without garbling them; API keys are longer: check the value`,
    );
  }

  const known = checkTable.map((c) => c.id);
  const wanted = flags.checks === undefined ? known : parseIdList('--checks', flags.checks, known);
  const excludedByFlag =
    flags['exclude-checks'] === undefined
      ? []
      : parseIdList('--exclude-checks', flags['exclude-checks'], known);
  const checks = known.filter((id) => wanted.includes(id) && !excludedByFlag.includes(id));
  const excludedChecks = known.filter((id) => !checks.includes(id));

  const tags = flags.tags === undefined ? [] : parseTags(flags.tags);

  const failOn = parseFailOn(flags['fail-on']);

  const reporterNames = reporterTable.map((r) => r.name);
  const reporters =
    flags.reporter === undefined
      ? DEFAULT_REPORTERS.filter((name) => reporterNames.includes(name))
      : parseReporterList(flags.reporter, reporterNames);

  const variables: Record<string, string> = {};
  for (const entry of flags.var ?? []) {
    const eq = entry.indexOf('=');
    const name = eq < 0 ? '' : entry.slice(0, eq);
    if (!/^[A-Za-z][A-Za-z0-9]*$/.test(name)) {
      throw new UsageError(`--var expects name=value with a name like userId, got "${entry}"`);
    }
    variables[name] = entry.slice(eq + 1);
  }
  if (flags['user-id'] !== undefined) variables.user = requireValue('--user-id', flags['user-id']);
  if (flags['other-user-id'] !== undefined) {
    variables.otherUser = requireValue('--other-user-id', flags['other-user-id']);
  }

  const noColorEnv = env.NO_COLOR !== undefined && env.NO_COLOR !== '';
  const color = context.isTTY && !noColorEnv && flags['no-color'] !== true && env.TERM !== 'dumb';
  const terminal = context.isTTY || truthy(env.FORCE_TTY);
  const progress: ProgressMode =
    terminal && !noColorEnv && !truthy(env.CI) && env.TERM !== 'dumb' ? 'live' : 'plain';

  const maxFailures =
    flags['max-failures'] === undefined
      ? undefined
      : parseInteger('--max-failures', flags['max-failures'], 0, 1, 1_000_000);
  const rateLimit = flags['rate-limit'] === undefined ? undefined : parseRateLimit(flags['rate-limit']);

  return Object.freeze({
    ...(target === undefined ? {} : { target }),
    apis: Object.freeze(api === undefined ? [...API_NAMES] : [api]),
    ...(flavour === undefined ? {} : { flavour }),
    ...(token === undefined ? {} : { token }),
    suitePaths: Object.freeze(
      (flags.suite ?? []).map((p) => resolve(context.cwd, requireValue('--suite', p))),
    ),
    checks: Object.freeze(checks),
    excludedChecks: Object.freeze(excludedChecks),
    tags: Object.freeze(tags),
    failOn,
    reporters: Object.freeze(reporters),
    outDir: resolve(
      context.cwd,
      flags.out === undefined ? DEFAULT_OUT_DIR : requireValue('--out', flags.out),
    ),
    timeoutMs: parseInteger('--timeout', flags.timeout, DEFAULT_TIMEOUT_MS, 1, MAX_TIMEOUT_MS),
    concurrency: parseInteger('--concurrency', flags.concurrency, DEFAULT_CONCURRENCY, 1, MAX_CONCURRENCY),
    maxBodyBytes: MAX_BODY_BYTES,
    variables: Object.freeze(variables),
    color,
    progress,
    listCases: flags['list-cases'] === true,
    headers: Object.freeze(parseHeaders(flags.header ?? [])),
    ...(maxFailures === undefined ? {} : { maxFailures }),
    ...(rateLimit === undefined ? {} : { rateLimit }),
    ...seedOptions(flags),
  });
}

/** Credentials go in MEMCONFORM_TOKEN, which every check knows how to leave out or spoil; a header would not. */
const CREDENTIAL_HEADERS = new Set(['authorization']);
/** Header names whose values are treated as secrets: redacted from every record, report and curl line. */
const SECRET_HEADER = /auth|token|key|secret|cookie|session|signature|password/i;

/** `--header 'Name: value'` (repeatable) -> lower-case name -> value. */
function parseHeaders(entries: readonly string[]): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const entry of entries) {
    const colon = entry.indexOf(':');
    const name = colon < 0 ? '' : entry.slice(0, colon).trim();
    const value = colon < 0 ? '' : entry.slice(colon + 1).trim();
    if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name) || [...value].some((ch) => ch.charCodeAt(0) < 0x20)) {
      // The value may be a secret: name the entry by its header name only.
      throw new UsageError(
        `--header expects 'Name: value' with a token name and no control characters, got ${name === '' ? 'an entry without a name' : `"${name}: …"`}`,
      );
    }
    if (CREDENTIAL_HEADERS.has(name.toLowerCase())) {
      throw new UsageError(
        `--header ${name}: pass the API key with ${TOKEN_ENV} (or --token); memconform sends it, leaves it out or spoils it as each credential case needs`,
      );
    }
    headers[name.toLowerCase()] = value;
  }
  return headers;
}

/** Values of `--header`s whose names look like credentials (redacted wherever requests are recorded). */
export function secretHeaderValues(headers: Readonly<Record<string, string>>): string[] {
  return Object.entries(headers)
    .filter(([name]) => SECRET_HEADER.test(name))
    .map(([, value]) => value);
}

/** `--rate-limit 5/s` or `5`: requests per second, a positive number. */
function parseRateLimit(text: string): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*(?:\/\s*s)?\s*$/.exec(text);
  const rate = match ? Number(match[1]) : Number.NaN;
  if (!(rate > 0) || rate > 10_000) {
    throw new UsageError(`--rate-limit takes requests per second, e.g. --rate-limit 5/s (got "${text}")`);
  }
  return rate;
}

/** An environment flag is on unless unset, empty, `0` or `false` (as CI=false and FORCE_TTY=0 mean). */
function truthy(value: string | undefined): boolean {
  return value !== undefined && value !== '' && value !== '0' && value.toLowerCase() !== 'false';
}

function seedOptions(flags: RunFlags): Pick<RunOptions, 'seed' | 'seedTimeoutMs' | 'keepData' | 'minRecall'> {
  const seed = flags.seed === true;
  for (const flag of ['seed-timeout', 'keep-data', 'min-recall'] as const) {
    if (flags[flag] !== undefined && !seed) throw new UsageError(`--${flag} needs --seed`);
  }
  let minRecall: number | undefined;
  if (flags['min-recall'] !== undefined) {
    const text = flags['min-recall'].trim();
    minRecall = Number(text);
    if (!/^(0|1|0?\.\d+|1\.0*)$/.test(text) || minRecall < 0 || minRecall > 1) {
      throw new UsageError(
        `--min-recall must be a number from 0 to 1, such as 0.8, not "${flags['min-recall']}"`,
      );
    }
  }
  return {
    seed,
    seedTimeoutMs:
      parseInteger('--seed-timeout', flags['seed-timeout'], DEFAULT_SEED_TIMEOUT_S, 1, MAX_SEED_TIMEOUT_S) *
      1_000,
    keepData: flags['keep-data'] === true,
    ...(minRecall === undefined ? {} : { minRecall }),
  };
}

function parseApi(value: string): ApiName {
  if (!isApiName(value)) {
    throw new UsageError(
      `--api must be one of ${API_NAMES.join(', ')}, not "${value}"${didYouMean(value, API_NAMES)}`,
    );
  }
  return value;
}

function parseTarget(value: string): string {
  // `localhost:4010` parses as a URL whose scheme is "localhost:"; say what is missing instead.
  if (/^[A-Za-z0-9.-]+(:\d+)?(\/\S*)?$/.test(value)) {
    throw new UsageError(
      `--target needs a scheme: add http:// (or https://), e.g. --target http://${value.replace(/^\/+/, '')}`,
    );
  }
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new UsageError(`--target must be an http(s) URL such as https://api.mem0.ai, not "${value}"`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new UsageError(`--target must use http or https, not ${url.protocol.replace(':', '')}`);
  }
  if (url.search !== '' || url.hash !== '') {
    throw new UsageError('--target must not carry a query string or fragment: spec paths are appended to it');
  }
  if (url.username !== '' || url.password !== '') {
    // Userinfo would end up in reports and curl lines; credentials belong in MEMCONFORM_TOKEN.
    throw new UsageError(`--target must not contain credentials; pass the token with ${TOKEN_ENV}`);
  }
  // Spec paths start with "/", so a trailing slash on the base would double it.
  return url.href.replace(/\/+$/, '');
}

function parseIdList(flag: string, value: string, known: readonly string[]): string[] {
  const ids = value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  if (ids.length === 0) throw new UsageError(`${flag} needs at least one check id`);
  const unknown = ids.filter((id) => !known.includes(id));
  if (unknown.length > 0) {
    const list = known.length === 0 ? '(none: no checks are built in)' : known.join(', ');
    throw new UsageError(
      `${flag}: unknown check id${unknown.length > 1 ? 's' : ''} ${unknown.map((u) => `"${u}"${didYouMean(u, known)}`).join(', ')}; valid ids: ${list}`,
    );
  }
  return ids;
}

function parseReporterList(value: string, known: readonly string[]): string[] {
  const names = value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  if (names.length === 0) throw new UsageError('--reporter needs at least one reporter name');
  for (const name of names) {
    if (!known.includes(name)) {
      throw new UsageError(
        `--reporter: unknown reporter "${name}"${didYouMean(name, known)}; valid reporters: ${known.join(', ')}`,
      );
    }
  }
  return [...new Set(names)];
}

function parseFailOn(value: string | undefined): Severity {
  if (value === undefined) return DEFAULT_FAIL_ON;
  if (value === 'error' || value === 'warning') return value;
  throw new UsageError(`--fail-on must be error or warning, not "${value}"`);
}

function parseInteger(
  flag: string,
  value: string | undefined,
  fallback: number,
  min: number,
  max: number,
): number {
  if (value === undefined) return fallback;
  if (!/^\d+$/.test(value.trim())) throw new UsageError(`${flag} must be a whole number, not "${value}"`);
  const n = Number(value);
  if (n < min || n > max) throw new UsageError(`${flag} must be between ${min} and ${max}, not ${n}`);
  return n;
}

function requireValue(flag: string, value: string): string {
  if (value.trim() === '') throw new UsageError(`${flag} needs a non-empty value`);
  return value;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}

/** `--tags a,b`: kebab-case labels as suite cases write them (schemas/suite.schema.json). */
function parseTags(text: string): string[] {
  const tags = text
    .split(',')
    .map((tag) => tag.trim())
    .filter((tag) => tag !== '');
  const bad = tags.filter((tag) => !/^[a-z0-9-]+$/.test(tag));
  if (tags.length === 0 || bad.length > 0) {
    throw new UsageError(
      `--tags takes comma-separated kebab-case tags, e.g. --tags isolation,pagination (got "${text}")`,
    );
  }
  return tags;
}
