import type { AddressInfo } from 'node:net';
import { loadReferenceDataset, type ReferenceDataset } from './dataset.js';
import { type Fault, FaultSwitches } from './faults.js';
import { createHttpServer } from './http/server.js';
import type { ApiDialect, Route } from './http/types.js';
import { mem0Dialect } from './mem0/errors.js';
import { mem0Routes } from './mem0/routes.js';
import { Mem0Store } from './mem0/store.js';
import { hostedDialect, selfHostedDialect } from './memmachine/errors.js';
import { MEMMACHINE_SELF_HOSTED_BASE_PATH, memMachineRoutes } from './memmachine/routes.js';
import { MemMachineStore } from './memmachine/store.js';
import { memosDialect } from './memos/errors.js';
import { MEMOS_BASE_PATH, memosRoutes } from './memos/routes.js';
import { MemosStore } from './memos/store.js';

/**
 * The API key the reference accepts unless told otherwise (README, "Reference implementation"). options.ts's
 * REFERENCE_TOKEN, what `run` sends to the built-in reference, is the same value, written there so that the
 * options every command loads do not load the reference.
 */
export const DEFAULT_REFERENCE_TOKEN = 'mc-reference-token';

/** Request bodies above this answer 413 in the vendor's error form. */
export const BODY_LIMIT_BYTES = 1024 * 1024;

/** How to start the reference server. */
export interface ReferenceOptions {
  /** Interface to listen on; default 127.0.0.1. */
  host?: string;
  /** Port; default 0 (a free port). */
  port?: number;
  /** Accepted API keys; default ['mc-reference-token']. */
  tokens?: readonly string[];
  /** The memories served at start (the write endpoints change them); default fixtures/reference. */
  dataset?: ReferenceDataset;
  /** Deliberate breaks for mutation tests (see FAULTS); default none. */
  faults?: readonly Fault[];
}

/** A started reference server. */
export interface RunningReference {
  /** Base URL, e.g. http://127.0.0.1:53211. */
  url: string;
  /** The `--target` URL of each API and flavour on this server. */
  targets: { memos: string; mem0: string; memmachine: string; memmachineSelfHosted: string };
  /** The memories as they are now, after every write and delete so far. */
  snapshot(): ReferenceDataset;
  /** Stops listening and drops open connections. */
  close(): Promise<void>;
}

/** Starts the reference implementation (search, list, add and delete of every API, Mem0's ping) on one port. */
export async function startReferenceServer(options: ReferenceOptions = {}): Promise<RunningReference> {
  const faults = new FaultSwitches(options.faults ?? []);
  const tokens = new Set(options.tokens ?? [DEFAULT_REFERENCE_TOKEN]);
  const dataset = options.dataset ?? (await loadReferenceDataset());
  const stores = {
    memos: new MemosStore(dataset.memos),
    mem0: new Mem0Store(dataset.mem0),
    memmachine: new MemMachineStore(dataset.memmachine),
  };
  const routes: Route[] = [
    ...memosRoutes(stores.memos),
    ...mem0Routes(stores.mem0),
    ...memMachineRoutes(stores.memmachine),
  ];
  const server = createHttpServer({
    routes,
    dialectForPath,
    tokens,
    faults,
    bodyLimitBytes: BODY_LIMIT_BYTES,
  });

  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  return {
    url,
    targets: {
      memos: `${url}${MEMOS_BASE_PATH}`,
      mem0: url,
      memmachine: url,
      memmachineSelfHosted: `${url}${MEMMACHINE_SELF_HOSTED_BASE_PATH}`,
    },
    snapshot: () => ({
      memos: stores.memos.snapshot(),
      mem0: stores.mem0.snapshot(),
      memmachine: stores.memmachine.snapshot(),
    }),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

/** Error wording for paths no route serves, chosen by the vendor whose path prefix they share. */
function dialectForPath(path: string): ApiDialect {
  if (path.startsWith('/api/openmem/')) return memosDialect;
  if (path.startsWith(`${MEMMACHINE_SELF_HOSTED_BASE_PATH}/`)) return selfHostedDialect;
  if (path.startsWith('/v2/')) return hostedDialect;
  return mem0Dialect;
}
