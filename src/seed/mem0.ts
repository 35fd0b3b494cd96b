import type { Mem0Dataset, Mem0Memory } from '../reference/dataset.js';
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

const ENTITIES = ['user_id', 'agent_id', 'app_id', 'run_id'] as const;

/**
 * Seeds a Mem0 target through `POST /v3/memories/add/` with `infer: false` (each message stored verbatim,
 * ids in the answer, Z-OAS), one user message per fixture memory, every entity id run-scoped. Cleans up by
 * id (`DELETE /v1/memories/{id}/`), then sweeps each run-scoped entity (`DELETE /v1/memories/?user_id=…`)
 * for anything the target made without naming it.
 */
export function mem0Session(
  dataset: Mem0Dataset,
  namespace: Namespace,
  target: SeedTarget,
  suiteVariables: Readonly<Record<string, string>>,
): SeedSession {
  const ledger = new SeedLedger();
  const mapping = new Map<string, string>();
  for (const memory of dataset.memories)
    for (const field of ENTITIES) {
      const value = memory[field];
      if (value !== undefined) mapping.set(value, namespace.id(value));
    }
  const scoped = (memory: Mem0Memory) =>
    Object.fromEntries(
      ENTITIES.flatMap((field) =>
        memory[field] === undefined ? [] : [[field, mapping.get(memory[field] as string)]],
      ),
    ) as Record<string, string>;
  // One request per group of memories sharing entities and per-request fields, in batches.
  const groups = new Map<string, Mem0Memory[]>();
  for (const memory of dataset.memories) {
    const key = JSON.stringify([scoped(memory), memory.metadata, memory.immutable, memory.expiration_date]);
    groups.set(key, [...(groups.get(key) ?? []), memory]);
  }

  return {
    api: 'mem0',
    ledger,
    variables: namespacedVariables(suiteVariables, mapping),
    async write() {
      for (const group of groups.values()) {
        for (const batch of chunks(group, BATCH_SIZE)) {
          const first = batch[0] as Mem0Memory;
          const exchange = await callOperation(target, 'addMemoriesV3', {
            body: {
              messages: batch.map((memory) => ({ role: 'user', content: memory.memory })),
              ...scoped(first),
              ...(first.metadata === null ? {} : { metadata: first.metadata }),
              infer: false,
              ...(first.immutable ? { immutable: true } : {}),
              ...(first.expiration_date === null ? {} : { expiration_date: first.expiration_date }),
            },
          });
          if (!succeeded(exchange))
            throw new SeedWriteError(`mem0 add refused: ${describeFailure(exchange)}`);
          ledger.written += batch.length;
          const results = (exchange.response?.json as { results?: { id?: unknown }[] } | undefined)?.results;
          batch.forEach((memory, index) => {
            ledger.texts.set(memory.id, memory.memory);
            const id = results?.[index]?.id;
            if (typeof id === 'string') {
              ledger.created.add(id);
              ledger.serverIds.set(memory.id, id);
            }
          });
        }
      }
    },
    probes(): WaitProbe[] {
      // Each seeded entity must answer a search for the text of one of its memories.
      const probes: WaitProbe[] = [];
      const seen = new Set<string>();
      for (const memory of dataset.memories) {
        const entities = scoped(memory);
        const [field, value] = Object.entries(entities)[0] ?? [];
        if (field === undefined || value === undefined || seen.has(value)) continue;
        seen.add(value);
        probes.push({
          user: value,
          probe: async () => {
            const exchange = await callOperation(target, 'searchMemories', {
              body: {
                query: probeQuery(
                  dataset.memories
                    .filter((m) => Object.values(scoped(m)).includes(value))
                    .map((m) => m.memory),
                ),
                [field]: value,
              },
            });
            return succeeded(exchange) && listOf(exchange.response?.json).length > 0;
          },
        });
      }
      return probes;
    },
    matchedBy: 'id',
    async ask(golden, k) {
      const user = mapping.get(golden.user) ?? golden.user;
      const exchange = await callOperation(target, 'searchMemories', {
        body: { query: golden.query, user_id: user, top_k: k },
      });
      return listOf(exchange.response?.json).map((item) =>
        ledger.fixtureIdOf((item as { id?: unknown })?.id),
      );
    },
    async inventory() {
      // The infer-false answer names every memory it stored.
    },
    async cleanup() {
      for (const id of ledger.created) {
        const exchange = await callOperation(target, 'deleteMemory', { path: { memory_id: id } });
        // 404: it is gone already (deleted with a linked memory, or by the target itself).
        if (succeeded(exchange) || exchange.response?.status === 404) ledger.deleted.add(id);
        else ledger.notDeleted.set(id, describeFailure(exchange));
      }
      for (const [fixtureValue, value] of mapping) {
        for (const field of ENTITIES) {
          if (!dataset.memories.some((memory) => memory[field] === fixtureValue)) continue;
          await callOperation(target, 'deleteMemories', { query: { [field]: value } });
        }
      }
    },
  };
}

/** The results of a Mem0 search answer in either output format. */
export function listOf(json: unknown): unknown[] {
  if (Array.isArray(json)) return json;
  const results = (json as { results?: unknown } | undefined)?.results;
  return Array.isArray(results) ? results : [];
}
