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

/** The MemMachine projects and their memories, indexed for search. */
export class MemMachineStore {
  private readonly episodeIndex: RelevanceIndex;
  private readonly featureIndex: RelevanceIndex;
  private readonly features: ReadonlyMap<string, readonly KeyedFeature[]>;
  private readonly chronological: ReadonlyMap<string, readonly MemMachineEpisode[]>;

  constructor(private readonly dataset: MemMachineDataset) {
    const sets = Object.entries(dataset.memory_sets);
    this.features = new Map(
      sets.map(([name, set]) => [
        name,
        set.semantic_features.map((feature, index) => ({ key: `${name}#${index}`, feature })),
      ]),
    );
    this.chronological = new Map(sets.map(([name, set]) => [name, [...set.episodes].sort(byTime)]));
    this.episodeIndex = new RelevanceIndex(
      sets.flatMap(([, set]) => set.episodes.map((episode) => ({ id: episode.uid, text: episode.content }))),
    );
    this.featureIndex = new RelevanceIndex(
      [...this.features.values()].flat().map(({ key, feature }) => ({
        id: key,
        text: `${feature.feature_name.replaceAll('_', ' ')} ${feature.value} ${feature.tag} ${feature.category}`,
      })),
    );
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
    return this.dataset.projects.find((project) => {
      if (project.deployment !== deployment) return false;
      if (deployment === 'hosted')
        return projectId === '' ? project.default : project.project_id === projectId;
      return project.org_id === orgId && project.project_id === projectId;
    });
  }

  /** The memory set names a search reads: the project's own, or every set of the deployment when leaking. */
  setsFor(project: MemMachineProject, leak: boolean): string[] {
    if (!leak) return [project.memory_set];
    const names = this.dataset.projects
      .filter((p) => p.deployment === project.deployment)
      .map((p) => p.memory_set);
    return [...new Set([project.memory_set, ...names])];
  }

  /** Episodes of the given sets, oldest first (created_at, then uid, MM-DECL). */
  episodes(setNames: readonly string[]): MemMachineEpisode[] {
    return setNames.flatMap((name) => this.chronological.get(name) ?? []).sort(byTime);
  }

  /** Semantic features of the given sets. */
  semanticFeatures(setNames: readonly string[]): KeyedFeature[] {
    return setNames.flatMap((name) => this.features.get(name) ?? []);
  }

  /** Session summaries of the given sets. */
  summaries(setNames: readonly string[]): Readonly<Record<string, string>> {
    return Object.assign(
      {},
      ...setNames.map((name) => (this.dataset.memory_sets[name] as MemMachineMemorySet).session_summaries),
    );
  }

  /** Relevance of episodes (by uid) to a query. */
  episodeScorer(query: string): (uid: string) => number {
    return this.episodeIndex.scorer(query);
  }

  /** Relevance of semantic features (by KeyedFeature.key) to a query. */
  featureScorer(query: string): (key: string) => number {
    return this.featureIndex.scorer(query);
  }
}

/** Chronological order: created_at, then uid (MM-DECL). */
export function byTime(a: MemMachineEpisode, b: MemMachineEpisode): number {
  return a.created_ms - b.created_ms || compareIds(a.uid, b.uid);
}
