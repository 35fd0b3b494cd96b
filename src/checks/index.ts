import { contentTypeJson } from './content-type-json.js';
import { credentialsRequired } from './credentials-required.js';
import { documentedDefaultsApplied } from './documented-defaults-applied.js';
import { expandContextHonoured } from './expand-context-honoured.js';
import { filterNarrowsResults } from './filter-narrows-results.js';
import { invalidInputRejected } from './invalid-input-rejected.js';
import { limitFilledPerList } from './limit-filled-per-list.js';
import { longTermChronological } from './long-term-chronological.js';
import { noCrossUserLeak } from './no-cross-user-leak.js';
import { noDuplicateEpisodes } from './no-duplicate-episodes.js';
import { nullsAndUnknownFieldsTolerated } from './nulls-and-unknown-fields-tolerated.js';
import { pagesDoNotOverlap } from './pages-do-not-overlap.js';
import { paginationConsistent } from './pagination-consistent.js';
import { rankedByScoreDescending } from './ranked-by-score-descending.js';
import { relevanceThresholdRespected } from './relevance-threshold-respected.js';
import { requestCompletes } from './request-completes.js';
import { requiredHeadersPresent } from './required-headers-present.js';
import { responseSchemaConformance } from './response-schema-conformance.js';
import { resultLimitRespected } from './result-limit-respected.js';
import { stableResults } from './stable-results.js';
import { statusCodeDocumented } from './status-code-documented.js';
import { thresholdNarrowsResults } from './threshold-narrows-results.js';
import { typeSwitchesHonoured } from './type-switches-honoured.js';
import type { Check } from './types.js';
import { unknownUserEmpty } from './unknown-user-empty.js';
import { validRequestAccepted } from './valid-request-accepted.js';

/**
 * The one ordered table of checks. Order is report order: protocol and schema checks first (they say
 * whether an answer can be read at all), then behaviour. `--checks` / `--exclude-checks` are validated
 * against the ids here; nothing registers itself by being imported.
 */
export const CHECKS: readonly Check[] = [
  // protocol and schema checks
  requestCompletes,
  statusCodeDocumented,
  contentTypeJson,
  responseSchemaConformance,
  requiredHeadersPresent,
  validRequestAccepted,
  invalidInputRejected,
  credentialsRequired,
  // behaviour checks
  resultLimitRespected,
  limitFilledPerList,
  rankedByScoreDescending,
  longTermChronological,
  expandContextHonoured,
  relevanceThresholdRespected,
  thresholdNarrowsResults,
  typeSwitchesHonoured,
  documentedDefaultsApplied,
  noDuplicateEpisodes,
  paginationConsistent,
  pagesDoNotOverlap,
  noCrossUserLeak,
  filterNarrowsResults,
  stableResults,
  nullsAndUnknownFieldsTolerated,
  unknownUserEmpty,
];
