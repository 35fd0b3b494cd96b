import { notApplicable } from './outcome.js';
import {
  type Answer,
  canonicalBody,
  caseAnswers,
  conclude,
  type ListName,
  type ResultList,
  requestOf,
} from './results.js';
import type { Check, CheckOutcome, FindingDraft, SpecView } from './types.js';

/**
 * A documented default is the value a server uses when the field is left out (or sent as null, as the
 * official MemOS client sends unset fields, M-CLI): so two steps of a case whose bodies differ only in
 * leaving a field out versus sending its spec default must get the same memories. This tells each default
 * from its alternatives on any dataset: get/memory `page` 1 (a 0-based server answers the second page),
 * `size` 10, `include_tool_memory` true (unlike search), search `include_preference` true and
 * `include_tool_memory` false, `memory_limit_number` 9, Mem0 `top_k` 10, MemMachine `types: []` = all.
 * Defaults come from the spec (M-API, Z-OAS, MM-SPEC); a default under `x-memconform-warn` is judged at
 * warning level. Lists are compared as sets: order is `stable-results`' business.
 */
export const documentedDefaultsApplied: Check = {
  id: 'documented-defaults-applied',
  title: 'Documented defaults applied',
  description:
    "Steps that differ only in leaving a field out versus sending the spec's default get the same memories in every list (MemOS page/size/include_* and limits, Mem0 top_k, MemMachine types).",
  severity: 'error',
  category: 'behaviour',
  sources: ['M-API', 'Z-OAS', 'MM-SPEC'],
  operations: ['memos.searchMemory', 'memos.getMemory', 'mem0.searchMemories', 'memmachine.searchMemories'],
  run(context): CheckOutcome {
    const { applicable, answers } = caseAnswers(context, this.operations);
    const pairs = <T>(items: readonly T[], of: (item: T) => Request) =>
      items.flatMap((a, i) =>
        items
          .slice(i + 1)
          .flatMap((b) => (relyOnDefault(context.spec, of(a), of(b)) ? [[a, b] as const] : [])),
      );
    const fromStep = (r: (typeof applicable)[number]): Request => ({
      operation: r.step.operation,
      request: requestOf(r),
    });
    if (pairs(applicable, fromStep).length === 0) return notApplicable();
    const findings: FindingDraft[] = [];
    let judged = false;
    for (const [a, b] of pairs(answers, (answer) => answer)) {
      // Report on the step that relied on the default; the other one spelled it out.
      const [implicit, explicit] = leftOut(a, b).length > 0 ? [a, b] : [b, a];
      const fields = leftOut(implicit, explicit);
      const warn = fields.some(
        (field) =>
          context.spec.requestProperty(explicit.operation, field)?.['x-memconform-warn'] !== undefined,
      );
      for (const name of listNames(a, b)) {
        const mine = listOf(implicit, name);
        const theirs = listOf(explicit, name);
        if (mine.ids.length + theirs.ids.length > 0) judged = true;
        if (sameMembers(mine.ids, theirs.ids)) continue;
        const sent = fields.map((field) => `${field}: ${JSON.stringify(explicit.request[field])}`).join(', ');
        const missing = theirs.ids.filter((id) => !mine.ids.includes(id)).length;
        const extra = mine.ids.filter((id) => !theirs.ids.includes(id)).length;
        findings.push({
          step: implicit.name,
          pointer: mine.pointer,
          message: `Expected the same ${name} items as step ${explicit.name}, which sends the documented default (${sent}) / Received ${mine.ids.length} items: ${missing} of its ${theirs.ids.length} missing, ${extra} others`,
          expected: theirs.ids.length,
          actual: mine.ids.length,
          ...(warn ? { severity: 'warning' as const } : {}),
        });
      }
    }
    return conclude(findings, judged, 'every answer compared held no memory');
  },
};

interface Request {
  readonly operation: string;
  readonly request: Readonly<Record<string, unknown>>;
}

/**
 * True when two requests differ as written but not once every field left out (or null) takes the spec's
 * default: one of them relies on a documented default the other spells out.
 */
function relyOnDefault(spec: SpecView, a: Request, b: Request): boolean {
  if (a.operation !== b.operation || canonicalBody(a.request) === canonicalBody(b.request)) return false;
  const keys = new Set([...Object.keys(a.request), ...Object.keys(b.request)]);
  const effective = (request: Request['request'], key: string): unknown => {
    const sent = request[key];
    return sent === undefined || sent === null ? spec.requestProperty(a.operation, key)?.default : sent;
  };
  const canonical = (request: Request['request'], key: string) =>
    canonicalBody({ value: effective(request, key) ?? null });
  return [...keys].every((key) => canonical(a.request, key) === canonical(b.request, key));
}

/** Fields `a` leaves out (absent or null) that `b` sends. */
function leftOut(a: Answer, b: Answer): string[] {
  return Object.keys(b.request).filter(
    (key) => b.request[key] !== null && (a.request[key] === undefined || a.request[key] === null),
  );
}

function listNames(a: Answer, b: Answer): ListName[] {
  return [...new Set([...a.lists, ...b.lists].map((list) => list.name))];
}

/** A list's ids (`(no id)` for items without one) and pointer; an absent list is empty. */
function listOf(answer: Answer, name: ListName): { ids: string[]; pointer: string } {
  const list: ResultList | undefined = answer.lists.find((l) => l.name === name);
  const pointer = list?.pointer ?? '';
  if (list === undefined || !list.present) return { ids: [], pointer };
  return { ids: list.items.map((item) => item.id ?? '(no id)'), pointer };
}

function sameMembers(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  const sorted = (ids: readonly string[]) => [...ids].sort().join('\n');
  return sorted(a) === sorted(b);
}
