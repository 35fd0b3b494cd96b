import type {
  MemMachineDataset,
  MemMachineEpisode,
  MemMachineFeature,
  MemMachineMemorySet,
  MemMachineProject,
} from '../dataset.js';
import { compareIds } from '../ranking.js';
import { RelevanceIndex } from '../scoring.js';
import type { Deployment } from './errors.js';

/** A semantic feature with the key it is scored under (features carry no required id). */
export interface KeyedFeature {
  readonly key: string;
  readonly feature: MemMachineFeature;
}

/**
 * How many of a session's newest episodes its short-term memory holds. Every episode also goes to long-term
 * memory (MM-EPI); older ones leave short-term memory as new ones arrive, as in the reference dataset.
 */
export const SHORT_TERM_PER_SESSION = 3;

/** One memory set as the store keeps it (growable lists). */
interface StoredSet {
  episodes: MemMachineEpisode[];
  readonly session_summaries: Readonly<Record<string, string>>;
  readonly features: KeyedFeature[];
}

/** The MemMachine projects and their memories, indexed for search; the write endpoints change them. */
export class MemMachineStore {
  private readonly episodeIndex = new RelevanceIndex();
  private readonly featureIndex = new RelevanceIndex();
  private readonly projects: MemMachineProject[];
  private readonly sets = new Map<string, StoredSet>();
  private featureCounter = 0;
  /** Episode uids stored but kept out of search (`writes-not-searchable`); deletes still find them. */
  private readonly hidden = new Set<string>();

  constructor(dataset: MemMachineDataset) {
    this.projects = [...dataset.projects];
    for (const [name, set] of Object.entries(dataset.memory_sets)) {
      const stored = this.setFor(name, set.session_summaries);
      for (const episode of set.episodes) this.storeEpisode(stored, episode);
      for (const feature of set.semantic_features) this.storeFeature(name, stored, feature);
    }
  }

  /**
   * The project a request addresses (MM-PLAT, MM-SPEC in docs/sources.md). Hosted: the key's org (one org for every
   * accepted key), project_id "" = its default project. Self-hosted: org_id/project_id, default "universal".
   */
  findProject(
    deployment: Deployment,
    orgId: string | undefined,
    projectId: string,
  ): MemMachineProject | undefined {
    return this.projects.find((project) => {
      if (project.deployment !== deployment) return false;
      if (deployment === 'hosted')
        return projectId === '' ? project.default : project.project_id === projectId;
      return project.org_id === orgId && project.project_id === projectId;
    });
  }

  /** Creates an empty project; undefined when it exists. Hosted projects belong to the key's org. */
  createProject(deployment: Deployment, orgId: string, projectId: string): MemMachineProject | undefined {
    if (this.findProject(deployment, orgId, projectId) !== undefined) return undefined;
    const org =
      deployment === 'hosted'
        ? (this.projects.find((p) => p.deployment === 'hosted')?.org_id ?? orgId)
        : orgId;
    const project: MemMachineProject = {
      deployment,
      org_id: org,
      project_id: projectId,
      default: false,
      memory_set: `${deployment}:${org}/${projectId}`,
    };
    this.projects.push(project);
    this.setFor(project.memory_set, {});
    return project;
  }

  /** Deletes a project and every memory in it. */
  deleteProject(project: MemMachineProject): void {
    this.projects.splice(this.projects.indexOf(project), 1);
    if (this.projects.some((p) => p.memory_set === project.memory_set)) return;
    const set = this.sets.get(project.memory_set);
    for (const episode of set?.episodes ?? []) this.episodeIndex.remove(episode.uid);
    for (const { key } of set?.features ?? []) this.featureIndex.remove(key);
    this.sets.delete(project.memory_set);
  }

  /** Adds an episode to a project: it enters its session's short-term memory and long-term memory. */
  addEpisode(project: MemMachineProject, episode: MemMachineEpisode, searchable = true): void {
    const set = this.setFor(project.memory_set, {});
    this.storeEpisode(set, { ...episode, short_term: true });
    if (!searchable) this.hidden.add(episode.uid);
    const session = sessionOf(episode);
    const shortTerm = set.episodes.filter((e) => e.short_term && sessionOf(e) === session).sort(byTime);
    const leaving = new Set(shortTerm.slice(0, -SHORT_TERM_PER_SESSION).map((e) => e.uid));
    if (leaving.size > 0)
      set.episodes = set.episodes.map((e) => (leaving.has(e.uid) ? { ...e, short_term: false } : e));
  }

  /** Adds a semantic feature to a project. */
  addFeature(project: MemMachineProject, feature: MemMachineFeature): void {
    this.storeFeature(project.memory_set, this.setFor(project.memory_set, {}), feature);
  }

  /** Deletes episodes by uid; returns the uids the project does not hold (nothing is deleted then). */
  deleteEpisodes(project: MemMachineProject, uids: readonly string[], apply: boolean): string[] {
    const set = this.sets.get(project.memory_set);
    const held = new Set(set?.episodes.map((e) => e.uid));
    const missing = uids.filter((uid) => !held.has(uid));
    if (missing.length > 0 || set === undefined || !apply) return missing;
    const doomed = new Set(uids);
    set.episodes = set.episodes.filter((e) => !doomed.has(e.uid));
    for (const uid of doomed) this.episodeIndex.remove(uid);
    return [];
  }

  /** Deletes features by `metadata.id`; returns the ids the project does not hold (nothing is deleted then). */
  deleteFeatures(project: MemMachineProject, ids: readonly string[], apply: boolean): string[] {
    const set = this.sets.get(project.memory_set);
    const held = new Set(set?.features.map((f) => f.feature.metadata.id));
    const missing = ids.filter((id) => !held.has(id));
    if (missing.length > 0 || set === undefined || !apply) return missing;
    const doomed = new Set(ids);
    for (let i = set.features.length - 1; i >= 0; i -= 1) {
      const entry = set.features[i] as KeyedFeature;
      if (!doomed.has(entry.feature.metadata.id ?? '')) continue;
      set.features.splice(i, 1);
      this.featureIndex.remove(entry.key);
    }
    return [];
  }

  /** The memory set names a search reads: the project's own, or every set of the deployment when leaking. */
  setsFor(project: MemMachineProject, leak: boolean): string[] {
    if (!leak) return [project.memory_set];
    const names = this.projects.filter((p) => p.deployment === project.deployment).map((p) => p.memory_set);
    return [...new Set([project.memory_set, ...names])];
  }

  /** Episodes of the given sets, oldest first (created_at, then uid, MM-DECL). */
  episodes(setNames: readonly string[]): MemMachineEpisode[] {
    return setNames
      .flatMap((name) => this.sets.get(name)?.episodes ?? [])
      .filter((episode) => !this.hidden.has(episode.uid))
      .sort(byTime);
  }

  /** Semantic features of the given sets. */
  semanticFeatures(setNames: readonly string[]): KeyedFeature[] {
    return setNames.flatMap((name) => this.sets.get(name)?.features ?? []);
  }

  /** Session summaries of the given sets. */
  summaries(setNames: readonly string[]): Readonly<Record<string, string>> {
    return Object.assign({}, ...setNames.map((name) => this.sets.get(name)?.session_summaries ?? {}));
  }

  /** Relevance of episodes (by uid) to a query. */
  episodeScorer(query: string): (uid: string) => number {
    return this.episodeIndex.scorer(query);
  }

  /** Relevance of semantic features (by KeyedFeature.key) to a query. */
  featureScorer(query: string): (key: string) => number {
    return this.featureIndex.scorer(query);
  }

  /** The projects and memories as a dataset again (for `serve --data`, which writes it back on exit). */
  snapshot(): MemMachineDataset {
    const memorySets: Record<string, MemMachineMemorySet> = {};
    for (const [name, set] of this.sets) {
      memorySets[name] = {
        episodes: [...set.episodes].sort(byTime),
        session_summaries: set.session_summaries,
        semantic_features: set.features.map((entry) => entry.feature),
      };
    }
    return { projects: [...this.projects], memory_sets: memorySets };
  }

  private setFor(name: string, summaries: Readonly<Record<string, string>>): StoredSet {
    let set = this.sets.get(name);
    if (set === undefined) {
      set = { episodes: [], session_summaries: summaries, features: [] };
      this.sets.set(name, set);
    }
    return set;
  }

  private storeEpisode(set: StoredSet, episode: MemMachineEpisode): void {
    set.episodes.push(episode);
    this.episodeIndex.add({ id: episode.uid, text: episode.content });
  }

  private storeFeature(setName: string, set: StoredSet, feature: MemMachineFeature): void {
    this.featureCounter += 1;
    const entry = { key: `${setName}#${this.featureCounter}`, feature };
    set.features.push(entry);
    this.featureIndex.add({
      id: entry.key,
      text: `${feature.feature_name.replaceAll('_', ' ')} ${feature.value} ${feature.tag} ${feature.category}`,
    });
  }
}

function sessionOf(episode: MemMachineEpisode): string {
  return String(episode.metadata.session_id ?? '');
}

/** Chronological order: created_at, then uid (MM-DECL). */
export function byTime(a: MemMachineEpisode, b: MemMachineEpisode): number {
  return a.created_ms - b.created_ms || compareIds(a.uid, b.uid);
}
