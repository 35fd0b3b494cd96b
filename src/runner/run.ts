import { randomBytes } from 'node:crypto';
import { refusesCredentials } from '../checks/protocol-support.js';
import type { Check, CheckOutcome, Severity, StepResult, TargetInfo } from '../checks/types.js';
import { DataFileError, MemconformError } from '../errors.js';
import { createHttpClient, type HttpClient, type OutgoingRequest, recordRequest } from '../http/client.js';
import { type CurlCredential, displayHeader, toCurl } from '../http/curl.js';
import { type Exchange, REDACTED_CREDENTIAL } from '../http/exchange.js';
import { withRateLimit, withRateLimitRetry } from '../http/pacing.js';
import { withoutUserinfo } from '../http/redact.js';
import type { ApiSpec, SpecOperation } from '../spec/api-spec.js';
import type { EarlierAnswers } from '../suite/expressions.js';
import {
  builtInVariables,
  MissingInputError,
  resolvePlaceholders,
  UnknownPlaceholderError,
} from '../suite/placeholders.js';
import type { SuiteCase, SuiteFile, SuiteStep } from '../suite/types.js';
import { ReportCollector } from './collect.js';
import type { CaseRef, RunEvent, RunListener } from './events.js';
import { evidenceOf } from './evidence.js';
import { assertWritableFilterValues } from './filter-literals.js';
import { collapseFindings, countBySeverity } from './findings.js';
import { mapPool } from './pool.js';
import type { CaseSummary, Finding, Report, StepSummary, TargetSummary } from './report.js';

/** One server under test with everything needed to exercise it. */
export interface RunTarget {
  readonly info: TargetInfo;
  /** True when memconform started it (the built-in reference implementation). */
  readonly builtIn: boolean;
  readonly spec: ApiSpec;
  readonly suites: readonly SuiteFile[];
  /** Sent in the credential header of `auth: valid` steps; never recorded. */
  readonly token?: string;
  /** Added to every request (`--header`; lower-case names; a suite step's own headers win). */
  readonly headers?: Readonly<Record<string, string>>;
  /** Values never to be recorded besides the token (`--header` values that look like credentials). */
  readonly secrets?: readonly string[];
  /** Suite variables of this target, over the run's `variables` (a config file's per-target user ids; `run --seed`'s seeded ids). */
  readonly variables?: Readonly<Record<string, string>>;
}

/** Everything `runConformance` needs; the command layer builds it from RunOptions. */
export interface RunConfig {
  readonly targets: readonly RunTarget[];
  /** Checks to run, in table order. */
  readonly checks: readonly Check[];
  /** Checks left out by `--checks` / `--exclude-checks` (listed as excluded in the report). */
  readonly excludedChecks: readonly Check[];
  readonly failOn: Severity;
  readonly timeoutMs: number;
  readonly concurrency: number;
  readonly maxBodyBytes: number;
  /** `--var` overrides of suite variables. */
  readonly variables: Readonly<Record<string, string>>;
  readonly toolVersion: string;
  /** Environment variable named in curl lines instead of the token. */
  readonly tokenEnv: string;
  /** Injected by tests; by default a fresh undici client closed at the end of the run. */
  readonly http?: HttpClient;
  /** Subscribers to the run's events (reporters, progress), called in order after the report's own. */
  readonly listeners?: readonly RunListener[];
  /**
   * Aborted on SIGINT/SIGTERM: no new request is sent, in-flight ones are aborted, cases cut short are
   * dropped, and the report of the cases finished so far is marked `interrupted`.
   */
  readonly signal?: AbortSignal;
  /** Stop starting cases once this many error findings were reported (`--max-failures`). */
  readonly maxFailures?: number;
  /** At most this many requests started per second over the whole run (`--rate-limit`). */
  readonly rateLimit?: number;
}

interface PreparedStep {
  readonly step: SuiteStep;
  /** Why the step was not sent: a step expression's input was missing from an earlier answer. */
  readonly skipped?: string;
  readonly operation: SpecOperation;
  readonly request: OutgoingRequest;
  readonly curlCredential?: CurlCredential;
}

interface Job {
  /** Place in the plan: events and the report order cases by it. */
  readonly index: number;
  readonly target: RunTarget;
  readonly suite: SuiteFile;
  readonly suiteCase: SuiteCase;
  /** Suite variables, `--var` overrides and built-ins, checked against every step before anything is sent. */
  readonly variables: Readonly<Record<string, string>>;
}

interface JobResult {
  readonly job: Job;
  /** The steps as built when their turn came, one per result. */
  readonly steps: readonly PreparedStep[];
  readonly results: readonly StepResult[];
  readonly outcomes: readonly { check: Check; outcome: CheckOutcome }[];
  readonly durationMs: number;
}

/** Thrown when a check throws: a bug in memconform, reported as a crash naming the check. */
export class CheckCrashError extends Error {
  override readonly name = 'CheckCrashError';
}

/**
 * Runs every case of every target (cases in parallel up to `concurrency`, the steps of a case in order),
 * judges each finished case with every check that covers one of its operations, and emits the run as events
 * (see events.ts) to `config.listeners`; the report is built from the same events by `ReportCollector`.
 * A run that cannot go on still ends in a report, with `error` saying why: MC_ERR_TARGET_UNREACHABLE when no
 * request to some target got through at all, MC_ERR_AUTH_REJECTED when it refused every request sent with the
 * token. The caller turns `error` into the one-line error after writing the reports.
 */
export async function runConformance(config: RunConfig): Promise<Report> {
  const startedAt = new Date();
  const started = performance.now();
  const elapsed = (): number => round(performance.now() - started);
  const builtIns = builtInVariables();
  const jobs: Job[] = config.targets
    .flatMap((target) =>
      target.suites.flatMap((suite) => {
        const variables = { ...builtIns, ...suite.variables, ...config.variables, ...target.variables };
        return suite.cases.map((suiteCase) => {
          // Build every step once without answers: an unknown variable stops the run before anything is sent.
          for (const step of suiteCase.steps) {
            assertWritableFilterValues(target.info.api, suite, suiteCase, step, variables, config.variables);
            prepareStep(target, suite, suiteCase, step, variables);
          }
          return { target, suite, suiteCase, variables };
        });
      }),
    )
    .map((job, index) => ({ ...job, index }));

  const collector = new ReportCollector();
  const emitter = new RunEmitter([collector.listener, ...(config.listeners ?? [])], config, jobs, elapsed);
  emitter.emit({
    type: 'run-start',
    startedAt: startedAt.toISOString(),
    tool: { name: 'memconform', version: config.toolVersion },
    failOn: config.failOn,
    targets: config.targets.map(targetSummary),
    checks: [
      ...config.checks.map((check) => checkInfo(check, false)),
      ...config.excludedChecks.map((check) => checkInfo(check, true)),
    ],
    cases: jobs.length,
  });

  const base =
    config.http ??
    createHttpClient({
      timeoutMs: config.timeoutMs,
      maxBodyBytes: config.maxBodyBytes,
      userAgent: `memconform/${config.toolVersion}`,
    });
  // Retries of a 429 go through the pacing too, so a retry never bursts past --rate-limit.
  const http = withRateLimitRetry(
    config.rateLimit === undefined ? base : withRateLimit(base, config.rateLimit),
    config.timeoutMs,
  );
  let error: MemconformError | undefined;
  try {
    error = await runJobs(jobs, config, http, emitter);
  } finally {
    if (!config.http) await base.close();
  }
  emitter.endRemainingTargets();
  const collected = collector.report(elapsed(), {
    interrupted: config.signal?.aborted === true,
    ...(error ? { error: { code: error.code, message: error.message } } : {}),
  });
  const report: Report =
    emitter.stopped && config.maxFailures !== undefined
      ? {
          ...collected,
          maxFailuresReached: {
            limit: config.maxFailures,
            casesNotRun: jobs.length - collected.cases.length,
          },
        }
      : collected;
  emitter.emit({ type: 'run-end', durationMs: report.durationMs, summary: report.summary });
  return report;
}

function checkInfo(check: Check, excluded: boolean) {
  const { id, title, description, category, severity } = check;
  return { id, title, description, category, severity, excluded };
}

/**
 * Turns finished jobs into events, in the order a subscriber needs them: target-start before a target's first
 * case, a case's findings and check outcomes before its case-end, target-end after a target's last case.
 */
class RunEmitter {
  private readonly planned = new Map<RunTarget, number>();
  private readonly done = new Map<RunTarget, number>();
  private readonly tallies = new Map<RunTarget, Record<Severity, number>>();
  private readonly startedAt = new Map<RunTarget, number>();
  private readonly ended = new Set<RunTarget>();
  /** When each exchange was sent, for subscribers that timestamp requests (HAR). */
  readonly sentAt = new WeakMap<object, Date>();
  private errors = 0;

  constructor(
    private readonly listeners: readonly RunListener[],
    private readonly config: RunConfig,
    jobs: readonly Job[],
    private readonly clock: () => number,
  ) {
    for (const job of jobs) this.planned.set(job.target, (this.planned.get(job.target) ?? 0) + 1);
  }

  emit(event: RunEvent): void {
    for (const listener of this.listeners) listener(event);
  }

  caseStarted(job: Job): void {
    if (!this.startedAt.has(job.target)) {
      this.startedAt.set(job.target, this.clock());
      this.tallies.set(job.target, { error: 0, warning: 0, info: 0 });
      this.emit({
        type: 'target-start',
        target: targetSummary(job.target),
        cases: this.planned.get(job.target) ?? 0,
      });
    }
    this.emit({ type: 'case-start', ...caseRef(job) });
  }

  caseEnded(result: JobResult): void {
    const { job } = result;
    const ref = caseRef(job);
    for (const [i, step] of result.results.entries()) {
      const startedAt = this.sentAt.get(step.exchange);
      if (startedAt === undefined) continue; // not sent (a skipped step)
      this.emit({
        type: 'exchange',
        caseIndex: job.index,
        api: ref.api,
        targetUrl: ref.targetUrl,
        caseId: ref.caseId,
        step: result.steps[i]?.step.name ?? step.step.name,
        startedAt: startedAt.toISOString(),
        exchange: step.exchange,
      });
    }
    const findings = orderByChecks(collapseFindings(toFindings(result)), this.config.checks);
    for (const finding of findings) this.emit({ type: 'finding', caseIndex: job.index, finding });
    const summary = caseSummary(result);
    for (const outcome of summary.outcomes) this.emit({ type: 'check-outcome', ...ref, ...outcome });
    const counts = countBySeverity(findings);
    this.emit({ type: 'case-end', index: job.index, case: summary, findings: counts });
    this.errors += counts.error;
    const tally = this.tallies.get(job.target) as Record<Severity, number>;
    for (const severity of ['error', 'warning', 'info'] as const) tally[severity] += counts[severity];
    const done = (this.done.get(job.target) ?? 0) + 1;
    this.done.set(job.target, done);
    if (done === this.planned.get(job.target)) this.targetEnded(job.target);
  }

  /** True once `--max-failures` error findings were reported: no further case starts. */
  get stopped(): boolean {
    const limit = this.config.maxFailures;
    return limit !== undefined && this.errors >= limit;
  }

  /**
   * Targets that did not end (no case to run, or cases left unstarted by --max-failures) get their start and
   * end here, so every subscriber sees every target open and close.
   */
  endRemainingTargets(): void {
    for (const target of this.config.targets) {
      if (this.ended.has(target)) continue;
      if (!this.startedAt.has(target)) {
        this.startedAt.set(target, this.clock());
        this.tallies.set(target, { error: 0, warning: 0, info: 0 });
        this.emit({
          type: 'target-start',
          target: targetSummary(target),
          cases: this.planned.get(target) ?? 0,
        });
      }
      this.targetEnded(target);
    }
  }

  private targetEnded(target: RunTarget): void {
    this.ended.add(target);
    this.emit({
      type: 'target-end',
      target: targetSummary(target),
      cases: this.done.get(target) ?? 0,
      findings: { ...(this.tallies.get(target) as Record<Severity, number>) },
      durationMs: round(this.clock() - (this.startedAt.get(target) ?? 0)),
    });
  }
}

function caseRef(job: Job): CaseRef {
  return {
    api: job.target.info.api,
    targetUrl: withoutUserinfo(job.target.info.url),
    operationId: job.suiteCase.steps[0]?.operation ?? job.suite.operation,
    caseId: job.suiteCase.id,
    index: job.index,
  };
}

function orderByChecks(findings: readonly Finding[], checks: readonly Check[]): Finding[] {
  return checks.flatMap((check) => findings.filter((f) => f.checkId === check.id));
}

/**
 * Builds the request of a step: variables resolved and, given the earlier answers of its case, step
 * expressions too. A step whose expressions the answers cannot satisfy is built with them left as written
 * and marked `skipped`: it is not sent, and the checks see a step without an answer (vacuous, never wrong).
 */
function prepareStep(
  target: RunTarget,
  suite: SuiteFile,
  suiteCase: SuiteCase,
  raw: SuiteStep,
  variables: Readonly<Record<string, string>>,
  answers?: EarlierAnswers,
): PreparedStep {
  let step: SuiteStep;
  let skipped: string | undefined;
  const resolve = (known?: EarlierAnswers): SuiteStep => ({
    ...raw,
    headers: resolvePlaceholders(raw.headers, variables, known),
    ...(raw.body === undefined ? {} : { body: resolvePlaceholders(raw.body, variables, known) }),
  });
  try {
    try {
      step = resolve(answers);
    } catch (error) {
      if (!(error instanceof MissingInputError)) throw error;
      skipped = error.message;
      step = resolve();
    }
  } catch (error) {
    if (error instanceof UnknownPlaceholderError) {
      throw new DataFileError(
        'MC_ERR_SUITE',
        suite.file,
        `case "${suiteCase.id}", step "${raw.name}": ${error.message}; define it under "variables" or pass --var ${error.placeholder}=VALUE`,
      );
    }
    throw error;
  }
  const operation = target.spec.operations.get(step.operation);
  if (!operation) {
    throw new DataFileError(
      'MC_ERR_SUITE',
      suite.file,
      `case "${suiteCase.id}": unknown operation "${step.operation}"`,
    );
  }
  const headers: Record<string, string> = { ...target.headers };
  const body = step.rawBody ?? (step.body === undefined ? undefined : JSON.stringify(step.body));
  if (body !== undefined) headers['content-type'] = step.contentType ?? 'application/json';
  else if (step.contentType !== undefined) headers['content-type'] = step.contentType;
  const scheme = operation.credential;
  let credentialHeader: string | undefined;
  let curlCredential: CurlCredential | undefined;
  if (scheme && step.auth === 'valid' && target.token !== undefined) {
    headers[scheme.header] = `${scheme.prefix}${target.token}`;
    credentialHeader = scheme.header;
    curlCredential = { header: scheme.header, valueExpression: `${scheme.prefix}$MEMCONFORM_TOKEN` };
  } else if (scheme && step.auth === 'invalid') {
    // Well-formed (same scheme and shape as a real key) but unknown to any server.
    headers[scheme.header] = `${scheme.prefix}mc-invalid-${randomBytes(16).toString('hex')}`;
  }
  for (const [name, value] of Object.entries(step.headers)) {
    headers[name.toLowerCase()] = value;
    if (name.toLowerCase() === credentialHeader) credentialHeader = undefined;
  }
  const request: OutgoingRequest = {
    method: operation.method,
    url: target.info.url + operation.path,
    headers,
    ...(body === undefined ? {} : { body }),
    ...(step.rawBody === undefined && step.body !== undefined ? { json: step.body } : {}),
    ...(credentialHeader === undefined ? {} : { credentialHeader }),
    secrets: [...(target.token === undefined ? [] : [target.token]), ...(target.secrets ?? [])],
  };
  return {
    step,
    operation,
    request,
    ...(curlCredential ? { curlCredential } : {}),
    ...(skipped === undefined ? {} : { skipped }),
  };
}

/** Sends the steps of one case in order and judges it; undefined when the run was interrupted meanwhile. */
async function runJob(
  job: Job,
  http: HttpClient,
  checks: readonly Check[],
  stop?: AbortSignal,
): Promise<JobResult | undefined> {
  const started = performance.now();
  const results: StepResult[] = [];
  const steps: PreparedStep[] = [];
  const answers = new Map<string, unknown>();
  for (const raw of job.suiteCase.steps) {
    if (stop?.aborted) return undefined;
    const prepared = prepareStep(job.target, job.suite, job.suiteCase, raw, job.variables, answers);
    steps.push(prepared);
    if (prepared.skipped !== undefined) {
      results.push({ step: prepared.step, exchange: notSent(prepared.request), skipped: prepared.skipped });
      continue;
    }
    const exchange = await http.send(prepared.request, stop);
    results.push({ step: prepared.step, exchange });
    if (exchange.response?.json !== undefined) answers.set(prepared.step.name, exchange.response.json);
  }
  // An exchange aborted by the interruption says nothing about the target: the case is not judged.
  if (stop?.aborted) return undefined;
  const context = {
    target: job.target.info,
    spec: job.target.spec.view,
    suiteCase: job.suiteCase,
    steps: results,
  };
  const refs = new Set(steps.map((s) => `${job.target.info.api}.${s.step.operation}`));
  const outcomes: { check: Check; outcome: CheckOutcome }[] = [];
  for (const check of checks) {
    if (!check.operations.some((op) => refs.has(op))) continue;
    let outcome: CheckOutcome;
    try {
      outcome = check.run(context);
    } catch (error) {
      throw new CheckCrashError(
        `check "${check.id}" threw on case "${job.suiteCase.id}" (${job.suite.file}): ${(error as Error)?.message ?? String(error)}`,
        { cause: error },
      );
    }
    outcomes.push({ check, outcome });
  }
  return { job, steps, results, outcomes, durationMs: round(performance.now() - started) };
}

/** The record of a step that was not sent: its request as it would have gone out, credential redacted. */
function notSent(request: OutgoingRequest): Exchange {
  return { request: recordRequest(request).recorded, durationMs: 0 };
}

function toFindings(result: JobResult): Finding[] {
  const { job } = result;
  const findings: Finding[] = [];
  for (const { check, outcome } of result.outcomes) {
    if (outcome.status !== 'checked') continue;
    for (const draft of outcome.findings) {
      const index = Math.max(
        0,
        result.steps.findIndex((s) => s.step.name === draft.step),
      );
      const prepared = result.steps[index] as PreparedStep;
      const exchange = result.results[index]?.exchange as Exchange;
      findings.push({
        checkId: check.id,
        severity: draft.severity ?? check.severity,
        api: job.target.info.api,
        operationId: prepared.step.operation,
        caseId: job.suiteCase.id,
        step: prepared.step.name,
        message: draft.message,
        ...(draft.pointer === undefined ? {} : { pointer: draft.pointer }),
        ...(draft.expected === undefined ? {} : { expected: draft.expected }),
        ...(draft.actual === undefined ? {} : { actual: draft.actual }),
        count: draft.count ?? 1,
        curl: toCurl(exchange.request, prepared.curlCredential),
        evidence: evidenceOf(exchange, draft.pointer),
        // The same string as the target's TargetSummary.url: reporters match findings to targets on it.
        targetUrl: withoutUserinfo(job.target.info.url),
      });
    }
  }
  return findings;
}

function caseSummary(result: JobResult): CaseSummary {
  const { job } = result;
  const steps: StepSummary[] = result.results.map((r, i) => {
    const prepared = result.steps[i] as PreparedStep;
    return {
      name: r.step.name,
      operationId: r.step.operation,
      method: prepared.operation.method,
      // Userinfo in --target is a credential: the report keeps it out of step URLs as it does of target URLs.
      url: r.exchange.request.url,
      ...(r.exchange.response ? { status: r.exchange.response.status } : {}),
      ...(r.exchange.failure ? { failure: r.exchange.failure } : {}),
      ...(r.skipped === undefined ? {} : { skipped: r.skipped }),
      ...(r.exchange.retries === undefined ? {} : { retries: r.exchange.retries }),
      durationMs: r.exchange.durationMs,
    };
  });
  return {
    api: job.target.info.api,
    operationId: job.suiteCase.steps[0]?.operation ?? job.suite.operation,
    id: job.suiteCase.id,
    description: job.suiteCase.description,
    suiteFile: job.suite.file,
    steps,
    outcomes: result.outcomes
      .filter(({ outcome }) => outcome.status !== 'not-applicable')
      .map(({ check, outcome }): CaseSummary['outcomes'][number] =>
        outcome.status === 'vacuous'
          ? { checkId: check.id, status: 'vacuous', reason: outcome.reason }
          : {
              checkId: check.id,
              status: outcome.status === 'checked' && outcome.findings.length > 0 ? 'failed' : 'passed',
            },
      ),
    durationMs: result.durationMs,
    targetUrl: withoutUserinfo(job.target.info.url),
  };
}

function targetSummary(target: RunTarget): TargetSummary {
  return {
    api: target.info.api,
    url: withoutUserinfo(target.info.url),
    flavour: target.info.flavour,
    authRequired: target.info.authRequired,
    builtIn: target.builtIn,
  };
}

/**
 * Runs each target's first case on its own before the others: a target that refuses, cannot be resolved or
 * hangs stops the run after one case with one clear error, instead of every case waiting out its timeout.
 */
async function runJobs(
  jobs: readonly Job[],
  config: RunConfig,
  http: HttpClient,
  emitter: RunEmitter,
): Promise<MemconformError | undefined> {
  const stop = config.signal;
  const stamped: HttpClient = {
    send: async (request, signal) => {
      const sentAt = new Date();
      const exchange = await http.send(request, signal);
      emitter.sentAt.set(exchange, sentAt);
      return exchange;
    },
    close: () => http.close(),
  };
  const run = async (job: Job): Promise<JobResult | undefined> => {
    if (emitter.stopped) return undefined;
    emitter.caseStarted(job);
    const result = await runJob(job, stamped, config.checks, stop);
    if (result) emitter.caseEnded(result);
    return result;
  };
  const finished = (results: readonly (JobResult | undefined)[]): JobResult[] =>
    results.filter((r): r is JobResult => r !== undefined);
  const probes = config.targets.flatMap((target) => jobs.find((job) => job.target === target) ?? []);
  const probed = finished(await mapPool(probes, config.concurrency, run, stop));
  const early = stopError(config, probed, NO_ANSWER);
  if (early) return early;
  const rest = finished(
    await mapPool(
      jobs.filter((job) => !probes.includes(job)),
      config.concurrency,
      run,
      stop,
    ),
  );
  return stopError(config, [...probed, ...rest], UNREACHABLE);
}

/** The first target error that makes the results meaningless: unreachable (by `kinds`), then token refused. */
function stopError(
  config: RunConfig,
  results: readonly JobResult[],
  kinds: ReadonlySet<string>,
): MemconformError | undefined {
  for (const target of config.targets) {
    const own = results.filter((r) => r.job.target === target);
    const error =
      unreachable(target, own, kinds, config.timeoutMs) ?? tokenRefused(target, own, config.tokenEnv);
    if (error) return error;
  }
  return undefined;
}

/** Failures that mean nothing got through to the target. */
const UNREACHABLE: ReadonlySet<string> = new Set(['refused', 'dns', 'tls']);
/** The same, plus silence: what stops a run when a target's first case got no answer at all. */
const NO_ANSWER: ReadonlySet<string> = new Set([...UNREACHABLE, 'timeout']);

function unreachable(
  target: RunTarget,
  results: readonly JobResult[],
  kinds: ReadonlySet<string>,
  timeoutMs: number,
): MemconformError | undefined {
  const exchanges = results.flatMap((r) =>
    r.results.filter((s) => s.skipped === undefined).map((s) => s.exchange),
  );
  if (exchanges.length === 0) return undefined;
  if (!exchanges.every((e) => e.failure && kinds.has(e.failure.kind))) return undefined;
  const failure = exchanges[0]?.failure;
  const hint =
    failure?.kind === 'dns'
      ? 'Check the host name in --target.'
      : failure?.kind === 'tls'
        ? 'Check the certificate of the server (or use the URL the vendor documents).'
        : failure?.kind === 'timeout'
          ? `It accepted the connection but sent no answer within ${timeoutMs} ms: is it hanging? Raise --timeout if it is only slow.`
          : 'Is the server running? Check --target.';
  return new MemconformError(
    'MC_ERR_TARGET_UNREACHABLE',
    `Could not reach ${withoutUserinfo(target.info.url)}: ${failure?.message ?? 'no answer'}. ${hint}`,
  );
}

/**
 * MC_ERR_AUTH_REJECTED when the target refused every request sent with the token (401/403 or a MemOS auth
 * code): every later verdict would be about the refusal, not the API. Names the header and scheme sent.
 */
function tokenRefused(
  target: RunTarget,
  results: readonly JobResult[],
  tokenEnv: string,
): MemconformError | undefined {
  if (!target.info.authRequired || target.token === undefined) return undefined;
  const context = { target: target.info };
  const withToken = results.flatMap((r) =>
    r.results.flatMap((s, i) => {
      const sent = r.steps[i]?.request;
      return s.skipped === undefined && s.step.auth === 'valid' && sent?.credentialHeader !== undefined
        ? [{ s, sent }]
        : [];
    }),
  );
  if (withToken.length === 0) return undefined;
  if (!withToken.every(({ s }) => s.exchange.response && refusesCredentials(context, s.exchange.response))) {
    return undefined;
  }
  const first = withToken[0] as (typeof withToken)[number];
  const header = first.sent.credentialHeader as string;
  const scheme = target.spec.operations.get(first.s.step.operation)?.credential?.prefix.trim() ?? '';
  const statuses = [...new Set(withToken.map(({ s }) => s.exchange.response?.status))].join('/');
  const sent = `${displayHeader(header)}: ${scheme === '' ? '' : `${scheme} `}${REDACTED_CREDENTIAL}`;
  return new MemconformError(
    'MC_ERR_AUTH_REJECTED',
    `${withoutUserinfo(target.info.url)} refused the token on every request sent with it (HTTP ${statuses}; sent "${sent}"). Check that ${tokenEnv} (or --token) holds a valid, unexpired key for this ${target.info.api} deployment and that --api and --flavour match it.`,
  );
}

function round(ms: number): number {
  return Math.round(ms * 10) / 10;
}
