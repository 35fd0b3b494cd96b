import { isRecord } from '../json.js';
import {
  type Answer,
  concludeEach,
  effectiveValue,
  judgeAnswers,
  type ListName,
  listNamed,
  requestOf,
} from './results.js';
import type { CaseContext, Check, CheckOutcome, FindingDraft, StepResult } from './types.js';

/**
 * MemOS switches and the lists they empty. Defaults come from the spec: search includes preferences and
 * leaves tool memories out, get includes both (M-API, M-CLI in docs/sources.md).
 */
const MEMOS_SWITCHES: readonly { field: string; list: ListName }[] = [
  { field: 'include_preference', list: 'preference' },
  { field: 'include_tool_memory', list: 'tool' },
  { field: 'include_skill', list: 'skill' },
];

/** Request switches that leave a kind of memory (or an envelope) out are honoured. */
export const typeSwitchesHonoured: Check = {
  id: 'type-switches-honoured',
  title: 'Type switches honoured',
  description:
    'Switches select what comes back: MemOS include_preference/include_tool_memory false empty those lists, MemMachine types keep the requested memory keys and omit the others ([] = all), Mem0 output_format picks array (v1.0) or {results} (v1.1).',
  severity: 'error',
  category: 'behaviour',
  sources: ['M-API', 'Z-OAS', 'MM-RT', 'MM-ISS702'],
  operations: ['memos.searchMemory', 'memos.getMemory', 'mem0.searchMemories', 'memmachine.searchMemories'],
  run(context): CheckOutcome {
    const applies = (applicable: readonly StepResult[]) =>
      applicable.some((result) => switchesOff(context, result));
    return judgeAnswers(context, this.operations, applies, (answers) =>
      concludeEach(
        answers,
        (answer) => judge(context, answer),
        'no answered step switched a memory type off',
      ),
    );
  },
};

/** True when the step's request selects something the check can verify. */
function switchesOff(context: CaseContext, result: StepResult): boolean {
  const request = requestOf(result);
  switch (context.target.api) {
    case 'memos':
      return MEMOS_SWITCHES.some(
        ({ field }) => effectiveValue(context.spec, result.step.operation, request, field) === false,
      );
    case 'memmachine':
      return Array.isArray(request.types);
    case 'mem0':
      return outputFormat(request) !== undefined;
  }
}

/** Findings for one answer, or undefined when its request switched nothing off. */
function judge(context: CaseContext, answer: Answer): FindingDraft[] | undefined {
  if (context.target.api === 'memos') {
    const off = MEMOS_SWITCHES.filter(
      ({ field }) => effectiveValue(context.spec, answer.operation, answer.request, field) === false,
    );
    if (off.length === 0) return undefined;
    return off.flatMap(({ field, list: name }) => {
      const list = listNamed(answer, name);
      if (list === undefined || list.items.length === 0) return [];
      return [
        {
          step: answer.name,
          pointer: list.pointer,
          message: `Expected no ${name} items (${field} is false) / Received ${list.items.length}`,
          expected: 0,
          actual: list.items.length,
        },
      ];
    });
  }
  if (context.target.api === 'memmachine') {
    if (!Array.isArray(answer.request.types)) return undefined;
    const excluded = excludedTypes(answer.request);
    const content = isRecord(answer.body) && isRecord(answer.body.content) ? answer.body.content : {};
    const types = JSON.stringify(answer.request.types);
    return (['episodic', 'semantic'] as const).flatMap((type) => {
      const key = `${type}_memory`;
      const wanted = !excluded.includes(type);
      if (wanted === key in content) return [];
      return [
        {
          step: answer.name,
          pointer: `/content/${key}`,
          message: wanted
            ? `Expected the ${key} key (types ${types} asks for it${types === '[]' ? ': [] means all types' : ''}) / Received no such key`
            : `Expected no ${key} key (types ${types}) / Received the key`,
          expected: wanted ? 'present' : 'absent',
          actual: wanted ? 'absent' : content[key],
        },
      ];
    });
  }
  const format = outputFormat(answer.request);
  if (format === undefined) return undefined;
  const body = answer.body;
  const ok = format === 'v1.0' ? Array.isArray(body) : isRecord(body) && Array.isArray(body.results);
  if (ok) return [];
  return [
    {
      step: answer.name,
      pointer: '',
      message: `Expected ${format === 'v1.0' ? 'a bare JSON array' : 'an object with a results array'} (output_format ${format}) / Received ${Array.isArray(body) ? 'an array' : 'an object without a results array'}`,
      expected: format === 'v1.0' ? 'array' : '{results: [...]}',
      actual: Array.isArray(body) ? 'array' : 'object',
    },
  ];
}

/**
 * MemMachine memory types a request leaves out: `[]`/absent means all (MM-SPEC), else the ones not listed
 * (MM-RT, MM-ISS702). The route omits only null values (response_model_exclude_none), so a requested type's
 * key is always there, with empty lists when nothing matched.
 */
function excludedTypes(request: Readonly<Record<string, unknown>>): ('episodic' | 'semantic')[] {
  const types = request.types;
  if (!Array.isArray(types) || types.length === 0) return [];
  return (['episodic', 'semantic'] as const).filter((type) => !types.includes(type));
}

/** Mem0 envelope asked for: absent/null/`v1.0` is the bare array, `v1.1` the object (Z-OAS). */
function outputFormat(request: Readonly<Record<string, unknown>>): 'v1.0' | 'v1.1' | undefined {
  const format = request.output_format;
  if (format === undefined || format === null || format === 'v1.0') return 'v1.0';
  return format === 'v1.1' ? 'v1.1' : undefined;
}
