import { MEM0_SEARCHES } from './protocol-support.js';
import {
  type Answer,
  conclude,
  effectiveNumber,
  judgeAnswers,
  type ListName,
  specMaximum,
} from './results.js';
import type { Check, CheckOutcome, FindingDraft, SpecView } from './types.js';

/**
 * The request field that caps each list. MemOS search: one limit per list (M-API, max 25); MemOS get: `size`
 * per list (M-API, max 50); Mem0: `top_k` (Z-OAS); MemMachine: `top_k` per list, long-term neighbours added
 * by `expand_context` included (MM-MAIN, MM-EPI, MM-DECL in docs/sources.md).
 */
const LIMIT_FIELDS: Readonly<Record<string, Partial<Record<ListName, string>>>> = {
  'memos.searchMemory': {
    memory: 'memory_limit_number',
    preference: 'preference_limit_number',
    tool: 'tool_memory_limit_number',
    skill: 'skill_limit_number',
  },
  'memos.getMemory': { memory: 'size', preference: 'size', tool: 'size', skill: 'size' },
  'mem0.searchMemories': { results: 'top_k' },
  'mem0.searchMemoriesV2': { results: 'top_k' },
  'mem0.searchMemoriesV3': { results: 'top_k' },
  'memmachine.searchMemories': { 'short-term': 'top_k', 'long-term': 'top_k', semantic: 'top_k' },
};

/** Each result list holds no more items than the request's limit (or the spec's default limit). */
export const resultLimitRespected: Check = {
  id: 'result-limit-respected',
  title: 'Result limit respected',
  description:
    'Each result list holds at most as many items as the request allows: Mem0 top_k, MemOS memory/preference/tool limits and get size, MemMachine top_k per list.',
  severity: 'error',
  category: 'behaviour',
  sources: ['M-API', 'M-LIM', 'Z-OAS', 'MM-MAIN', 'MM-EPI'],
  operations: ['memos.searchMemory', 'memos.getMemory', ...MEM0_SEARCHES, 'memmachine.searchMemories'],
  run(context): CheckOutcome {
    return judgeAnswers(context, this.operations, (answers) => {
      const findings: FindingDraft[] = [];
      let judged = false;
      for (const answer of answers) {
        const fields = LIMIT_FIELDS[`${context.target.api}.${answer.operation}`] ?? {};
        for (const list of answer.lists) {
          const field = fields[list.name];
          if (field === undefined || !list.present) continue;
          const limit = limitOf(context.spec, answer, field);
          if (limit === undefined) continue;
          if (list.items.length > 0) judged = true;
          if (list.items.length > limit) {
            findings.push({
              step: answer.name,
              pointer: list.pointer,
              message: `Expected at most ${limit} items in ${list.name} list (${field}) / Received ${list.items.length}`,
              expected: limit,
              actual: list.items.length,
            });
          }
        }
      }
      return conclude(findings, judged, 'every result list was empty, so no limit could be exceeded');
    });
  },
};

/** The request's limit (spec default when unset), capped at the spec's maximum. */
function limitOf(spec: SpecView, answer: Answer, field: string): number | undefined {
  const requested = effectiveNumber(spec, answer.operation, answer.request, field);
  const maximum = specMaximum(spec, answer.operation, field);
  if (requested === undefined) return maximum;
  return maximum === undefined ? requested : Math.min(requested, maximum);
}
