import { appendFileSync, closeSync, mkdirSync, openSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { API_NAMES, type ApiName } from '../apis.js';
import { CHECKS } from '../checks/index.js';
import type { Check } from '../checks/types.js';
import { CONFIG_FILES, type ConfigFlags, envFlags, loadConfig } from '../config.js';
import { DataFileError, type ErrorCode, MemconformError, UsageError } from '../errors.js';
import { redactText } from '../http/redact.js';
import {
  DEFAULT_CONCURRENCY,
  DEFAULT_FAIL_ON,
  DEFAULT_OUT_DIR,
  DEFAULT_REPORTERS,
  DEFAULT_SEED_TIMEOUT_S,
  DEFAULT_TIMEOUT_MS,
  REFERENCE_TOKEN,
  type RunOptions,
  resolveOptions,
  secretHeaderValues,
  TOKEN_ENV,
} from '../options.js';
import { packageRoot, packageVersion } from '../package.js';
import type { ReferenceDataset, RunningReference } from '../reference/index.js';
import { renderGithubAnnotations } from '../reporters/github.js';
import { REPORTERS } from '../reporters/index.js';
import { renderMarkdown } from '../reporters/markdown.js';
import { createProgress, type Progress } from '../reporters/progress.js';
import { type AnyReporter, isStreamReporter } from '../reporters/types.js';
import type { RunListener } from '../runner/events.js';
import type { Report } from '../runner/report.js';
import { type RunTarget, runConformance } from '../runner/run.js';
import { type ApiSpec, loadApiSpec } from '../spec/index.js';
import { didYouMean } from '../suggest.js';
import { defaultSuitePath, loadSuites, suiteFilesUnder } from '../suite/load.js';
import type { SuiteFile } from '../suite/types.js';
import { type FlagTable, flagHelp, parseFlags } from './args.js';
import { type Command, type CommandIO, EXIT } from './types.js';

/** Flags of `memconform run`. */
export const RUN_FLAGS: FlagTable = {
  target: {
    type: 'string',
    value: 'URL',
    description: 'base URL of the server under test (needs --api); omit to test the built-in reference',
  },
  api: { type: 'string', value: 'API', description: `which API the target speaks: ${API_NAMES.join(' | ')}` },
  flavour: {
    type: 'string',
    value: 'F',
    description: 'hosted | self-hosted (MemMachine; default: self-hosted when the target path ends in /api)',
  },
  token: {
    type: 'string',
    value: 'T',
    description: `API key (prefer the ${TOKEN_ENV} environment variable)`,
  },
  suite: {
    type: 'string',
    multiple: true,
    value: 'PATH',
    description: 'suite file or folder (repeatable; default: the package suites of the api)',
  },
  checks: {
    type: 'string',
    value: 'IDS',
    description: 'run only these checks (comma-separated ids, see list-checks)',
  },
  'exclude-checks': { type: 'string', value: 'IDS', description: 'skip these checks (comma-separated ids)' },
  tags: {
    type: 'string',
    value: 'TAGS',
    description: 'run only cases with one of these tags (comma-separated, e.g. isolation,pagination)',
  },
  'fail-on': {
    type: 'string',
    value: 'SEV',
    description: `error | warning: lowest severity that fails the run (default ${DEFAULT_FAIL_ON})`,
  },
  reporter: {
    type: 'string',
    value: 'LIST',
    description: `comma-separated: ${REPORTERS.map((r) => r.name).join(', ')} (default ${DEFAULT_REPORTERS.join(',')})`,
  },
  out: {
    type: 'string',
    value: 'DIR',
    description: `folder for report files (default ./${DEFAULT_OUT_DIR})`,
  },
  timeout: {
    type: 'string',
    value: 'MS',
    description: `per-request timeout in milliseconds (default ${DEFAULT_TIMEOUT_MS})`,
  },
  concurrency: {
    type: 'string',
    value: 'N',
    description: `cases run in parallel (default ${DEFAULT_CONCURRENCY})`,
  },
  var: {
    type: 'string',
    multiple: true,
    value: 'NAME=VALUE',
    description: 'override a suite variable (repeatable)',
  },
  'user-id': {
    type: 'string',
    value: 'ID',
    description: 'user whose data the suites query (same as --var user=ID)',
  },
  'other-user-id': {
    type: 'string',
    value: 'ID',
    description: 'a second user with data, for isolation cases (same as --var otherUser=ID)',
  },
  header: {
    type: 'string',
    multiple: true,
    value: "'NAME: VALUE'",
    description:
      'add a header to every request, e.g. an org or proxy header (repeatable; credential-like values are redacted)',
  },
  'rate-limit': {
    type: 'string',
    value: 'N/s',
    description: 'start at most N requests per second (429 answers are retried after Retry-After either way)',
  },
  'max-failures': {
    type: 'string',
    value: 'N',
    description: 'stop starting cases after N error findings; the reports cover the cases run',
  },
  config: {
    type: 'string',
    value: 'FILE',
    description: `config file (default: ${CONFIG_FILES[0]} or .json in the working folder; see memconform init)`,
  },
  'list-cases': {
    type: 'boolean',
    description: 'print the cases that would run (after --suite, --tags and --checks) and send nothing',
  },
  seed: {
    type: 'boolean',
    description:
      'write the fixture data into the target under run-scoped ids (mc-<run id>-…) first and delete it after the run',
  },
  'seed-timeout': {
    type: 'string',
    value: 'S',
    description: `with --seed: seconds to wait for seeded data to become searchable (default ${DEFAULT_SEED_TIMEOUT_S})`,
  },
  'keep-data': {
    type: 'boolean',
    description: 'with --seed: leave the seeded data in the target and print its ids',
  },
  'min-recall': {
    type: 'string',
    value: 'X',
    description: 'with --seed: recall@k below X (0..1) over the golden queries is an error finding',
  },
  'no-color': {
    type: 'boolean',
    description: 'no ANSI colours (also when NO_COLOR is set or output is not a terminal)',
  },
  help: { type: 'boolean', short: 'h', description: 'show this help' },
};

/** Help text of `memconform run`. */
export function runHelp(): string {
  return `Usage: memconform run [--target URL --api ${API_NAMES.join('|')}] [options]

Sends the conformance suites to a server and judges every answer with every check.
Without --target, starts the built-in reference implementation on a free port and runs every suite of
every API against it (memos, mem0, memmachine hosted and self-hosted).

  --target is the base URL as the vendor documents it; spec paths are appended:
    memos       https://memos.memtensor.cn/api/openmem/v1   (Authorization: Token …)
    mem0        https://api.mem0.ai                          (Authorization: Token …)
    memmachine  https://api.memmachine.ai (Bearer) or http://localhost:8080/api (self-hosted, no auth)

Options:
${flagHelp(RUN_FLAGS)}

Reporters:
${REPORTERS.map((r) => `  ${r.name.padEnd(10)}${r.description}`).join('\n')}

Exit codes: 0 no finding at or above --fail-on; 1 findings; 2 usage, config, spec, suite or
target error (reports are still written); 3 internal error (a bug: please report it); 130 interrupted
(Ctrl-C or SIGTERM: the reports of the cases finished so far are written; a second Ctrl-C quits at once).

Example:
  ${TOKEN_ENV}=mpg-… memconform run --target https://memos.memtensor.cn/api/openmem/v1 --api memos --user-id alex
`;
}

/** What a run can be given besides its options (tests inject a check table). */
export interface RunDependencies {
  /** The check table; default CHECKS. */
  readonly checks?: readonly Check[];
  /** The reporter table; default REPORTERS. */
  readonly reporters?: readonly AnyReporter[];
  /** Package root for specs, suites and schemas; default the installed package. */
  readonly root?: string;
  /** What the built-in reference serves; default its fixtures (tests serve them under other user ids). */
  readonly dataset?: ReferenceDataset;
  /** Aborting it interrupts the run: the reports of the cases finished so far are written, exit 130. */
  readonly signal?: AbortSignal;
}

/** `memconform run`. */
export const runCommand: Command['run'] = async (argv, io) => {
  const values = parseFlags('run', argv, RUN_FLAGS);
  if (values.help === true) {
    io.stdout(runHelp());
    return 0;
  }
  const { help: _, config: configFile, ...cli } = values as ConfigFlags & { help?: boolean; config?: string };
  const options = optionsFromEverywhere(cli, configFile, io);
  const interrupt = new AbortController();
  const stop = (signal: NodeJS.Signals): void => {
    // Only the first signal is ours: the next one meets Node's default handler and ends the process at once.
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
    io.stderr(`memconform: ${signal}: stopping; writing the reports of the cases finished so far\n`);
    interrupt.abort();
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  try {
    return await executeRun(options, io, { signal: interrupt.signal });
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  }
};

/**
 * Options from every source, in precedence order: flags, then MEMCONFORM_<OPTION> environment variables, then
 * the config file (`--config`, MEMCONFORM_CONFIG or memconform.config.yaml/.json in the working folder), then
 * the defaults. A config with `targets` runs each of them, unless a flag or the environment names a --target.
 */
export function optionsFromEverywhere(
  cli: ConfigFlags,
  configFile: string | undefined,
  io: CommandIO,
): RunOptions {
  const names = Object.keys(RUN_FLAGS).filter((name) => !['help', 'config', 'token'].includes(name));
  const env = envFlags(io.env, names);
  const config = loadConfig(io.cwd, configFile ?? io.env.MEMCONFORM_CONFIG);
  const context = { cwd: io.cwd, isTTY: io.isTTY };
  const resolveLayers = (layers: readonly ConfigFlags[]): RunOptions => {
    const { 'token-env': tokenEnv, ...flags } = Object.assign({}, ...layers) as ConfigFlags;
    // A target's token-env names where its key is: it beats MEMCONFORM_TOKEN, and --token beats both.
    const keyed =
      tokenEnv !== undefined && io.env[tokenEnv] !== undefined
        ? { ...io.env, [TOKEN_ENV]: io.env[tokenEnv] }
        : io.env;
    return resolveOptions(flags, keyed, context);
  };
  const targets = config?.targets ?? [];
  if (targets.length === 0 || cli.target !== undefined || env.target !== undefined) {
    return resolveLayers([config?.flags ?? {}, env, cli]);
  }
  const [first, ...rest] = targets.map((target) => resolveLayers([config?.flags ?? {}, target, env, cli]));
  return { ...(first as RunOptions), moreTargets: rest };
}

/**
 * Runs with resolved options: plan targets, run, write reports; returns the exit code (0, 1, or 130 when
 * interrupted). A run stopped by a target error writes every requested report file, then throws that error.
 */
export async function executeRun(
  options: RunOptions,
  io: CommandIO,
  deps: RunDependencies = {},
): Promise<number> {
  const root = deps.root ?? packageRoot();
  const checkTable = deps.checks ?? CHECKS;
  const reporterTable = deps.reporters ?? REPORTERS;
  const version = packageVersion();
  const specs = new Map<ApiName, ApiSpec>();
  const specFor = (api: ApiName): ApiSpec => {
    let spec = specs.get(api);
    if (!spec) {
      spec = loadApiSpec(api, root);
      specs.set(api, spec);
    }
    return spec;
  };
  // A config with several targets runs the suites of every api among them.
  const apis = [...new Set([options, ...(options.moreTargets ?? [])].flatMap((o) => o.apis))];
  const suitesByApi = selectByTags(loadSuitesFor({ ...options, apis }, root, specFor), options.tags);
  prepareOutDir(options, reporterTable);
  const checks = checkTable.filter((c) => options.checks.includes(c.id));
  const excludedChecks = checkTable.filter((c) => options.excludedChecks.includes(c.id));
  if (options.listCases) {
    io.stdout(listCases(suitesByApi, checks));
    return 0;
  }

  const extraFor = (o: RunOptions) => ({
    headers: o.headers,
    secrets: secretHeaderValues(o.headers),
    variables: o.variables,
  });
  let reference: RunningReference | undefined;
  let report: Report;
  const streams = openStreams(options, reporterTable);
  const progress: Progress | undefined = options.reporters.includes('console')
    ? createProgress({ write: io.stdout, mode: options.progress, color: options.color })
    : undefined;
  const listeners: RunListener[] = [
    ...(progress ? [progress.listener] : []),
    ...streams.map((stream) => stream.listener),
  ];
  try {
    let targets: RunTarget[];
    if (options.target !== undefined) {
      targets = [options, ...(options.moreTargets ?? [])].map((o) => ({
        ...explicitTarget(o, o.target as string, specFor, suitesByApi),
        ...extraFor(o),
      }));
    } else {
      // Loaded only when there is no --target: a run against a real server never loads the reference.
      const { emptyReferenceDataset, startReferenceServer } = await import('../reference/index.js');
      // A seeded run starts the reference empty: everything the cases find, the seeding wrote.
      const dataset = options.seed ? emptyReferenceDataset() : deps.dataset;
      reference = await startReferenceServer({
        host: '127.0.0.1',
        port: 0,
        ...(dataset === undefined ? {} : { dataset }),
      });
      const urls = reference.targets;
      const builtIn: { api: ApiName; url: string; flavour: 'hosted' | 'self-hosted' }[] = [
        { api: 'memos', url: urls.memos, flavour: 'hosted' },
        { api: 'mem0', url: urls.mem0, flavour: 'hosted' },
        { api: 'memmachine', url: urls.memmachine, flavour: 'hosted' },
        { api: 'memmachine', url: urls.memmachineSelfHosted, flavour: 'self-hosted' },
      ];
      targets = builtIn
        .filter((t) => suitesByApi.has(t.api))
        .filter(
          (t) => options.flavour === undefined || t.flavour === options.flavour || t.api !== 'memmachine',
        )
        .map((t) => {
          const spec = specFor(t.api);
          const server = serverFor(spec, t.flavour);
          return {
            info: {
              api: t.api,
              url: t.url.replace(/\/+$/, ''),
              flavour: t.flavour,
              authRequired: server.authRequired,
            },
            builtIn: true,
            spec,
            suites: suitesByApi.get(t.api) ?? [],
            token: REFERENCE_TOKEN,
            ...extraFor(options),
          };
        });
    }
    const execute = (planned: RunTarget[]) =>
      runConformance({
        targets: planned,
        checks,
        excludedChecks,
        failOn: options.failOn,
        timeoutMs: options.timeoutMs,
        concurrency: options.concurrency,
        maxBodyBytes: options.maxBodyBytes,
        variables: options.variables,
        toolVersion: version,
        tokenEnv: TOKEN_ENV,
        ...(deps.signal ? { signal: deps.signal } : {}),
        listeners,
        ...(options.maxFailures === undefined ? {} : { maxFailures: options.maxFailures }),
        ...(options.rateLimit === undefined ? {} : { rateLimit: options.rateLimit }),
      });
    // Seeding code (and the reference dataset it writes) is loaded only for --seed.
    report = options.seed
      ? await (await import('./seeded-run.js')).runSeeded(targets, options, io, version, execute, deps.signal)
      : await execute(targets);
  } finally {
    progress?.close();
    for (const stream of streams) stream.close();
    await reference?.close();
  }
  writeReports(
    report,
    options,
    io,
    reporterTable,
    streams.map((s) => s.path),
  );
  if (io.env.GITHUB_ACTIONS === 'true') reportToGithub(report, io);
  if (report.error) {
    throw new MemconformError(
      report.error.code as ErrorCode,
      redactText(report.error.message, secretsOf(options)),
    );
  }
  if (report.interrupted) return EXIT.interrupted;
  return report.summary.passed ? EXIT.ok : EXIT.findings;
}

/**
 * In GitHub Actions: annotations as workflow commands on standard output (where the runner reads them), and
 * the Markdown report appended to the job summary file the runner names in GITHUB_STEP_SUMMARY.
 */
function reportToGithub(report: Report, io: CommandIO): void {
  io.stdout(renderGithubAnnotations(report));
  const summary = io.env.GITHUB_STEP_SUMMARY;
  if (summary !== undefined && summary !== '') {
    reportFile(summary, () => appendFileSync(summary, renderMarkdown(report)));
  }
}

/**
 * `--list-cases`: every case that would run, per api and operation, with its tags, its steps and the selected
 * checks that would judge it; nothing is sent.
 */
function listCases(suitesByApi: ReadonlyMap<ApiName, SuiteFile[]>, checks: readonly Check[]): string {
  const lines: string[] = [];
  let total = 0;
  for (const [api, suites] of suitesByApi) {
    for (const suite of suites) {
      lines.push(`${api} ${suite.operation}  (${suite.file})`);
      for (const suiteCase of suite.cases) {
        total += 1;
        const refs = new Set(suiteCase.steps.map((step) => `${api}.${step.operation}`));
        const judging = checks.filter((check) => check.operations.some((op) => refs.has(op)));
        const tags = suiteCase.tags.length === 0 ? '' : ` [${suiteCase.tags.join(', ')}]`;
        lines.push(`  ${suiteCase.id}${tags} — ${suiteCase.description}`);
        lines.push(
          `      ${suiteCase.steps.length} step${suiteCase.steps.length === 1 ? '' : 's'}; checks: ${judging.length === 0 ? 'none selected' : judging.map((c) => c.id).join(', ')}`,
        );
      }
    }
  }
  lines.push('', `${total} case${total === 1 ? '' : 's'}; nothing was sent.`);
  return `${lines.join('\n')}\n`;
}

/** Keeps the cases carrying one of `tags` (every case when none are given); selecting nothing is a usage error. */
function selectByTags(byApi: Map<ApiName, SuiteFile[]>, tags: readonly string[]): Map<ApiName, SuiteFile[]> {
  if (tags.length === 0) return byApi;
  const selected = new Map<ApiName, SuiteFile[]>();
  const seen = new Set<string>();
  for (const [api, suites] of byApi) {
    const kept = suites
      .map((suite) => {
        for (const suiteCase of suite.cases) for (const tag of suiteCase.tags) seen.add(tag);
        return { ...suite, cases: suite.cases.filter((c) => c.tags.some((tag) => tags.includes(tag))) };
      })
      .filter((suite) => suite.cases.length > 0);
    if (kept.length > 0) selected.set(api, kept);
  }
  if (selected.size === 0) {
    throw new UsageError(
      `no case has the tag(s) ${tags.map((tag) => `${tag}${didYouMean(tag, [...seen])}`).join(', ')}; the suites use: ${[...seen].sort().join(', ')}`,
    );
  }
  return selected;
}

function loadSuitesFor(
  options: RunOptions,
  root: string,
  specFor: (api: ApiName) => ApiSpec,
): Map<ApiName, SuiteFile[]> {
  const byApi = new Map<ApiName, SuiteFile[]>();
  if (options.suitePaths.length > 0) {
    const suites = loadSuites(options.suitePaths, { root, spec: specFor });
    for (const suite of suites) {
      if (!options.apis.includes(suite.api)) {
        throw new DataFileError(
          'MC_ERR_SUITE',
          suite.file,
          `is a suite for ${suite.api}, but this run tests ${options.apis.join(', ')}; pass --api ${suite.api} or leave the file out`,
        );
      }
      byApi.set(suite.api, [...(byApi.get(suite.api) ?? []), suite]);
    }
    if (suites.length === 0) {
      throw new MemconformError(
        'MC_ERR_SUITE',
        `no suite files (*.yaml) under ${options.suitePaths.join(', ')}`,
      );
    }
    return byApi;
  }
  for (const api of options.apis) {
    const folder = defaultSuitePath(api, root);
    const files = existsOrEmpty(folder, root);
    if (files.length === 0) {
      throw new DataFileError(
        'MC_ERR_SUITE',
        relative(root, folder),
        `has no suite files for ${api}; the package should ship them (reinstall memconform) or pass --suite PATH`,
      );
    }
    byApi.set(api, loadSuites(files, { root, spec: specFor }));
  }
  return byApi;
}

function existsOrEmpty(folder: string, root: string): string[] {
  try {
    return suiteFilesUnder(folder, root);
  } catch (error) {
    if (error instanceof DataFileError) return [];
    throw error;
  }
}

function explicitTarget(
  options: RunOptions,
  url: string,
  specFor: (api: ApiName) => ApiSpec,
  suitesByApi: ReadonlyMap<ApiName, SuiteFile[]>,
): RunTarget {
  const api = options.apis[0] as ApiName;
  const spec = specFor(api);
  const flavour = options.flavour ?? inferFlavour(api, url);
  const server = serverFor(spec, flavour);
  if (server.authRequired && options.token === undefined) {
    throw new UsageError(
      `${api} (${flavour}) requires an API key: set ${TOKEN_ENV} (or pass --token) for ${new URL(url).origin}`,
    );
  }
  return {
    info: { api, url, flavour, authRequired: server.authRequired },
    builtIn: false,
    spec,
    suites: suitesByApi.get(api) ?? [],
    ...(options.token === undefined ? {} : { token: options.token }),
  };
}

/** MemMachine's self-hosted server mounts its routes under /api (MM-PLAT, MM-SPEC in docs/sources.md); everything else is hosted. */
function inferFlavour(api: ApiName, url: string): 'hosted' | 'self-hosted' {
  if (api !== 'memmachine') return 'hosted';
  return new URL(url).pathname.replace(/\/+$/, '').endsWith('/api') ? 'self-hosted' : 'hosted';
}

function serverFor(spec: ApiSpec, flavour: 'hosted' | 'self-hosted') {
  const server = spec.servers.find((s) => s.flavour === flavour);
  if (!server) {
    const known = [...new Set(spec.servers.map((s) => s.flavour))].join(', ') || 'none';
    throw new UsageError(`${spec.api} has no ${flavour} flavour in ${spec.file} (flavours: ${known})`);
  }
  return server;
}

/**
 * Creates `--out` before the run, so a folder that cannot be made fails in a second, not after the run. One
 * level at a time: Node's recursive mkdir loops forever where mkdir answers ENOENT for an existing parent
 * (`/proc/1/nope`).
 */
function prepareOutDir(options: RunOptions, table: readonly AnyReporter[]): void {
  const files = options.reporters.some((name) => table.find((r) => r.name === name)?.fileName !== undefined);
  if (!files) return;
  const missing: string[] = [];
  try {
    for (let dir = resolve(options.outDir); ; dir = dirname(dir)) {
      const stat = statSync(dir, { throwIfNoEntry: false });
      if (stat?.isDirectory()) break;
      if (stat) throw Object.assign(new Error(`${dir} is not a folder`), { code: 'ENOTDIR' });
      missing.unshift(dir);
      if (dirname(dir) === dir) break;
    }
    for (const dir of missing) mkdirSync(dir);
  } catch (error) {
    throw new MemconformError(
      'MC_ERR_REPORT',
      `cannot create the report folder ${options.outDir} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}); check --out`,
      { cause: error },
    );
  }
}

/** What must never appear in any output of the run: the user's token and credential-like --header values. */
function secretsOf(options: RunOptions): string[] {
  return [...(options.token === undefined ? [] : [options.token]), ...secretHeaderValues(options.headers)];
}

interface OpenStream {
  readonly path: string;
  readonly listener: RunListener;
  close(): void;
}

/** Opens the file of every selected stream reporter before the run, so each event is written as it happens. */
function openStreams(options: RunOptions, table: readonly AnyReporter[]): OpenStream[] {
  const secrets = secretsOf(options);
  const streams: OpenStream[] = [];
  for (const name of options.reporters) {
    const reporter = table.find((r) => r.name === name);
    if (!reporter || !isStreamReporter(reporter)) continue;
    const path = join(options.outDir, reporter.fileName);
    // The folder was made by prepareOutDir.
    const fd = reportFile(path, () => openSync(path, 'w'));
    streams.push({
      path,
      listener: reporter.subscribe((text) =>
        reportFile(path, () => writeSync(fd, redactText(text, secrets))),
      ),
      close: () => closeSync(fd),
    });
  }
  return streams;
}

/** Runs a file operation of a report, turning a failure into MC_ERR_REPORT naming the file. */
function reportFile<T>(path: string, operation: () => T): T {
  try {
    return operation();
  } catch (error) {
    throw new MemconformError(
      'MC_ERR_REPORT',
      `cannot write ${path} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}); check --out`,
      { cause: error },
    );
  }
}

function writeReports(
  report: Report,
  options: RunOptions,
  io: CommandIO,
  table: readonly AnyReporter[],
  streamed: readonly string[],
): void {
  const secrets = secretsOf(options);
  // Made before the run too; again here in case it was removed meanwhile.
  prepareOutDir(options, table);
  const written: string[] = [...streamed];
  for (const name of options.reporters) {
    const reporter = table.find((r) => r.name === name);
    if (!reporter || isStreamReporter(reporter)) continue;
    if (reporter.fileName === undefined) {
      // A run stopped by a target error says so in one line on stderr; a console report would bury it.
      if (!report.error) io.stdout(redactText(reporter.render(report, { color: options.color }), secrets));
      continue;
    }
    // The last pass before anything leaves: whatever form a target gave the token, it is not written.
    const text = redactText(reporter.render(report, { color: false }), secrets);
    const path = join(options.outDir, reporter.fileName);
    reportFile(path, () => {
      writeFileSync(path, text);
    });
    written.push(path);
  }
  // A run stopped by a target error ends in its one line; the files are where --out says.
  if (report.error) return;
  for (const path of written) {
    const shown = relative(io.cwd, path);
    io.stderr(`memconform: wrote ${shown.startsWith('..') ? path : shown}\n`);
  }
}
