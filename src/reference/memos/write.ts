import { BodyReader } from '../body-reader.js';
import type { MemosFact, MemosPreference, MemosRecordBase, MemosToolMemory, Scalar } from '../dataset.js';
import type { FaultSwitches } from '../faults.js';
import type { Reply } from '../http/types.js';
import { type Message, readMessages } from '../messages.js';
import { newId } from '../time.js';
import { deletesLand, writesSearchable } from '../writes.js';
import { memosProblemReply } from './errors.js';
import type { MemosStore } from './store.js';

/**
 * The MemOS write endpoints (M-API): POST /add/message and POST /delete/memory.
 *
 * Extraction stand-in. MemOS turns messages into memories with a model; the reference does it by rule, so
 * that what is added is found by the next search:
 * - every user message becomes a fact memory (`memory_value` the text, `memory_key` its first words);
 * - a user message that states a preference (prefer, like, love, enjoy, favour, want, value, dislike, hate,
 *   avoid) also becomes an explicit preference;
 * - a tool message becomes a tool memory, named after the tool the assistant called for it;
 * - assistant and system messages carry no facts about the user and are not stored.
 * Every memory carries the request's conversation_id, tags, info, agent_id and app_id.
 */

const ROLES = ['user', 'assistant', 'system', 'tool'];
const MAX_ID_LENGTH = 100; // M-ERR 40010 / 40011
const PREFERENCE_WORDS =
  /\b(prefer\w*|likes?|loves?|enjoys?|favou?r\w*|wants?|values?|dislikes?|hates?|avoids?)\b/i;

/** POST /add/message. */
export function addMessage(store: MemosStore, body: unknown, faults: FaultSwitches): Reply {
  const reader = new BodyReader(body, faults);
  const userId = reader.string('user_id', { required: true, allowBlank: false, maxLength: MAX_ID_LENGTH });
  const conversationId = reader.string('conversation_id', {
    required: true,
    allowBlank: false,
    maxLength: MAX_ID_LENGTH,
  });
  const messages = readMessages(reader, { roles: ROLES, parts: true });
  const agentId = reader.string('agent_id');
  const appId = reader.string('app_id');
  const tags = reader.stringArray('tags');
  const info = reader.object('info');
  reader.boolean('allow_public');
  reader.stringArray('allow_knowledgebase_ids');
  const asyncMode = reader.boolean('async_mode');
  reader.string('source'); // sent by the newest client (M-CLI)
  if (info !== undefined) {
    for (const [key, value] of Object.entries(info)) {
      const fine =
        typeof value === 'string' ||
        typeof value === 'number' ||
        (Array.isArray(value) && value.every((entry) => typeof entry === 'string'));
      if (!fine)
        reader.report({
          field: `info.${key}`,
          kind: 'invalid',
          detail: `info.${key} must be a string, number or list of strings`,
        });
    }
  }
  const problems = reader.finish();
  if (problems[0] !== undefined) return memosProblemReply(problems[0]);

  const owner = userId ?? '';
  const now = Date.now();
  const base = (message: Message, index: number): MemosRecordBase => ({
    id: newId(),
    create_time: now + index, // distinct times keep get/memory's newest-first order stable
    update_time: now + index,
    conversation_id: conversationId ?? '',
    status: 'activated',
    info: (info ?? {}) as Record<string, Scalar>,
    sources: [
      {
        type: 'chat',
        role: message.role,
        chat_time:
          typeof message.extra.chat_time === 'string' ? message.extra.chat_time : new Date(now).toISOString(),
        message_id: newId().slice(0, 8),
        content: message.content,
        lang: 'en',
      },
    ],
    tags: tags ?? [],
    ...(agentId === undefined ? {} : { agent_id: agentId }),
    ...(appId === undefined ? {} : { app_id: appId }),
  });
  const searchable = writesSearchable(faults);
  messages.forEach((message, index) => {
    if (message.content.trim() === '') return;
    if (message.role === 'user') {
      store.add('facts', owner, fact(base(message, index), message), searchable);
      if (PREFERENCE_WORDS.test(message.content))
        store.add('preferences', owner, preference(base(message, index), message), searchable);
    } else if (message.role === 'tool') {
      store.add('tool_memories', owner, toolMemory(base(message, index), message, messages), searchable);
    }
  });
  const status = asyncMode === false ? 'completed' : 'running';
  return { status: 200, body: { code: 0, data: { success: true, task_id: newId(), status }, message: 'ok' } };
}

function fact(base: MemosRecordBase, message: Message): MemosFact {
  const words = message.content.trim().split(/\s+/);
  const key = words
    .slice(0, 8)
    .join(' ')
    .replace(/[.,;:!?]+$/, '');
  return {
    ...base,
    memory_key: words.length > 8 ? `${key}…` : key,
    memory_value: message.content,
    memory_type: 'WorkingMemory',
    confidence: 0.99,
  };
}

function preference(base: MemosRecordBase, message: Message): MemosPreference {
  return {
    ...base,
    preference_type: 'explicit_preference',
    preference: message.content,
    reasoning: `Stated by the user in conversation ${base.conversation_id}.`,
  };
}

function toolMemory(base: MemosRecordBase, message: Message, all: readonly Message[]): MemosToolMemory {
  const callId = message.extra.tool_call_id;
  const call = all
    .flatMap((m) =>
      Array.isArray(m.extra.tool_calls) ? (m.extra.tool_calls as Record<string, unknown>[]) : [],
    )
    .find((c) => c?.id === callId);
  const name = (call?.function as { name?: unknown } | undefined)?.name;
  const tool = typeof name === 'string' && name !== '' ? name : 'tool';
  return {
    ...base,
    tool_type: 'ToolTrajectoryMemory',
    tool_value: message.content,
    tool_used_status: [
      { used_tool: tool, error_type: '', success_rate: 1, tool_experience: message.content },
    ],
    experience: message.content,
  };
}

/** POST /delete/memory: deletes the memories with the given ids (ids that do not exist are skipped). */
export function deleteMemory(store: MemosStore, body: unknown, faults: FaultSwitches): Reply {
  const reader = new BodyReader(body, faults);
  const ids = reader.stringArray('memory_ids', { required: true });
  if (ids !== undefined && ids.length === 0) reader.report({ field: 'memory_ids', kind: 'required' });
  const problems = reader.finish();
  if (problems[0] !== undefined) return memosProblemReply(problems[0]);
  if (deletesLand(faults)) store.delete(new Set(ids ?? []));
  return { status: 200, body: { code: 0, data: { success: true }, message: 'ok' } };
}
