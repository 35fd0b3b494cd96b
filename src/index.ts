/** memconform's programmatic API: run the conformance suites, load specs and suites, render reports. */
export { API_NAMES, type ApiName, isApiName } from './apis.js';
export { CHECKS } from './checks/index.js';
export type {
  CaseContext,
  Check,
  CheckOutcome,
  FindingDraft,
  SchemaViolation,
  Severity,
  SpecView,
  TargetInfo,
} from './checks/types.js';
export { main } from './cli.js';
export { COMMANDS } from './commands/index.js';
export { executeRun, type RunDependencies } from './commands/run.js';
export {
  DataFileError,
  ERROR_CODES,
  type ErrorCode,
  isMemconformError,
  MemconformError,
  UsageError,
} from './errors.js';
export type { Exchange, ExchangeRequest, ExchangeResponse, TransportFailure } from './http/exchange.js';
export { REDACTED_CREDENTIAL } from './http/exchange.js';
export { createHttpClient, type HttpClient, toCurl } from './http/index.js';
export { type RunFlags, type RunOptions, resolveOptions } from './options.js';
export { packageRoot, packageVersion } from './package.js';
export { DEFAULT_REFERENCE_TOKEN } from './reference/server.js';
export { REPORTERS } from './reporters/index.js';
export type { RenderOptions, Reporter } from './reporters/types.js';
export { ReportCollector } from './runner/collect.js';
export type { RunEvent, RunListener } from './runner/events.js';
export { collapseFindings } from './runner/findings.js';
export type {
  CaseSummary,
  CheckSummary,
  Finding,
  Report,
  StepSummary,
  TargetSummary,
} from './runner/report.js';
export { REPORT_VERSION } from './runner/report.js';
export { type RunConfig, type RunTarget, runConformance } from './runner/run.js';
export {
  type BaseUrls,
  type ServerHandle,
  type StartMockOptions,
  type StartReferenceOptions,
  startMock,
  startReference,
} from './servers.js';
export { ApiSpec, loadApiSpec, specFromText } from './spec/index.js';
export { loadSuites, resolvePlaceholders } from './suite/index.js';
export type { SuiteCase, SuiteFile, SuiteStep } from './suite/types.js';
