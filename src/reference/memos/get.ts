import type { MemosRecordBase } from '../dataset.js';
import type { FaultSwitches } from '../faults.js';
import type { Reply } from '../http/types.js';
import { applyLimit, compareIds, finalOrder } from '../ranking.js';
import { MEMOS_CODES, memosError, memosProblemReply } from './errors.js';
import { passes } from './filter.js';
import { presentFact, presentPreference, presentToolMemory } from './present.js';
import { type MemosGetInput, parseGet } from './request.js';
import type { MemosKind, MemosRecords, MemosStore } from './store.js';

/**
 * POST /get/memory (M-API, M-CLI in docs/sources.md): every list is paged on its own with the same page and size;
 * total = the longest list, pages = ceil(total / size), current = page. A page past the last answers empty
 * lists with the same total and pages.
 */
export function getMemory(store: MemosStore, body: unknown, faults: FaultSwitches): Reply {
  const parsed = parseGet(body, faults);
  if (!parsed.ok) return memosProblemReply(parsed.problem);
  const input = parsed.input;
  if (faults.on('unknown-user-error') && input.userId !== undefined && !store.hasUser(input.userId)) {
    return memosError(404, MEMOS_CODES.notFound, `User not found: ${input.userId}`);
  }

  const facts = listKind(store, 'facts', input, faults);
  const preferences = input.includePreference ? listKind(store, 'preferences', input, faults) : [];
  const tools = input.includeToolMemory ? listKind(store, 'tool_memories', input, faults) : [];
  const total = Math.max(facts.length, preferences.length, tools.length);
  const pages = Math.ceil(total / input.size) + (faults.on('wrong-page-count') ? 1 : 0);

  const provenance = (record: MemosRecordBase) => ({ sources: record.sources, info: record.info });
  return {
    status: 200,
    body: {
      code: 0,
      data: {
        memory_detail_list: page(facts, input, faults).map((fact) =>
          presentFact(fact, provenance(fact), faults),
        ),
        preference_detail_list: page(preferences, input, faults).map((pref) =>
          presentPreference(pref, provenance(pref), faults),
        ),
        tool_memory_detail_list: page(tools, input, faults).map((tool) =>
          presentToolMemory(tool, provenance(tool), faults),
        ),
        total,
        size: input.size,
        current: input.page,
        pages,
      },
      message: 'ok',
    },
  };
}

/**
 * One kind's memories in a stable order, newest first and then by id, so consecutive pages never overlap
 * or skip (the order itself is undocumented, M-API in docs/sources.md).
 */
function listKind<K extends MemosKind>(
  store: MemosStore,
  kind: K,
  input: MemosGetInput,
  faults: FaultSwitches,
): MemosRecords[K][] {
  return store
    .recordsOf(kind, input, faults)
    .filter(({ record, owner }) => passes(input.filter, record, owner, faults))
    .map(({ record }) => record)
    .sort((a, b) => b.create_time - a.create_time || compareIds(a.id, b.id));
}

function page<T>(items: readonly T[], input: MemosGetInput, faults: FaultSwitches): T[] {
  const start = input.pageIndex * input.size;
  // overlapping-pages: every page after the first starts one item early, repeating the previous page's last.
  const offset = faults.on('overlapping-pages') && input.pageIndex > 0 ? start - 1 : start;
  return finalOrder(applyLimit(items.slice(offset), input.size, faults), faults);
}
