import type { MemosFact, MemosPreference, MemosRecordBase, MemosToolMemory } from '../dataset.js';
import type { FaultSwitches } from '../faults.js';

/**
 * The MemOS item shapes (M-API, M-MM in docs/sources.md; for
 * get/memory). Search items carry `relativity`; get items carry `sources` and `info` instead.
 */

/** Shown after the preferences, verbatim from the live examples (SEED0); "" when there are none. */
export const PREFERENCE_NOTE =
  "\n# Note:\nFact memory are summaries of facts, while preference memory are summaries of user preferences.\nYour response must not violate any of the user's preferences, whether explicit or implicit, and briefly explain why you answer this way to avoid conflicts.\n";

/** Search answers add relevance; get answers add provenance. */
export type Extra =
  | { readonly relativity: number }
  | { readonly sources: readonly object[]; readonly info: object };

function times(record: MemosRecordBase, faults: FaultSwitches) {
  // Live answers carry integer ms epochs (SEED0, M-MM); the fault sends the ISO string the vendor spec claims.
  if (faults.on('wrong-field-type')) {
    return {
      create_time: new Date(record.create_time).toISOString(),
      update_time: new Date(record.update_time).toISOString(),
    };
  }
  return { create_time: record.create_time, update_time: record.update_time };
}

/** A memory_detail_list item. */
export function presentFact(fact: MemosFact, extra: Extra, faults: FaultSwitches): object {
  const { create_time, update_time } = times(fact, faults);
  return {
    id: fact.id,
    memory_key: fact.memory_key,
    memory_value: fact.memory_value,
    memory_type: fact.memory_type,
    create_time,
    conversation_id: fact.conversation_id,
    status: fact.status,
    confidence: fact.confidence,
    tags: fact.tags,
    update_time,
    ...extra,
  };
}

/** A preference_detail_list item. */
export function presentPreference(preference: MemosPreference, extra: Extra, faults: FaultSwitches): object {
  const { create_time, update_time } = times(preference, faults);
  return {
    id: preference.id,
    preference_type: preference.preference_type,
    preference: preference.preference,
    reasoning: preference.reasoning,
    create_time,
    conversation_id: preference.conversation_id,
    status: preference.status,
    update_time,
    ...extra,
  };
}

/** A tool_memory_detail_list item. */
export function presentToolMemory(tool: MemosToolMemory, extra: Extra, faults: FaultSwitches): object {
  const { create_time, update_time } = times(tool, faults);
  return {
    id: tool.id,
    tool_type: tool.tool_type,
    tool_value: tool.tool_value,
    tool_used_status: tool.tool_used_status,
    create_time,
    conversation_id: tool.conversation_id,
    status: tool.status,
    update_time,
    experience: tool.experience,
    ...extra,
  };
}
