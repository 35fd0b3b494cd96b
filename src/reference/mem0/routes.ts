import type { ReferenceDataset } from '../dataset.js';
import type { Route } from '../http/types.js';
import { mem0Dialect } from './errors.js';
import { Mem0Search } from './search.js';

/**
 * The Mem0 routes, with `Authorization: Token <key>` (Z-OAS ApiKeyAuth). Only the slashed search paths are
 * routed; POST /v1/memories/search answers DRF's 404, as Django would (Z-OAS, Z-TS, Z-ISS3955 in docs/sources.md).
 */
export function mem0Routes(dataset: ReferenceDataset['mem0']): Route[] {
  const search = new Mem0Search(dataset);
  return [
    {
      method: 'POST',
      path: '/v1/memories/search/',
      auth: 'token',
      dialect: mem0Dialect,
      handle: ({ body, faults }) => search.handle(body, faults, 'v1'),
    },
    {
      // mem0ai 2.x with `api_version: 'v2'` (Z-TS) and the Python SDK before v3 (Z-PY).
      method: 'POST',
      path: '/v2/memories/search/',
      auth: 'token',
      dialect: mem0Dialect,
      handle: ({ body, faults }) => search.handle(body, faults, 'v2'),
    },
    {
      // mem0ai 3.x, the current SDKs (Z-TS HEAD in docs/sources.md).
      method: 'POST',
      path: '/v3/memories/search/',
      auth: 'token',
      dialect: mem0Dialect,
      handle: ({ body, faults }) => search.handle(body, faults, 'v3'),
    },
    {
      // The mem0ai client pings on construction and reads status, org_id, project_id and user_email; any
      // status other than "ok" makes it throw (mem0ai 2.4.x MemoryClient.ping; Z-OAS ping_read).
      method: 'GET',
      path: '/v1/ping/',
      auth: 'token',
      dialect: mem0Dialect,
      handle: () => ({
        status: 200,
        body: {
          status: 'ok',
          org_id: dataset.org_id,
          project_id: dataset.project_id,
          user_email: dataset.user_email,
        },
      }),
    },
  ];
}
