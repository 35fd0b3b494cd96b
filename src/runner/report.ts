import type { ApiName } from '../apis.js';
import type { CheckCategory, Severity } from '../checks/types.js';
import type { RateLimitRetry, TransportFailure } from '../http/exchange.js';
import type { Evidence } from './evidence.js';

/**
 * The finished report: the only thing reporters read. Versioned; `schemas/report.schema.json` describes it
 * and changes to it bump `REPORT_VERSION`. Everything that came from the target is kept as data and must be
 * escaped by reporters that produce markup.
 */
export const REPORT_VERSION = 2;

/** One conformance problem, fully located. */
export interface Finding {
  readonly checkId: string;
  readonly severity: Severity;
  readonly api: ApiName;
  readonly operationId: string;
  readonly caseId: string;
  readonly step: string;
  /** "Expected … / Received …". */
  readonly message: string;
  readonly pointer?: string;
  readonly expected?: unknown;
  readonly actual?: unknown;
  /** Occurrences collapsed into this finding (1 when it happened once). */
  readonly count: number;
  /** A curl command that replays the request, credential redacted. */
  readonly curl: string;
  /** What came back (status, content type, body excerpt around `pointer`) and the request body, redacted. */
  readonly evidence?: Evidence;
  /**
   * Base URL of the target the finding came from, equal to that target's `TargetSummary.url`: with `api` it
   * identifies the target (memmachine runs two targets of one api, hosted and self-hosted).
   */
  readonly targetUrl: string;
}

/**
 * One root cause seen across cases: findings of the same check, target, operation and severity, at the same
 * pointer once array indices are `*`, whose messages say the same thing once quoted values and numbers are set
 * aside ("score is a string" in 15 cases is one group of 15, not 15 findings).
 */
export interface FindingGroup {
  readonly checkId: string;
  readonly severity: Severity;
  readonly api: ApiName;
  readonly operationId: string;
  readonly targetUrl: string;
  /** The pointer with array indices as `*` (absent when the findings have none). */
  readonly pointer?: string;
  /** The message of the first example. */
  readonly message: string;
  /** Occurrences over every finding of the group. */
  readonly count: number;
  /** Distinct cases the group was found in. */
  readonly cases: number;
  /** The first findings of the group, at most 5 (GROUP_EXAMPLES), each from a different case where possible. */
  readonly examples: readonly Finding[];
}

/** How one check fared over the whole run. */
export interface CheckSummary {
  readonly id: string;
  readonly title: string;
  readonly description: string;
  readonly category: CheckCategory;
  readonly severity: Severity;
  /** exercised: judged at least one case with data; vacuous: applied only where there was nothing to judge. */
  readonly status: 'exercised' | 'vacuous' | 'not-applicable' | 'excluded';
  readonly casesChecked: number;
  readonly casesVacuous: number;
  readonly findings: number;
  /** Distinct reasons given for vacuous outcomes (for hints). */
  readonly vacuousReasons: readonly string[];
}

/** One request of a case, as sent and answered (no bodies: those belong in the JSON report only on demand). */
export interface StepSummary {
  readonly name: string;
  readonly operationId: string;
  readonly method: string;
  readonly url: string;
  readonly status?: number;
  readonly failure?: TransportFailure;
  /** Why the step was not sent (a step expression's input was missing from an earlier answer). */
  readonly skipped?: string;
  readonly durationMs: number;
  /** 429 answers waited out and sent again before the recorded one (Retry-After or backoff). */
  readonly retries?: readonly RateLimitRetry[];
}

/** One case and what each check concluded about it. */
export interface CaseSummary {
  readonly api: ApiName;
  readonly operationId: string;
  readonly id: string;
  readonly description: string;
  readonly suiteFile: string;
  readonly steps: readonly StepSummary[];
  readonly outcomes: readonly {
    readonly checkId: string;
    readonly status: 'passed' | 'failed' | 'vacuous';
    /** Why the check had nothing to judge in this case (vacuous outcomes only). */
    readonly reason?: string;
  }[];
  readonly durationMs: number;
  /** Base URL of the target the case ran against, equal to its `TargetSummary.url` (see `Finding.targetUrl`). */
  readonly targetUrl: string;
}

/** One API target of the run. */
export interface TargetSummary {
  readonly api: ApiName;
  /** The base URL with any userinfo removed. */
  readonly url: string;
  readonly flavour: 'hosted' | 'self-hosted';
  readonly authRequired: boolean;
  /** True when memconform started the built-in reference implementation for this run. */
  readonly builtIn: boolean;
  /** Wall-clock time from the target's first case starting to its last case ending (cases run in parallel). */
  readonly durationMs?: number;
}

/** What `run --seed` wrote into one target, how long it took to become searchable, and what it deleted. */
export interface SeedTargetSummary {
  readonly api: ApiName;
  /** Equal to the target's `TargetSummary.url`. */
  readonly url: string;
  /** Suite variables pointed at the run-scoped namespace (variable → id). */
  readonly variables: Readonly<Record<string, string>>;
  /** Messages sent through the write endpoints. */
  readonly written: number;
  /** Memories the target made from them (by id, as far as the target tells). */
  readonly created: number;
  readonly deleted: number;
  /** Ids that could not be deleted, with why (empty unless a delete failed). */
  readonly notDeleted: readonly { readonly id: string; readonly reason: string }[];
  /** Ids left in the target on purpose (`--keep-data`); empty otherwise. */
  readonly keptIds: readonly string[];
  /** Retrieval quality over this API's golden queries (absent when it could not be measured). */
  readonly recall?: RecallSummary;
}

/** Recall@k and mean reciprocal rank over golden queries (fixtures/reference/golden.yaml). */
export interface RecallSummary {
  readonly k: number;
  readonly queries: number;
  /** Mean share of each query's relevant seeded memories among its first k results. */
  readonly recallAtK: number;
  /** Mean of 1 / the rank of each query's first relevant result (0 when none is in the first k). */
  readonly mrr: number;
  /** How results were matched to seeded memories: by the id the target gave on write, or by content. */
  readonly matchedBy: 'id' | 'content';
}

/** The `seed` section of a `run --seed` report. */
export interface SeedSummary {
  /** The run id in every seeded name: `mc-<runId>-<fixture name>`. */
  readonly runId: string;
  /** Milliseconds from the last write until every seeded user answered a search. */
  readonly indexingMs: number;
  /** True with `--keep-data`: nothing was deleted. */
  readonly kept: boolean;
  readonly written: number;
  readonly created: number;
  readonly deleted: number;
  readonly notDeleted: number;
  readonly targets: readonly SeedTargetSummary[];
  /** Over every golden query of every target (matchedBy: that of the first target). */
  readonly recall?: RecallSummary;
}

/** Why a run stopped before judging every case (the one-line error the CLI printed, code included). */
export interface RunError {
  /** A stable `MC_ERR_*` code, e.g. MC_ERR_TARGET_UNREACHABLE or MC_ERR_AUTH_REJECTED. */
  readonly code: string;
  readonly message: string;
}

/**
 * The whole run. A run that stopped early is still a report: `error` says why it stopped (the cases and
 * findings are those judged before), `interrupted` marks one cut short by SIGINT or SIGTERM.
 */
export interface Report {
  readonly reportVersion: typeof REPORT_VERSION;
  readonly tool: { readonly name: 'memconform'; readonly version: string };
  readonly startedAt: string;
  readonly durationMs: number;
  readonly failOn: Severity;
  /** Present (true) when SIGINT or SIGTERM stopped the run: cases and findings are those finished before. */
  readonly interrupted?: true;
  /** Present when the run stopped on a target error (unreachable, credentials refused). */
  readonly error?: RunError;
  readonly targets: readonly TargetSummary[];
  readonly summary: {
    readonly cases: number;
    readonly requests: number;
    readonly findings: { readonly error: number; readonly warning: number; readonly info: number };
    readonly checks: {
      readonly exercised: number;
      readonly vacuous: number;
      readonly notApplicable: number;
      readonly excluded: number;
    };
    /** True when the run finished (no `error`, not `interrupted`) with no finding at or above `failOn`. */
    readonly passed: boolean;
  };
  readonly checks: readonly CheckSummary[];
  readonly cases: readonly CaseSummary[];
  readonly findings: readonly Finding[];
  /** The findings grouped by root cause (see FindingGroup), in the order of `findings`. */
  readonly groups: readonly FindingGroup[];
  /** Present when `--max-failures` stopped the run early: cases not run are missing from `cases`. */
  readonly maxFailuresReached?: { readonly limit: number; readonly casesNotRun: number };
  /** Present when the run seeded its targets (`--seed`). */
  readonly seed?: SeedSummary;
}
