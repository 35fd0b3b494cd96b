import { BodyReader, type FieldProblem } from '../body-reader.js';
import type { FaultSwitches } from '../faults.js';
import { compileMemosFilter, type MemosPredicate } from './filter.js';

/**
 * Whose memories a request reads: a user, or an agent in place of one (the newest official client sends
 * exactly one of user_id / agent_id, M-CLI in docs/sources.md). Both given: that user's memories of that
 * agent.
 */
export interface MemosOwner {
  readonly userId: string | undefined;
  readonly agentId: string | undefined;
}

/** Validated POST /search/memory input with defaults applied (M-API in docs/sources.md, 2026 spec). */
export interface MemosSearchInput extends MemosOwner {
  readonly query: string;
  readonly conversationId: string | undefined;
  readonly filter: MemosPredicate;
  readonly memoryLimit: number;
  readonly includePreference: boolean;
  readonly preferenceLimit: number;
  readonly includeToolMemory: boolean;
  readonly toolMemoryLimit: number;
  readonly includeSkill: boolean;
  /** undefined when 0: "0 disables filtering" (M-API 2026). */
  readonly relativity: number | undefined;
}

/** Validated POST /get/memory input with defaults applied (M-API, M-CLI in docs/sources.md). */
export interface MemosGetInput extends MemosOwner {
  readonly page: number;
  /** Which page to serve, counted from 0 (page - 1, unless the zero-based-pages fault is on). */
  readonly pageIndex: number;
  readonly size: number;
  readonly filter: MemosPredicate;
  readonly includePreference: boolean;
  readonly includeToolMemory: boolean;
}

/** Either the input or the first problem with it. */
export type Parsed<T> =
  | { readonly ok: true; readonly input: T }
  | { readonly ok: false; readonly problem: FieldProblem };

const MAX_LIMIT = 25; // M-API 2026: every *_limit_number is at most 25
const MAX_ID_LENGTH = 100; // M-ERR 40010 / 40011

/** Fields the newest official client sends that the published spec does not list (M-CLI). */
function readFilter(reader: BodyReader): MemosPredicate {
  const compiled = compileMemosFilter(reader.object('filter'));
  if (compiled.ok) return compiled.test;
  reader.report({ field: 'filter', kind: 'invalid', detail: compiled.error });
  return () => true;
}

/** user_id, or agent_id in its place (M-CLI); neither is the missing user_id the published spec requires. */
function readOwner(reader: BodyReader): MemosOwner {
  const userId = reader.string('user_id', { allowBlank: false, maxLength: MAX_ID_LENGTH });
  const agentId = reader.string('agent_id'); // client-only (M-CLI): no documented constraint
  if (userId === undefined && agentId === undefined) reader.report({ field: 'user_id', kind: 'required' });
  return { userId, agentId };
}

function readClientOnlyFields(reader: BodyReader): void {
  reader.string('source');
  reader.string('context_format');
  reader.stringArray('include_memory_view');
}

/** Parses a search body. `ignore-type-switches` drops the include_* switches so their defaults apply. */
export function parseSearch(body: unknown, faults: FaultSwitches): Parsed<MemosSearchInput> {
  const reader = new BodyReader(body, faults);
  const owner = readOwner(reader);
  const query = reader.string('query', { required: true, allowBlank: false });
  const conversationId = reader.string('conversation_id', { maxLength: MAX_ID_LENGTH });
  const filter = readFilter(reader);
  reader.stringArray('knowledgebase_ids');
  const memoryLimit = reader.integer('memory_limit_number', { min: 0, max: MAX_LIMIT });
  const includePreference = reader.boolean('include_preference');
  const preferenceLimit = reader.integer('preference_limit_number', { min: 0, max: MAX_LIMIT });
  const includeToolMemory = reader.boolean('include_tool_memory');
  const toolMemoryLimit = reader.integer('tool_memory_limit_number', { min: 0, max: MAX_LIMIT });
  const includeSkill = reader.boolean('include_skill');
  reader.number('skill_limit_number', { min: 0, max: MAX_LIMIT }); // typed number by the vendor (M-API)
  const relativity = reader.number('relativity', { min: 0, max: 1 });
  readClientOnlyFields(reader);
  const problems = reader.finish();
  if (problems[0] !== undefined) return { ok: false, problem: problems[0] };
  const switches = !faults.on('ignore-type-switches');
  // relativity-zero-unset: 0 read as "not sent", so the default threshold applies.
  const threshold = (faults.on('relativity-zero-unset') && relativity === 0 ? undefined : relativity) ?? 0.45;
  return {
    ok: true,
    input: {
      ...owner,
      query: query ?? '',
      conversationId,
      filter,
      memoryLimit: memoryLimit ?? 9,
      includePreference: (switches ? includePreference : undefined) ?? true,
      preferenceLimit: preferenceLimit ?? 9,
      includeToolMemory: (switches ? includeToolMemory : undefined) ?? false,
      toolMemoryLimit: toolMemoryLimit ?? 6,
      includeSkill: (switches ? includeSkill : undefined) ?? false,
      relativity: threshold === 0 ? undefined : threshold,
    },
  };
}

/** Parses a get body. `ignore-type-switches` drops the include_* switches so their defaults apply. */
export function parseGet(body: unknown, faults: FaultSwitches): Parsed<MemosGetInput> {
  const reader = new BodyReader(body, faults);
  const owner = readOwner(reader);
  const page = reader.integer('page', { min: 1 });
  const size = reader.integer('size', { min: 1, max: 50 }); // "up to 50" (M-API); above -> 40000
  const filter = readFilter(reader);
  const includePreference = reader.boolean('include_preference');
  const includeToolMemory = reader.boolean('include_tool_memory');
  readClientOnlyFields(reader);
  const problems = reader.finish();
  if (problems[0] !== undefined) return { ok: false, problem: problems[0] };
  const switches = !faults.on('ignore-type-switches');
  return {
    ok: true,
    input: {
      ...owner,
      page: page ?? 1,
      // zero-based-pages: a page that was sent counts from 0; a request without page still gets the first.
      pageIndex: faults.on('zero-based-pages') && page !== undefined ? page : (page ?? 1) - 1,
      size: size ?? 10,
      filter,
      includePreference: (switches ? includePreference : undefined) ?? true,
      // get/memory includes tool memories by default, unlike search (M-API, M-CLI).
      includeToolMemory:
        (switches ? includeToolMemory : undefined) ?? !faults.on('tool-memory-default-from-search'),
    },
  };
}
