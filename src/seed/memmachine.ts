import type { MemMachineDataset, MemMachineEpisode } from '../reference/dataset.js';
import {
  BATCH_SIZE,
  chunks,
  type Namespace,
  namespacedVariables,
  probeQuery,
  SeedLedger,
  type SeedSession,
  SeedWriteError,
  type WaitProbe,
} from './session.js';
import { callOperation, describeFailure, type SeedTarget, succeeded } from './transport.js';

/** The project a body addresses: nothing for the home (default) project, else org/project ids. */
type Scope = Readonly<Record<string, string>>;

interface ProjectPlan {
  readonly scope: Scope;
  /** True for a project memconform creates (and deletes afterwards). */
  readonly dedicated: boolean;
  readonly episodes: readonly MemMachineEpisode[];
  /** Episode uids the target gave, in write order. */
  readonly uids: string[];
}

/**
 * Seeds a MemMachine target through `POST /v2/memories` (MM-PLAT, MM-OSS). The default project's episodes
 * go to the target's default project under run-scoped user ids (`metadata.user_id`, producer ids); every
 * other fixture project becomes a dedicated project `mc-<run id>-<project>` (self-hosted: in org
 * `mc-<run id>-<org>`) created with `POST /v2/projects`. Cleans up by uid (`/v2/memories/episodic/delete`),
 * deletes the semantic features the target derived for the seeded users (`/v2/memories/semantic/delete`),
 * and deletes the dedicated projects.
 */
export function memMachineSession(
  dataset: MemMachineDataset,
  deployment: 'hosted' | 'self-hosted',
  namespace: Namespace,
  target: SeedTarget,
  suiteVariables: Readonly<Record<string, string>>,
): SeedSession {
  const ledger = new SeedLedger();
  const projects = dataset.projects.filter((project) => project.deployment === deployment);
  const home = projects.find((project) =>
    deployment === 'hosted'
      ? project.default
      : project.org_id === 'universal' && project.project_id === 'universal',
  );
  const mapping = new Map<string, string>();
  const users = new Set<string>();
  for (const set of Object.values(dataset.memory_sets))
    for (const episode of set.episodes) {
      const user = episode.metadata.user_id;
      if (typeof user === 'string') users.add(user);
    }
  for (const user of users) mapping.set(user, namespace.id(user));
  for (const project of projects) {
    if (project === home) continue;
    mapping.set(project.project_id, namespace.id(project.project_id));
    if (deployment === 'self-hosted') mapping.set(project.org_id, namespace.id(project.org_id));
  }
  const plans: ProjectPlan[] = projects.map(
    (project): ProjectPlan => ({
      scope: (project === home
        ? {}
        : deployment === 'hosted'
          ? { project_id: mapping.get(project.project_id) as string }
          : {
              org_id: mapping.get(project.org_id) as string,
              project_id: mapping.get(project.project_id) as string,
            }) as Scope,
      dedicated: project !== home,
      episodes: [...(dataset.memory_sets[project.memory_set]?.episodes ?? [])].sort(
        (a, b) => a.created_ms - b.created_ms,
      ),
      uids: [],
    }),
  );
  const scopedId = (id: string | undefined) => (id === undefined ? undefined : (mapping.get(id) ?? id));

  /** Semantic feature ids the target holds for the seeded users of one project. */
  const featureIds = async (plan: ProjectPlan): Promise<string[]> => {
    const ids = new Set<string>();
    const byUser = new Map<string, string[]>();
    for (const episode of plan.episodes) {
      const user = scopedId(episode.metadata.user_id as string | undefined);
      if (user !== undefined) byUser.set(user, [...(byUser.get(user) ?? []), episode.content]);
    }
    for (const [user, texts] of byUser) {
      const exchange = await callOperation(target, 'searchMemories', {
        body: {
          ...plan.scope,
          query: texts.join(' ').slice(0, 4_000),
          filter: `metadata.user_id='${user}'`,
          types: ['semantic'],
          top_k: 1_000,
        },
      });
      const content = (exchange.response?.json as { content?: { semantic_memory?: unknown[] } } | undefined)
        ?.content;
      for (const feature of content?.semantic_memory ?? []) {
        const id = (feature as { metadata?: { id?: unknown } })?.metadata?.id;
        if (typeof id === 'string') ids.add(id);
      }
    }
    return [...ids];
  };

  const deleteIds = async (plan: ProjectPlan, kind: 'episodic' | 'semantic', ids: readonly string[]) => {
    const operation = kind === 'episodic' ? 'deleteEpisodicMemory' : 'deleteSemanticMemory';
    for (const batch of chunks(ids, 50)) {
      const exchange = await callOperation(target, operation, {
        body: { ...plan.scope, [`${kind}_ids`]: batch },
      });
      if (succeeded(exchange)) for (const id of batch) ledger.deleted.add(id);
      else if (batch.length > 1)
        await deleteIds(plan, kind, batch.slice(0, 1)).then(() => deleteIds(plan, kind, batch.slice(1)));
      // One id the target no longer holds (404) is gone; anything else could not be deleted.
      else if (exchange.response?.status === 404) ledger.deleted.add(batch[0] as string);
      else ledger.notDeleted.set(batch[0] as string, describeFailure(exchange));
    }
  };

  return {
    api: 'memmachine',
    ledger,
    variables: namespacedVariables(suiteVariables, mapping),
    async write() {
      for (const plan of plans) {
        if (plan.dedicated) {
          const exchange = await callOperation(target, 'createProject', {
            body: { ...plan.scope, description: `memconform run ${namespace.runId}: seeded test data` },
          });
          if (!succeeded(exchange))
            throw new SeedWriteError(`memmachine project creation refused: ${describeFailure(exchange)}`);
        }
        for (const batch of chunks(plan.episodes, BATCH_SIZE)) {
          const exchange = await callOperation(target, 'addMemories', {
            body: {
              ...plan.scope,
              messages: batch.map((episode) => ({
                content: episode.content,
                producer: scopedId(episode.producer_id),
                ...(episode.produced_for_id === undefined
                  ? {}
                  : { produced_for: scopedId(episode.produced_for_id) }),
                role: episode.producer_role,
                timestamp: episode.created_at,
                // MemMachine metadata values are strings (MM-PLAT MemoryMessage).
                metadata: Object.fromEntries(
                  Object.entries(episode.metadata).map(([key, value]) => [
                    key,
                    key === 'user_id' ? (scopedId(String(value)) as string) : String(value),
                  ]),
                ),
              })),
            },
          });
          if (!succeeded(exchange))
            throw new SeedWriteError(`memmachine add refused: ${describeFailure(exchange)}`);
          ledger.written += batch.length;
          const results = (exchange.response?.json as { results?: { uid?: unknown }[] } | undefined)?.results;
          batch.forEach((episode, index) => {
            ledger.texts.set(episode.uid, episode.content);
            const uid = results?.[index]?.uid;
            if (typeof uid === 'string') {
              plan.uids.push(uid);
              ledger.created.add(uid);
              ledger.serverIds.set(episode.uid, uid);
            }
          });
        }
      }
    },
    probes(): WaitProbe[] {
      const probes: WaitProbe[] = [];
      for (const plan of plans) {
        const seen = new Set<string>();
        for (const episode of plan.episodes) {
          const user = scopedId(episode.metadata.user_id as string | undefined);
          if (user === undefined || seen.has(user)) continue;
          seen.add(user);
          probes.push({
            user,
            probe: async () => {
              const exchange = await callOperation(target, 'searchMemories', {
                body: {
                  ...plan.scope,
                  query: probeQuery(
                    plan.episodes
                      .filter((e) => scopedId(e.metadata.user_id as string) === user)
                      .map((e) => e.content),
                  ),
                  filter: `metadata.user_id='${user}'`,
                  types: ['episodic'],
                },
              });
              const episodic = (
                exchange.response?.json as
                  | { content?: { episodic_memory?: Record<string, { episodes?: unknown[] }> } }
                  | undefined
              )?.content?.episodic_memory;
              const found =
                (episodic?.long_term_memory?.episodes?.length ?? 0) +
                (episodic?.short_term_memory?.episodes?.length ?? 0);
              return succeeded(exchange) && found > 0;
            },
          });
        }
      }
      return probes;
    },
    matchedBy: 'id',
    async ask(golden, k) {
      // Long-term episodes come back in time order (MM-DECL); for a rank they are put in score order, then
      // the short-term episodes (recent context, no score) follow.
      const user = mapping.get(golden.user) ?? golden.user;
      const plan = plans.find((p) => p.episodes.some((e) => e.metadata.user_id === golden.user));
      const exchange = await callOperation(target, 'searchMemories', {
        body: {
          ...(plan?.scope ?? {}),
          query: golden.query,
          filter: `metadata.user_id='${user}'`,
          types: ['episodic'],
          top_k: k,
        },
      });
      type Episode = { uid?: unknown; score?: unknown };
      const episodic = (
        exchange.response?.json as
          | { content?: { episodic_memory?: Record<string, { episodes?: Episode[] }> } }
          | undefined
      )?.content?.episodic_memory;
      const longTerm = [...(episodic?.long_term_memory?.episodes ?? [])].sort(
        (a, b) => (typeof b.score === 'number' ? b.score : 0) - (typeof a.score === 'number' ? a.score : 0),
      );
      return [...longTerm, ...(episodic?.short_term_memory?.episodes ?? [])].map((episode) =>
        ledger.fixtureIdOf(episode.uid),
      );
    },
    async inventory() {
      for (const plan of plans) for (const id of await featureIds(plan)) ledger.created.add(id);
    },
    async cleanup() {
      for (const plan of plans) {
        const features = await featureIds(plan);
        for (const id of features) ledger.created.add(id);
        await deleteIds(plan, 'semantic', features);
        await deleteIds(plan, 'episodic', plan.uids);
        if (plan.dedicated) {
          const exchange = await callOperation(target, 'deleteProject', { body: plan.scope });
          if (!succeeded(exchange) && exchange.response?.status !== 404)
            ledger.notDeleted.set(`project ${JSON.stringify(plan.scope)}`, describeFailure(exchange));
        }
      }
    },
  };
}
