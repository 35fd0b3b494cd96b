import type { MemMachineEpisode } from '../dataset.js';
import type { FaultSwitches } from '../faults.js';
import type { Reply } from '../http/types.js';
import {
  applyLimit,
  applyThreshold,
  compareIds,
  finalOrder,
  pickOrder,
  type Ranked,
  topByScore,
} from '../ranking.js';
import { type Deployment, memMachineError, memMachineValidationReply, projectNotFound } from './errors.js';
import {
  evaluateFilter,
  type FieldRef,
  type FieldValue,
  type FilterNode,
  FilterSyntaxError,
  parseFilter,
  quoteBareValues,
} from './filter-parser.js';
import { type MemMachineSearchInput, parseSearch } from './request.js';
import { byTime, type KeyedFeature, type MemMachineStore } from './store.js';

/** Non-metadata fields a filter may name: the episode's own fields and the semantic feature's. */
const SYSTEM_FIELDS: ReadonlySet<string> = new Set([
  'uid',
  'producer_id',
  'producer_role',
  'produced_for_id',
  'episode_type',
  'created_at',
  'category',
  'tag',
  'feature_name',
  'set_id',
]);

/** POST /v2/memories/search for one deployment (MM-PLAT, MM-SPEC in docs/sources.md). */
export function searchMemories(
  store: MemMachineStore,
  deployment: Deployment,
  body: unknown,
  faults: FaultSwitches,
): Reply {
  const parsed = parseSearch(body, deployment, faults);
  if (!parsed.ok) return memMachineValidationReply(deployment, parsed.problems);
  const input = parsed.input;

  const project = store.findProject(deployment, input.orgId, input.projectId);
  if (project === undefined) return projectNotFound(deployment, input);

  let filter: FilterNode | undefined;
  try {
    const source = faults.on('bare-literal-tokenizer') ? quoteBareValues(input.filter) : input.filter;
    filter = parseFilter(source, SYSTEM_FIELDS);
  } catch (error) {
    if (!(error instanceof FilterSyntaxError)) throw error;
    // MM-RT: a bad filter is a ValueError answered 422 "invalid argument".
    return memMachineError(
      deployment,
      422,
      'invalid argument',
      'ValueError',
      `invalid filter: ${error.message}`,
    );
  }
  const keep = (resolve: (field: FieldRef) => FieldValue) =>
    filter === undefined || faults.on('ignore-filter') || evaluateFilter(filter, resolve);

  const sets = store.setsFor(project, faults.on('leak-other-users'));
  const content: Record<string, unknown> = {};
  if (input.episodic) {
    const episodes = store.episodes(sets).filter((episode) => keep((field) => episodeField(episode, field)));
    content.episodic_memory = episodicMemory(store, sets, episodes, input, faults);
  }
  if (input.semantic) {
    const features = store
      .semanticFeatures(sets)
      .filter(({ feature }) =>
        keep((field) =>
          field.kind === 'metadata'
            ? feature.metadata.other?.[field.key]
            : (feature[field.name as 'category' | 'tag' | 'feature_name' | 'set_id'] ?? undefined),
        ),
      );
    content.semantic_memory = semanticMemory(store, features, input, faults);
  }
  if (faults.on('top-k-over-all-lists')) shareTopK(content, input.topK);
  return { status: 200, body: { status: 0, content } };
}

/** top-k-over-all-lists: one top_k for the whole answer, handed out short-term, long-term, semantic. */
function shareTopK(content: Record<string, unknown>, topK: number): void {
  let left = topK;
  const take = <T>(items: T[]): T[] => {
    const kept = items.slice(0, Math.max(0, left));
    left -= kept.length;
    return kept;
  };
  const episodic = content.episodic_memory as
    | { short_term_memory: { episodes: object[] }; long_term_memory: { episodes: object[] } }
    | undefined;
  if (episodic) {
    episodic.short_term_memory.episodes = take(episodic.short_term_memory.episodes);
    episodic.long_term_memory.episodes = take(episodic.long_term_memory.episodes);
  }
  if (Array.isArray(content.semantic_memory)) content.semantic_memory = take(content.semantic_memory);
}

function episodeField(episode: MemMachineEpisode, field: FieldRef): FieldValue {
  if (field.kind === 'metadata') return episode.metadata[field.key];
  switch (field.name) {
    case 'created_at':
      return episode.created_ms;
    case 'uid':
    case 'producer_id':
    case 'producer_role':
    case 'produced_for_id':
    case 'episode_type':
      return episode[field.name];
    default:
      return undefined;
  }
}

function episodicMemory(
  store: MemMachineStore,
  sets: readonly string[],
  episodes: readonly MemMachineEpisode[],
  input: MemMachineSearchInput,
  faults: FaultSwitches,
): object {
  // Short-term memory is the sessions' recent context, not a ranked search (MM-EPI): the newest top_k
  // short-term episodes that pass the filter, oldest first, without a score.
  const shortTermAll = episodes.filter((episode) => episode.short_term);
  const shortTerm = applyLimit([...shortTermAll].reverse(), input.topK, faults).reverse();
  const summaries = store.summaries(sets);
  const sessions = [...new Set(shortTerm.map((episode) => String(episode.metadata.session_id)))];
  // Always a one-element list; the text may be "" (MM-EPI).
  const summary = sessions
    .map((session) => summaries[session] ?? '')
    .filter((text) => text !== '')
    .join('\n');

  let longTerm = longTermEpisodes(store, episodes, input, faults);
  if (!faults.on('duplicate-episodes')) {
    // An episode never appears in both lists: short-term wins (MM-EPI dedup).
    const shown = new Set(shortTerm.map((episode) => episode.uid));
    longTerm = longTerm.filter((entry) => !shown.has(entry.id));
  }
  const ordered = faults.on('long-term-by-score')
    ? [...longTerm].sort((a, b) => b.score - a.score || compareIds(a.id, b.id))
    : [...longTerm].sort((a, b) => byTime(a.item, b.item)); // chronological, not by score (MM-DECL)

  return {
    long_term_memory: {
      episodes: finalOrder(ordered, faults).map(({ item, score }) => presentEpisode(item, score, faults)),
    },
    short_term_memory: {
      episodes: finalOrder(shortTerm, faults).map((episode) => presentEpisode(episode, undefined, faults)),
      episode_summary: [summary],
    },
  };
}

/**
 * Long-term search as the default declarative backend does it (MM-DECL `search_scored`,
 * `_unify_scored_anchored_episode_contexts`; MM-LTM): episodes matching the query are anchors, best first,
 * cut by score_threshold. expand_context is clamped to [0, top_k - 1]; each anchor's context is the anchor
 * with a third of expand_context of the earlier episodes passing the filter before it and the rest after it,
 * all carrying the anchor's score. Contexts are taken whole while they fit in top_k; the one that does not
 * fit gives its episodes nearest the anchor first, later ones before earlier ones.
 */
function longTermEpisodes(
  store: MemMachineStore,
  episodes: readonly MemMachineEpisode[],
  input: MemMachineSearchInput,
  faults: FaultSwitches,
): Ranked<MemMachineEpisode>[] {
  const relevance = store.episodeScorer(input.query);
  const scored = episodes
    .map((episode) => ({ item: episode, id: episode.uid, score: relevance(episode.uid) }))
    .filter((entry) => entry.score > 0);
  const anchors = pickOrder(applyThreshold(scored, input.scoreThreshold, faults), faults);
  const expand = faults.on('expand-context-ignored')
    ? 0
    : Math.max(0, Math.min(input.expandContext, input.topK - 1));
  const before = Math.floor(expand / 3);
  const after = expand - before;
  const limit = faults.on('ignore-limit') ? Number.POSITIVE_INFINITY : input.topK;
  // `episodes` is the filtered timeline, oldest first: neighbours must pass the filter too (MM-DECL).
  const position = new Map(episodes.map((episode, index) => [episode.uid, index]));

  const collected = new Map<string, Ranked<MemMachineEpisode>>();
  for (const anchor of anchors) {
    if (collected.size >= limit) break;
    const at = position.get(anchor.id) ?? 0;
    const context = episodes.slice(Math.max(0, at - before), at + after + 1);
    const nuclear = context.indexOf(anchor.item);
    const taken =
      collected.size + context.length <= limit
        ? context
        : [...context].sort(
            (a, b) => proximity(context.indexOf(a) - nuclear) - proximity(context.indexOf(b) - nuclear),
          );
    for (const episode of taken) {
      if (collected.size >= limit) break;
      if (!collected.has(episode.uid))
        collected.set(episode.uid, { item: episode, id: episode.uid, score: anchor.score });
    }
  }
  return [...collected.values()];
}

/** MM-DECL `_weighted_index_proximity`: how far an episode sits from its anchor, later ones counting half. */
function proximity(offset: number): number {
  return offset >= 0 ? (offset - 0.5) / 2 : -offset;
}

function semanticMemory(
  store: MemMachineStore,
  features: readonly KeyedFeature[],
  input: MemMachineSearchInput,
  faults: FaultSwitches,
): object[] {
  // Semantic features are ranked by relevance but answered without a score and never thresholded (MM-MAIN).
  const relevance = store.featureScorer(input.query);
  const scored = features
    .map((entry) => ({ item: entry.feature, id: entry.key, score: relevance(entry.key) }))
    .filter((entry) => entry.score > 0);
  const ranked = finalOrder(topByScore(scored, input.topK, faults), faults);
  return ranked.map(({ item }) => omitNulls({ ...item, metadata: omitNulls({ ...item.metadata }) }));
}

/**
 * An episode as answered: keys whose value is null are omitted (response_model_exclude_none, MM-RT);
 * long-term episodes carry score, short-term ones do not (MM-EPI). `wrong-field-type` sends the absent
 * score as an explicit null instead.
 */
function presentEpisode(
  episode: MemMachineEpisode,
  score: number | undefined,
  faults: FaultSwitches,
): object {
  const answer = omitNulls({
    uid: episode.uid,
    content: episode.content,
    producer_id: episode.producer_id,
    producer_role: episode.producer_role,
    produced_for_id: episode.produced_for_id,
    episode_type: episode.episode_type,
    metadata: episode.metadata,
    created_at: episode.created_at,
    score,
  });
  return score === undefined && faults.on('wrong-field-type') ? { ...answer, score: null } : answer;
}

function omitNulls<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(
    Object.entries(value).filter(([, field]) => field !== null && field !== undefined),
  ) as Partial<T>;
}
