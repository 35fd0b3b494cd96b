import type { Route } from '../http/types.js';
import { memosDialect } from './errors.js';
import { getMemory } from './get.js';
import { searchMemory } from './search.js';
import type { MemosStore } from './store.js';
import { addMessage, deleteMemory } from './write.js';

/** Where MemOS lives on the reference server: the cloud API's base path (M-API, M-CLI in docs/sources.md). */
export const MEMOS_BASE_PATH = '/api/openmem/v1';

/**
 * The MemOS routes: search, get, add and delete, all POST with `Authorization: Token <key>` (M-API
 * TokenAuth).
 */
export function memosRoutes(store: MemosStore): Route[] {
  const route = (path: string, handle: Route['handle']): Route => ({
    method: 'POST',
    path: `${MEMOS_BASE_PATH}${path}`,
    auth: 'token',
    dialect: memosDialect,
    handle,
  });
  return [
    route('/search/memory', ({ body, faults }) => searchMemory(store, body, faults)),
    route('/get/memory', ({ body, faults }) => getMemory(store, body, faults)),
    route('/add/message', ({ body, faults }) => addMessage(store, body, faults)),
    route('/delete/memory', ({ body, faults }) => deleteMemory(store, body, faults)),
  ];
}
