/** `run --seed`: write the fixture data into a target under run-scoped ids, wait for it, take it away. */
import type { ApiName } from '../apis.js';
import type { ReferenceDataset } from '../reference/dataset.js';
import { mem0Session } from './mem0.js';
import { memMachineSession } from './memmachine.js';
import { memosSession } from './memos.js';
import type { Namespace, SeedSession } from './session.js';
import type { SeedTarget } from './transport.js';

export { loadGoldenSet } from './recall.js';
export {
  cleanupTargets,
  measureRecall,
  namespaceFor,
  newRunId,
  type SeededTarget,
  seedSummary,
  seedTargets,
} from './seed.js';
export type { SeedSession } from './session.js';
export type { SeedTarget } from './transport.js';

/** The seeding session of one target of `api` (and, for MemMachine, its deployment). */
export function sessionFor(
  api: ApiName,
  flavour: 'hosted' | 'self-hosted',
  dataset: ReferenceDataset,
  namespace: Namespace,
  target: SeedTarget,
  suiteVariables: Readonly<Record<string, string>>,
): SeedSession {
  switch (api) {
    case 'memos':
      return memosSession(dataset.memos, namespace, target, suiteVariables);
    case 'mem0':
      return mem0Session(dataset.mem0, namespace, target, suiteVariables);
    case 'memmachine':
      return memMachineSession(dataset.memmachine, flavour, namespace, target, suiteVariables);
  }
}
