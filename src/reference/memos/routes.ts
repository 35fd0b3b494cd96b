import type { ReferenceDataset } from '../dataset.js';
import type { Route } from '../http/types.js';
import { memosDialect } from './errors.js';
import { getMemory } from './get.js';
import { searchMemory } from './search.js';
import { MemosStore } from './store.js';

/** Where MemOS lives on the reference server: the cloud API's base path (M-API, M-CLI in docs/sources.md). */
export const MEMOS_BASE_PATH = '/api/openmem/v1';

/** The MemOS routes: POST /search/memory and /get/memory with `Authorization: Token <key>` (M-API TokenAuth). */
export function memosRoutes(dataset: ReferenceDataset['memos']): Route[] {
  const store = new MemosStore(dataset);
  return [
    {
      method: 'POST',
      path: `${MEMOS_BASE_PATH}/search/memory`,
      auth: 'token',
      dialect: memosDialect,
      handle: ({ body, faults }) => searchMemory(store, body, faults),
    },
    {
      method: 'POST',
      path: `${MEMOS_BASE_PATH}/get/memory`,
      auth: 'token',
      dialect: memosDialect,
      handle: ({ body, faults }) => getMemory(store, body, faults),
    },
  ];
}
