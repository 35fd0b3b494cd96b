import type { ApiName } from '../apis.js';
import type { CheckCategory, Severity } from '../checks/types.js';
import type { Exchange } from '../http/exchange.js';
import type { CaseSummary, Finding, Report, TargetSummary } from './report.js';

/**
 * The run as a stream of typed events: `runConformance` emits them in order, reporters subscribe to them,
 * and the final report is built by one subscriber among them (`ReportCollector`). `schemas/events.schema.json`
 * describes each event as the `ndjson` reporter writes it, one a line. Everything that came from the target is
 * data, as in the report.
 */
export type RunEvent =
  | RunStartEvent
  | TargetStartEvent
  | CaseStartEvent
  | FindingEvent
  | CheckOutcomeEvent
  | CaseEndEvent
  | TargetEndEvent
  | RunEndEvent
  | ExchangeEvent;

/** A check as the run knows it (also the excluded ones, so the report can list them). */
export interface CheckInfo {
  readonly id: string;
  readonly title: string;
  readonly description: string;
  readonly category: CheckCategory;
  readonly severity: Severity;
  readonly excluded: boolean;
}

/** Where a case sits: its target and its place in the run's plan (0-based, stable whatever the concurrency). */
export interface CaseRef {
  readonly api: ApiName;
  readonly targetUrl: string;
  readonly operationId: string;
  readonly caseId: string;
  readonly index: number;
}

/** Before the first request: what will run. */
export interface RunStartEvent {
  readonly type: 'run-start';
  readonly startedAt: string;
  readonly tool: Report['tool'];
  readonly failOn: Severity;
  readonly targets: readonly TargetSummary[];
  /** Checks in table order, excluded ones included (`excluded: true`). */
  readonly checks: readonly CheckInfo[];
  /** Cases planned over all targets. */
  readonly cases: number;
}

/** The first case of a target is about to start. */
export interface TargetStartEvent {
  readonly type: 'target-start';
  readonly target: TargetSummary;
  /** Cases planned for this target. */
  readonly cases: number;
}

/** A case is about to send its first request. */
export interface CaseStartEvent extends CaseRef {
  readonly type: 'case-start';
}

/** One finding of a finished case (repeats within the case already collapsed into `count`). */
export interface FindingEvent {
  readonly type: 'finding';
  readonly caseIndex: number;
  readonly finding: Finding;
}

/** What one check concluded about one finished case (not-applicable checks are not announced). */
export interface CheckOutcomeEvent extends CaseRef {
  readonly type: 'check-outcome';
  readonly checkId: string;
  readonly status: 'passed' | 'failed' | 'vacuous';
  readonly reason?: string;
}

/** A case has finished and been judged; its findings and outcomes were emitted just before. */
export interface CaseEndEvent {
  readonly type: 'case-end';
  readonly index: number;
  readonly case: CaseSummary;
  /** Findings of this case per severity. */
  readonly findings: Readonly<Record<Severity, number>>;
}

/** The last case of a target has finished. */
export interface TargetEndEvent {
  readonly type: 'target-end';
  readonly target: TargetSummary;
  readonly cases: number;
  readonly findings: Readonly<Record<Severity, number>>;
  readonly durationMs: number;
}

/** Every case has finished; the report is complete. */
export interface RunEndEvent {
  readonly type: 'run-end';
  readonly durationMs: number;
  readonly summary: Report['summary'];
}

/**
 * One request and its answer, recorded and redacted by the HTTP layer, emitted before the findings of its
 * case. In-process only: the `ndjson` reporter leaves it out (bodies can be megabytes); `har` writes them.
 */
export interface ExchangeEvent {
  readonly type: 'exchange';
  readonly caseIndex: number;
  readonly api: ApiName;
  readonly targetUrl: string;
  readonly caseId: string;
  readonly step: string;
  /** When the request was sent (ISO 8601). */
  readonly startedAt: string;
  readonly exchange: Exchange;
}

/** A subscriber to the run's events. A throw is a bug in memconform and ends the run as a crash. */
export type RunListener = (event: RunEvent) => void;
