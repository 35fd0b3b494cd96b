import { BodyReader } from '../body-reader.js';
import type { Mem0Memory } from '../dataset.js';
import type { FaultSwitches } from '../faults.js';
import type { Reply } from '../http/types.js';
import { type Message, readMessages } from '../messages.js';
import { isoWithMicros, newId } from '../time.js';
import { deletesLand, writesSearchable } from '../writes.js';
import { MISSING_ENTITY_MESSAGE, mem0ValidationReply } from './errors.js';
import { ENTITY_FIELDS } from './filters.js';
import type { Mem0Store } from './store.js';

/**
 * The Mem0 write endpoints (Z-OAS): POST /v1/memories/ and /v3/memories/add/, DELETE /v1/memories/ by entity
 * and DELETE /v1/memories/{memory_id}/.
 *
 * Extraction stand-in: with `infer: false` every message is stored verbatim, as the platform documents. With
 * `infer: true` the platform runs an extraction model in the background; the reference stores each user
 * message verbatim instead (assistant and system turns carry no facts about the user), synchronously, and
 * still answers with the queued status the platform sends.
 */

const ROLES = ['user', 'assistant', 'system'];
type EntityField = (typeof ENTITY_FIELDS)[number];
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

interface AddInput {
  readonly messages: readonly Message[];
  readonly entities: Partial<Record<EntityField, string>>;
  readonly metadata: Record<string, unknown> | undefined;
  readonly infer: boolean;
  readonly immutable: boolean;
  readonly expirationDate: string | undefined;
  readonly outputFormat: string | undefined;
  readonly version: string | undefined;
}

function parseAdd(body: unknown, faults: FaultSwitches, v3: boolean): AddInput | Reply {
  const reader = new BodyReader(body, faults);
  const messages = readMessages(reader, { roles: ROLES });
  const entities: Partial<Record<EntityField, string>> = {};
  for (const field of ENTITY_FIELDS) {
    const value = reader.string(field);
    if (value !== undefined && value !== '') entities[field] = value;
  }
  const metadata = reader.object('metadata');
  const infer = reader.boolean('infer');
  const immutable = reader.boolean('immutable');
  const expirationDate = v3 ? reader.string('expiration_date') : undefined;
  const outputFormat = reader.string('output_format');
  const version = v3 ? undefined : reader.string('version');
  // Accepted and validated; they steer extraction, which the reference does not model.
  for (const field of [
    'includes',
    'excludes',
    'custom_instructions',
    'agent_custom_instructions',
    'org_id',
    'project_id',
  ])
    reader.string(field);
  reader.boolean('async_mode');
  if (expirationDate !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(expirationDate)) {
    reader.report({
      field: 'expiration_date',
      kind: 'invalid',
      detail: 'Date has wrong format. Use YYYY-MM-DD.',
    });
  }
  const problems = reader.finish();
  if (problems.length > 0) return mem0ValidationReply(problems);
  if (Object.keys(entities).length === 0 && !faults.on('accept-invalid-input')) {
    return { status: 400, body: { message: MISSING_ENTITY_MESSAGE } };
  }
  return {
    messages,
    entities,
    metadata,
    infer: infer ?? true,
    immutable: immutable ?? false,
    expirationDate,
    outputFormat,
    version,
  };
}

/** Stores the memories of one add request; returns them. */
function store(store_: Mem0Store, input: AddInput, faults: FaultSwitches): Mem0Memory[] {
  const kept = input.infer ? input.messages.filter((message) => message.role === 'user') : input.messages;
  const now = isoWithMicros(Date.now());
  const memories = kept
    .filter((message) => message.content.trim() !== '')
    .map(
      (message): Mem0Memory => ({
        id: newId(),
        memory: message.content,
        ...input.entities,
        categories: [],
        metadata: input.metadata ?? null,
        created_at: now,
        updated_at: now,
        expiration_date: input.expirationDate ?? null,
        immutable: input.immutable,
      }),
    );
  for (const memory of memories) store_.add(memory, writesSearchable(faults));
  return memories;
}

const QUEUED = 'Memory processing has been queued for background execution';

/** POST /v1/memories/: queueing status per job, a bare array unless v1.1 and version v2 are both asked for. */
export function addMemoriesV1(store_: Mem0Store, body: unknown, faults: FaultSwitches): Reply {
  const input = parseAdd(body, faults, false);
  if ('status' in input) return input;
  store(store_, input, faults);
  const events = [{ message: QUEUED, status: 'PENDING', event_id: newId() }];
  const wrapped = input.outputFormat === 'v1.1' && input.version === 'v2';
  return { status: 200, body: wrapped ? { results: events, relations: [] } : events };
}

/** POST /v3/memories/add/: with infer false the new memories and their ids, else the queued status. */
export function addMemoriesV3(store_: Mem0Store, body: unknown, faults: FaultSwitches): Reply {
  const input = parseAdd(body, faults, true);
  if ('status' in input) return input;
  const memories = store(store_, input, faults);
  if (input.infer) return { status: 200, body: { event_id: newId(), status: 'PENDING' } };
  return {
    status: 200,
    body: {
      message: 'Memories added successfully',
      status: 'SUCCEEDED',
      event_id: newId(),
      results: memories.map((memory) => ({ id: memory.id, data: { memory: memory.memory }, event: 'ADD' })),
    },
  };
}

/**
 * DELETE /v1/memories/?user_id=…: every memory matching all the given entity filters (`*` = any value of
 * that kind). At least one filter is required: the platform refuses an unfiltered delete (Z-OAS).
 */
export function deleteMemories(store_: Mem0Store, query: URLSearchParams, faults: FaultSwitches): Reply {
  const filters = ENTITY_FIELDS.flatMap((field) => {
    const value = query.get(field);
    return value === null || value === '' ? [] : [{ field, value }];
  });
  if (filters.length === 0) return { status: 400, body: { message: MISSING_ENTITY_MESSAGE } };
  const orgId = query.get('org_id');
  const projectId = query.get('project_id');
  if (
    (orgId !== null && orgId !== store_.dataset.org_id) ||
    (projectId !== null && projectId !== store_.dataset.project_id)
  ) {
    return {
      status: 200,
      body: { message: 'Delete in progress. This may take some time.', event_id: newId() },
    };
  }
  if (deletesLand(faults)) {
    store_.delete((memory) =>
      filters.every(({ field, value }) =>
        value === '*' ? memory[field] !== undefined : memory[field] === value,
      ),
    );
  }
  return {
    status: 200,
    body: { message: 'Delete in progress. This may take some time.', event_id: newId() },
  };
}

/** DELETE /v1/memories/{memory_id}/: 400 for a non-UUID id, 404 for an unknown one (Z-OAS). */
export function deleteMemory(store_: Mem0Store, memoryId: string, faults: FaultSwitches): Reply {
  if (!UUID.test(memoryId)) return { status: 400, body: { error: 'memory_id should be a valid UUID' } };
  if (!store_.memories.some((memory) => memory.id === memoryId)) {
    return { status: 404, body: { error: 'Memory not found!' } };
  }
  if (deletesLand(faults)) store_.delete((memory) => memory.id === memoryId);
  return { status: 200, body: { message: 'Memory deleted successfully!' } };
}
