import type { ReferenceDataset } from '../dataset.js';
import type { Route } from '../http/types.js';
import { hostedDialect, selfHostedDialect } from './errors.js';
import { searchMemories } from './search.js';
import { MemMachineStore } from './store.js';

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
 * Both MemMachine deployments on one server: the hosted Platform at /v2/memories/search with
 * `Authorization: Bearer <key>` (MM-PLAT BearerAuth) and the self-hosted server at /api/v2/memories/search
 * without authentication (the OSS server has no auth middleware).
 */
export function memMachineRoutes(dataset: ReferenceDataset['memmachine']): Route[] {
  const store = new MemMachineStore(dataset);
  return [
    {
      method: 'POST',
      path: '/v2/memories/search',
      auth: 'bearer',
      dialect: hostedDialect,
      handle: ({ body, faults }) => searchMemories(store, 'hosted', body, faults),
    },
    {
      method: 'POST',
      path: `${MEMMACHINE_SELF_HOSTED_BASE_PATH}/v2/memories/search`,
      auth: 'none',
      dialect: selfHostedDialect,
      handle: ({ body, faults }) => searchMemories(store, 'self-hosted', body, faults),
    },
    // The TS client's healthCheck() calls GET {base_url}/health with base_url ending in /v2 (MM-TS); the OSS
    // router serves /api/v2/health without auth and the Platform lists its health check with `security: []`.
    { ...HEALTH, path: '/v2/health', dialect: hostedDialect },
    { ...HEALTH, path: `${MEMMACHINE_SELF_HOSTED_BASE_PATH}/v2/health`, dialect: selfHostedDialect },
  ];
}
