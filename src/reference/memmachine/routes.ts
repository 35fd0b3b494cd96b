import type { Route } from '../http/types.js';
import { type Deployment, hostedDialect, selfHostedDialect } from './errors.js';
import { searchMemories } from './search.js';
import type { MemMachineStore } from './store.js';
import { addMemories, createProject, deleteMemories, deleteProject } from './write.js';

/** Where the self-hosted server's API lives (`http://<host>:8080/api/v2/...`, MM-PLAT, MM-SPEC in docs/sources.md). */
export const MEMMACHINE_SELF_HOSTED_BASE_PATH = '/api';

/** The OSS server's health answer (MM-RT `health_check`), with the reference as the service. */
const HEALTH = {
  method: 'GET',
  auth: 'none',
  handle: () => ({
    status: 200,
    body: { status: 'healthy', service: 'memmachine', version: 'memconform-reference' },
  }),
} as const;

/**
 * Both MemMachine deployments on one server: the hosted Platform under /v2 with `Authorization: Bearer
 * <key>` (MM-PLAT BearerAuth) and the self-hosted server under /api/v2 without authentication (the OSS
 * server has no auth middleware). Every endpoint is a POST.
 */
export function memMachineRoutes(store: MemMachineStore): Route[] {
  const both = (
    path: string,
    handle: (
      deployment: Deployment,
      body: unknown,
      faults: Parameters<Route['handle']>[0]['faults'],
    ) => ReturnType<Route['handle']>,
  ): Route[] => [
    {
      method: 'POST',
      path,
      auth: 'bearer',
      dialect: hostedDialect,
      handle: ({ body, faults }) => handle('hosted', body, faults),
    },
    {
      method: 'POST',
      path: `${MEMMACHINE_SELF_HOSTED_BASE_PATH}${path}`,
      auth: 'none',
      dialect: selfHostedDialect,
      handle: ({ body, faults }) => handle('self-hosted', body, faults),
    },
    // The TS client's healthCheck() calls GET {base_url}/health with base_url ending in /v2 (MM-TS); the OSS
    // router serves /api/v2/health without auth and the Platform lists its health check with `security: []`.
    { ...HEALTH, path: '/v2/health', dialect: hostedDialect },
    { ...HEALTH, path: `${MEMMACHINE_SELF_HOSTED_BASE_PATH}/v2/health`, dialect: selfHostedDialect },
  ];
  return [
    ...both('/v2/memories/search', (deployment, body, faults) =>
      searchMemories(store, deployment, body, faults),
    ),
    ...both('/v2/memories', (deployment, body, faults) => addMemories(store, deployment, body, faults)),
    ...both('/v2/memories/episodic/delete', (deployment, body, faults) =>
      deleteMemories(store, deployment, 'episodic', body, faults),
    ),
    ...both('/v2/memories/semantic/delete', (deployment, body, faults) =>
      deleteMemories(store, deployment, 'semantic', body, faults),
    ),
    ...both('/v2/projects', (deployment, body, faults) => createProject(store, deployment, body, faults)),
    ...both('/v2/projects/delete', (deployment, body, faults) =>
      deleteProject(store, deployment, body, faults),
    ),
  ];
}
