import type { ApiName } from '../apis.js';
import type { Exchange } from '../http/exchange.js';
import type { OperationRef, SuiteCase, SuiteStep } from '../suite/types.js';

/** How much a finding matters. `--fail-on` picks the lowest severity that fails the run. */
export type Severity = 'error' | 'warning' | 'info';

/** What a check looks at: the shape of answers, the HTTP protocol, or retrieval behaviour. */
export type CheckCategory = 'schema' | 'protocol' | 'behaviour';

/** The deployment a target is, as declared by the spec's server objects (`x-memconform-flavour`). */
export interface TargetInfo {
  readonly api: ApiName;
  /** Base URL the spec paths are appended to. */
  readonly url: string;
  readonly flavour: 'hosted' | 'self-hosted';
  /** False for flavours without auth (MemMachine self-hosted): credential checks do not apply. */
  readonly authRequired: boolean;
}

/** One schema violation, already reduced to what a person needs. */
export interface SchemaViolation {
  /** JSON pointer into the body, e.g. `/data/memory_detail_list/0/create_time`. */
  readonly pointer: string;
  /** The ajv keyword that failed (`type`, `required`, `enum`, ...). */
  readonly keyword: string;
  /** "Expected … / Received …" sentence. */
  readonly message: string;
  /** `warning` when the failing rule sits under an `x-memconform-warn` schema. */
  readonly severity: 'error' | 'warning';
  readonly expected?: unknown;
  readonly actual?: unknown;
  /** How many errors of this rule at this location pattern (array indices as `*`) it stands for; absent: 1. */
  readonly count?: number;
}

/** What checks may ask of an api's spec. Pure and in-memory: validators are compiled once and cached. */
export interface SpecView {
  readonly api: ApiName;
  /** Status keys documented for the operation, as written (`200`, `4XX`, `default`). */
  documentedStatuses(operationId: string): readonly string[];
  /** The response key that covers `status` (exact, then range, then `default`), or undefined. */
  responseKeyFor(operationId: string, status: number): string | undefined;
  /** Media types documented for the response that covers `status`. */
  responseMediaTypes(operationId: string, status: number): readonly string[];
  /**
   * Validates a response body against the JSON schema documented for `status`; undefined when no schema
   * is documented for it.
   */
  validateResponse(
    operationId: string,
    status: number,
    body: unknown,
  ): readonly SchemaViolation[] | undefined;
  /** Headers the spec documents for the response that covers `status`, with whether they are required. */
  responseHeaders(operationId: string, status: number): readonly { name: string; required: boolean }[];
  /** The request-body property schema (for `default`, `maximum`, ...), or undefined when not documented. */
  requestProperty(operationId: string, name: string): Readonly<Record<string, unknown>> | undefined;
}

/** One request of a case as sent (placeholders resolved) together with what came back. */
export interface StepResult {
  readonly step: SuiteStep;
  readonly exchange: Exchange;
  /**
   * Set when the step was not sent because a step expression's input was missing from an earlier answer
   * (the reason); its exchange then has neither response nor failure, so no check can judge it.
   */
  readonly skipped?: string;
}

/** Everything a check sees: one finished case. Checks do no I/O. */
export interface CaseContext {
  readonly target: TargetInfo;
  readonly spec: SpecView;
  readonly suiteCase: SuiteCase;
  readonly steps: readonly StepResult[];
}

/** A problem a check found, before the runner adds api, operation, case and the curl line. */
export interface FindingDraft {
  /** The step it concerns (its operation and request are reported). */
  readonly step: string;
  /** "Expected … / Received …". */
  readonly message: string;
  readonly pointer?: string;
  readonly expected?: unknown;
  readonly actual?: unknown;
  /** Overrides the check's default severity (e.g. a warn-level part of the contract). */
  readonly severity?: Severity;
  /** How many places showed the same problem (repeats collapse into one finding). */
  readonly count?: number;
}

/**
 * What one check concluded about one case. `vacuous` means the check applied but had nothing to bite on
 * (e.g. only empty result lists): it proved nothing and the report says so.
 */
export type CheckOutcome =
  | { readonly status: 'not-applicable' }
  | { readonly status: 'vacuous'; readonly reason: string }
  | { readonly status: 'checked'; readonly findings: readonly FindingDraft[] };

/** A conformance rule: metadata beside a pure function of a finished case. */
export interface Check {
  /** Kebab-case id that says what must hold, e.g. `result-limit-respected`. */
  readonly id: string;
  readonly title: string;
  /** One sentence, shown by `list-checks` and in README. */
  readonly description: string;
  readonly severity: Severity;
  readonly category: CheckCategory;
  /**
   * The vendor sources that document the rule's error-level parts, as source ids (`Z-OAS`,
   * `MM-FLT`, …; docs/sources.md). An error-level check needs at least one; a warning-level (inferred) check
   * has none. Parts of a rule no source documents report warnings whatever the check's severity.
   */
  readonly sources?: readonly string[];
  /** The operations the rule is defined for. */
  readonly operations: readonly OperationRef[];
  /** Never throws for a conformance problem; a throw is a bug in memconform. */
  run(context: CaseContext): CheckOutcome;
}
