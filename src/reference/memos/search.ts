import type { FaultSwitches } from '../faults.js';
import type { Reply } from '../http/types.js';
import { applyThreshold, finalOrder, type Ranked, topByScore } from '../ranking.js';
import { MEMOS_CODES, memosError, memosProblemReply } from './errors.js';
import { passes } from './filter.js';
import { PREFERENCE_NOTE, presentFact, presentPreference, presentToolMemory } from './present.js';
import { type MemosSearchInput, parseSearch } from './request.js';
import type { MemosKind, MemosRecords, MemosStore } from './store.js';

/**
 * How much a memory from the request's conversation_id gains: it closes a quarter of the gap to 1.
 * "Boosts memories of that conversation, does not restrict" (M-API, M-SRCH in docs/sources.md, M-SRCH).
 */
const CONVERSATION_BOOST = 0.25;

/** POST /search/memory (M-API, M-SRCH in docs/sources.md). */
export function searchMemory(store: MemosStore, body: unknown, faults: FaultSwitches): Reply {
  const parsed = parseSearch(body, faults);
  if (!parsed.ok) return memosProblemReply(parsed.problem);
  const input = parsed.input;
  if (faults.on('unknown-user-error') && input.userId !== undefined && !store.hasUser(input.userId)) {
    return memosError(404, MEMOS_CODES.notFound, `User not found: ${input.userId}`);
  }

  const facts = rankKind(store, 'facts', input, input.memoryLimit, faults);
  const preferences = input.includePreference
    ? rankKind(store, 'preferences', input, input.preferenceLimit, faults)
    : [];
  // tool_memory_limit_number only applies when include_tool_memory is true (M-API).
  const tools = input.includeToolMemory
    ? rankKind(store, 'tool_memories', input, input.toolMemoryLimit, faults)
    : [];

  const data: Record<string, unknown> = {
    memory_detail_list: facts.map(({ item, score }) => presentFact(item, { relativity: score }, faults)),
    preference_detail_list: preferences.map(({ item, score }) =>
      presentPreference(item, { relativity: score }, faults),
    ),
    // Present as [] when unused, as in the Dec-2025 live example (M-MM).
    tool_memory_detail_list: tools.map(({ item, score }) =>
      presentToolMemory(item, { relativity: score }, faults),
    ),
    preference_note: preferences.length > 0 ? PREFERENCE_NOTE : '',
  };
  // The reference dataset holds no skills; the list appears (empty) only when asked for, as in M-API 2026.
  if (input.includeSkill) data.skill_detail_list = [];
  return { status: 200, body: { code: 0, data, message: 'ok' } };
}

function rankKind<K extends MemosKind>(
  store: MemosStore,
  kind: K,
  input: MemosSearchInput,
  limit: number,
  faults: FaultSwitches,
): Ranked<MemosRecords[K]>[] {
  const relevance = store.scorer(kind, input.query);
  const candidates = store
    .recordsOf(kind, input, faults, true)
    .filter(({ record, owner }) => passes(input.filter, record, owner, faults));
  const scored = candidates.map(({ record }) => {
    const base = relevance(record.id);
    const boosted =
      base > 0 && input.conversationId !== undefined && record.conversation_id === input.conversationId
        ? Math.round((base + (1 - base) * CONVERSATION_BOOST) * 1e6) / 1e6
        : base;
    return { item: record, id: record.id, score: boosted };
  });
  return finalOrder(topByScore(applyThreshold(scored, input.relativity, faults), limit, faults), faults);
}
