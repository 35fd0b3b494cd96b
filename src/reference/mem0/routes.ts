import type { Route } from '../http/types.js';
import { mem0Dialect } from './errors.js';
import { Mem0Search } from './search.js';
import type { Mem0Store } from './store.js';
import { addMemoriesV1, addMemoriesV3, deleteMemories, deleteMemory } from './write.js';

/**
 * The Mem0 routes, with `Authorization: Token <key>` (Z-OAS ApiKeyAuth). Only the slashed search paths are
 * routed; POST /v1/memories/search answers DRF's 404, as Django would (Z-OAS, Z-TS, Z-ISS3955 in docs/sources.md).
 */
export function mem0Routes(store: Mem0Store): Route[] {
  const search = new Mem0Search(store);
  const route = (method: Route['method'], path: string, handle: Route['handle']): Route => ({
    method,
    path,
    auth: 'token',
    dialect: mem0Dialect,
    handle,
  });
  const { dataset } = store;
  return [
    route('POST', '/v1/memories/search/', ({ body, faults }) => search.handle(body, faults, 'v1')),
    // mem0ai 2.x with `api_version: 'v2'` (Z-TS) and the Python SDK before v3 (Z-PY).
    route('POST', '/v2/memories/search/', ({ body, faults }) => search.handle(body, faults, 'v2')),
    // mem0ai 3.x, the current SDKs (Z-TS HEAD in docs/sources.md).
    route('POST', '/v3/memories/search/', ({ body, faults }) => search.handle(body, faults, 'v3')),
    // The mem0ai client pings on construction and reads status, org_id, project_id and user_email; any
    // status other than "ok" makes it throw (mem0ai 2.4.x MemoryClient.ping; Z-OAS ping_read).
    route('GET', '/v1/ping/', () => ({
      status: 200,
      body: {
        status: 'ok',
        org_id: dataset.org_id,
        project_id: dataset.project_id,
        user_email: dataset.user_email,
      },
    })),
    route('POST', '/v1/memories/', ({ body, faults }) => addMemoriesV1(store, body, faults)),
    route('DELETE', '/v1/memories/', ({ query, faults }) => deleteMemories(store, query, faults)),
    route('DELETE', '/v1/memories/{memory_id}/', ({ params, faults }) =>
      deleteMemory(store, params.memory_id ?? '', faults),
    ),
    route('POST', '/v3/memories/add/', ({ body, faults }) => addMemoriesV3(store, body, faults)),
  ];
}
