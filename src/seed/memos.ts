import type { MemosUser, ReferenceDataset } from '../reference/dataset.js';
import { matchByContent } from './recall.js';
import {
  BATCH_SIZE,
  chunks,
  type Namespace,
  namespacedVariables,
  probeQuery,
  SeedLedger,
  type SeedSession,
  SeedWriteError,
  type WaitProbe,
} from './session.js';
import { callOperation, describeFailure, type SeedTarget, succeeded } from './transport.js';

/** One add/message request's worth: messages that share user, conversation, tags and info. */
interface MessageGroup {
  readonly user: string;
  readonly conversationId: string;
  readonly tags: readonly string[];
  readonly info: Readonly<Record<string, unknown>>;
  readonly agentId?: string;
  readonly appId?: string;
  readonly messages: { fixtureId: string; messages: object[]; text: string }[];
}

/**
 * Seeds a MemOS target through `POST /add/message` (M-API) with `async_mode: false`: each fact and each
 * preference is a user message stating it, each tool memory an assistant tool call and the tool's answer;
 * users are run-scoped. MemOS extracts the memories itself and answers no ids, so the created memories are
 * read back with `get/memory` under the run-scoped users, and cleaned up by id with `POST /delete/memory`.
 */
export function memosSession(
  dataset: ReferenceDataset['memos'],
  namespace: Namespace,
  target: SeedTarget,
  suiteVariables: Readonly<Record<string, string>>,
): SeedSession {
  const ledger = new SeedLedger();
  const mapping = new Map(dataset.users.map((user) => [user.user_id, namespace.id(user.user_id)]));
  const groups = dataset.users.flatMap((user) => groupsOf(user, mapping.get(user.user_id) as string));

  /** Every memory id the target holds for one seeded user, over all pages and lists. */
  const listIds = async (user: string): Promise<string[]> => {
    const ids: string[] = [];
    for (let page = 1; page <= 100; page += 1) {
      const exchange = await callOperation(target, 'getMemory', {
        body: { user_id: user, page, size: 50, include_preference: true, include_tool_memory: true },
      });
      if (!succeeded(exchange)) break;
      const data = (exchange.response?.json as { data?: Record<string, unknown> } | undefined)?.data ?? {};
      let onPage = 0;
      for (const list of ['memory_detail_list', 'preference_detail_list', 'tool_memory_detail_list']) {
        for (const item of (data[list] as { id?: unknown }[] | undefined) ?? []) {
          if (typeof item?.id === 'string') ids.push(item.id);
          onPage += 1;
        }
      }
      const pages = typeof data.pages === 'number' ? data.pages : page;
      if (onPage === 0 || page >= pages) break;
    }
    return ids;
  };

  return {
    api: 'memos',
    ledger,
    variables: namespacedVariables(suiteVariables, mapping),
    async write() {
      for (const group of groups) {
        for (const batch of chunks(group.messages, BATCH_SIZE)) {
          const exchange = await callOperation(target, 'addMessage', {
            body: {
              user_id: group.user,
              conversation_id: group.conversationId,
              messages: batch.flatMap((entry) => entry.messages),
              ...(group.tags.length > 0 ? { tags: group.tags } : {}),
              ...(Object.keys(group.info).length > 0 ? { info: group.info } : {}),
              ...(group.agentId === undefined ? {} : { agent_id: group.agentId }),
              ...(group.appId === undefined ? {} : { app_id: group.appId }),
              async_mode: false,
            },
          });
          if (!succeeded(exchange))
            throw new SeedWriteError(`memos add/message refused: ${describeFailure(exchange)}`);
          ledger.written += batch.length;
          for (const entry of batch) ledger.texts.set(entry.fixtureId, entry.text);
        }
      }
    },
    probes(): WaitProbe[] {
      return dataset.users
        .filter((user) => user.facts.length > 0)
        .map((user) => {
          const id = mapping.get(user.user_id) as string;
          return {
            user: id,
            probe: async () => {
              const exchange = await callOperation(target, 'searchMemory', {
                body: {
                  user_id: id,
                  query: probeQuery(user.facts.map((f) => f.memory_value)),
                  relativity: 0,
                },
              });
              const data = (
                exchange.response?.json as { data?: { memory_detail_list?: unknown[] } } | undefined
              )?.data;
              return succeeded(exchange) && (data?.memory_detail_list?.length ?? 0) > 0;
            },
          };
        });
    },
    matchedBy: 'content',
    async ask(golden, k) {
      const user = mapping.get(golden.user) ?? golden.user;
      const exchange = await callOperation(target, 'searchMemory', {
        body: {
          user_id: user,
          query: golden.query,
          memory_limit_number: k,
          relativity: 0,
          include_preference: false,
          include_tool_memory: false,
        },
      });
      const data = (exchange.response?.json as { data?: { memory_detail_list?: unknown[] } } | undefined)
        ?.data;
      return (data?.memory_detail_list ?? []).map((item) => {
        const fact = item as { memory_key?: unknown; memory_value?: unknown };
        return matchByContent(
          `${String(fact.memory_key ?? '')} ${String(fact.memory_value ?? '')}`,
          ledger.texts,
        );
      });
    },
    async inventory() {
      for (const user of mapping.values()) for (const id of await listIds(user)) ledger.created.add(id);
    },
    async cleanup() {
      for (const user of mapping.values()) {
        const ids = await listIds(user);
        for (const id of ids) ledger.created.add(id);
        for (const batch of chunks(ids, 50)) {
          const exchange = await callOperation(target, 'deleteMemory', { body: { memory_ids: batch } });
          if (!succeeded(exchange))
            for (const id of batch) ledger.notDeleted.set(id, describeFailure(exchange));
        }
        const left = new Set(await listIds(user));
        for (const id of ids) {
          if (left.has(id)) {
            if (!ledger.notDeleted.has(id))
              ledger.notDeleted.set(id, 'still listed by get/memory after delete/memory');
          } else ledger.deleted.add(id);
        }
      }
    },
  };
}

/** The add/message requests that state one fixture user's memories. */
function groupsOf(user: MemosUser, scopedUser: string): MessageGroup[] {
  const groups = new Map<string, MessageGroup>();
  const add = (
    record: {
      id: string;
      conversation_id: string;
      tags: readonly string[];
      info: object;
      agent_id?: string;
      app_id?: string;
    },
    messages: object[],
    text: string,
  ) => {
    const key = JSON.stringify([
      record.conversation_id,
      record.tags,
      record.info,
      record.agent_id,
      record.app_id,
    ]);
    let group = groups.get(key);
    if (group === undefined) {
      group = {
        user: scopedUser,
        conversationId: record.conversation_id,
        tags: record.tags,
        info: record.info as Record<string, unknown>,
        ...(record.agent_id === undefined ? {} : { agentId: record.agent_id }),
        ...(record.app_id === undefined ? {} : { appId: record.app_id }),
        messages: [],
      };
      groups.set(key, group);
    }
    group.messages.push({ fixtureId: record.id, messages, text });
  };
  for (const fact of user.facts) add(fact, [{ role: 'user', content: fact.memory_value }], fact.memory_value);
  for (const pref of user.preferences)
    add(pref, [{ role: 'user', content: pref.preference }], pref.preference);
  for (const [index, tool] of user.tool_memories.entries()) {
    const callId = `call-${index + 1}`;
    const name = tool.tool_used_status[0]?.used_tool ?? 'tool';
    add(
      tool,
      [
        {
          role: 'assistant',
          content: '',
          tool_calls: [{ id: callId, type: 'function', function: { name, arguments: '{}' } }],
        },
        { role: 'tool', content: tool.tool_value, tool_call_id: callId },
      ],
      tool.tool_value,
    );
  }
  return [...groups.values()];
}
