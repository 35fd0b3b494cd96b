import type { ApiName } from '../apis.js';
import { escapePointer } from '../json.js';
import { machineFilterEqualities, mem0FilterConjuncts } from './filters.js';
import { MEM0_SEARCHES } from './protocol-support.js';
import { type Answer, conclude, idsOf, judgeAnswers, type ListName, requestOf } from './results.js';
import type { Check, CheckOutcome, FindingDraft, StepResult, TargetInfo } from './types.js';

/** Mem0 entity ids; results are the AND of the ids supplied (Z-OAS in docs/sources.md). */
const MEM0_ENTITIES = ['user_id', 'agent_id', 'app_id', 'run_id'] as const;

/** A v2/v3 filter value that matches any id (Z-DOCS `search-memories.mdx`): it names no owner. */
const MEM0_WILDCARD = '*';

/** Lists scoped by the owner: MemMachine semantic features are per set, not filtered by episode metadata. */
const SCOPED_LISTS: Readonly<Record<ApiName, readonly ListName[]>> = {
  memos: ['memory', 'preference', 'tool', 'skill'],
  mem0: ['results'],
  memmachine: ['short-term', 'long-term'],
};

/** The scope key for MemMachine projects: results of two different projects must be disjoint. */
const PROJECT = 'project';

/**
 * The owner a request scopes to, as key -> value: MemOS `user_id` ("each retrieval targets a single user",
 * M-SRCH), Mem0 entity ids, MemMachine `metadata.user_id` equality in the filter and the project (isolation
 * there is by org/project; user scoping is a metadata filter, MM-SVC, MM-PLAT). The self-hosted server
 * defaults org and project to "universal" (MM-SPEC); the hosted Platform takes the org from the key and an
 * empty project_id means the key's default project, whose name memconform cannot know.
 */
function scopeOf(target: TargetInfo, request: Readonly<Record<string, unknown>>): Map<string, string> {
  const scope = new Map<string, string>();
  const api = target.api;
  if (api === 'memos' && typeof request.user_id === 'string') scope.set('user_id', request.user_id);
  if (api === 'mem0') {
    // v1 names the ids at the top level, v2/v3 inside `filters` (its top level and AND members).
    for (const source of [request, ...mem0FilterConjuncts(request)]) {
      for (const key of MEM0_ENTITIES) {
        const value = source[key];
        if (typeof value === 'string' && value !== MEM0_WILDCARD) scope.set(key, value);
      }
    }
  }
  if (api === 'memmachine') {
    const user = machineFilterEqualities(request.filter)?.find((equality) => equality.key === 'user_id');
    // Text form: the typed comparison is filter-narrows-results' job; here only owners are compared.
    if (user) scope.set('metadata.user_id', String(user.value));
    const named = (value: unknown) => (typeof value === 'string' && value !== '' ? value : undefined);
    if (target.flavour === 'self-hosted') {
      scope.set(
        PROJECT,
        `${named(request.org_id) ?? 'universal'}/${named(request.project_id) ?? 'universal'}`,
      );
    } else {
      const project = named(request.project_id);
      if (project !== undefined) scope.set(PROJECT, project);
    }
  }
  return scope;
}

/** The key on which two scopes name different owners, if any (their results must then be disjoint). */
function conflict(a: Map<string, string>, b: Map<string, string>): string | undefined {
  for (const [key, value] of a) {
    const other = b.get(key);
    if (other !== undefined && other !== value) return key;
  }
  return undefined;
}

/** Results belong only to the owner the request names; one owner's memories never show up for another. */
export const noCrossUserLeak: Check = {
  id: 'no-cross-user-leak',
  title: 'No cross-user leak',
  description:
    'Results belong to the requested owner only: Mem0 items carry the requested entity ids, MemMachine episodes the filtered metadata.user_id, and no id comes back for two different users in one case.',
  severity: 'error',
  category: 'behaviour',
  sources: ['M-SRCH', 'Z-OAS', 'MM-SVC', 'MM-PLAT'],
  operations: ['memos.searchMemory', 'memos.getMemory', ...MEM0_SEARCHES, 'memmachine.searchMemories'],
  run(context): CheckOutcome {
    const api = context.target.api;
    const applies = (applicable: readonly StepResult[]) => {
      const scopes = applicable.map((result) => scopeOf(context.target, requestOf(result)));
      // Items name their owner only in Mem0 (entity ids) and MemMachine episodes (metadata.user_id).
      const perStep = scopes.some(
        (scope) => scope.has('metadata.user_id') || (api === 'mem0' && scope.size > 0),
      );
      const pairs = scopes.some((a, i) => scopes.slice(i + 1).some((b) => conflict(a, b) !== undefined));
      return perStep || pairs;
    };
    return judgeAnswers(context, this.operations, applies, (answers) => {
      const findings: FindingDraft[] = [];
      let judged = false;
      const lists = SCOPED_LISTS[api];
      for (const answer of answers) {
        const result = ownerFindings(api, answer, scopeOf(context.target, answer.request), lists);
        judged ||= result.judged;
        findings.push(...result.findings);
      }
      for (const [i, later] of answers.entries()) {
        for (const earlier of answers.slice(0, i)) {
          const key = conflict(
            scopeOf(context.target, earlier.request),
            scopeOf(context.target, later.request),
          );
          if (key === undefined) continue;
          // Another project shares nothing at all; another user's filter scopes episodes only.
          const scoped = (answer: Answer) =>
            answer.lists.filter((list) => key === PROJECT || lists.includes(list.name));
          const earlierIds = new Set(idsOf(scoped(earlier)));
          if (earlierIds.size === 0 || idsOf(scoped(later)).length === 0) continue;
          judged = true;
          const shared = scoped(later).flatMap((list) =>
            list.items.filter((item) => item.id && earlierIds.has(item.id)),
          );
          const first = shared[0];
          if (first === undefined) continue;
          findings.push({
            step: later.name,
            pointer: first.idPointer,
            message: `Expected no memory returned for ${key} ${scopeOf(context.target, earlier.request).get(key)} (step ${earlier.name}) to come back for ${scopeOf(context.target, later.request).get(key)} / Received ${first.id} for both`,
            expected: 'disjoint results',
            actual: first.id,
            count: shared.length,
          });
        }
      }
      return conclude(
        findings,
        judged,
        'no returned item carried an owner, and no two owners both got results',
      );
    });
  },
};

/** Items that name an owner other than the requested one (Mem0 entity ids, MemMachine metadata.user_id). */
function ownerFindings(
  api: ApiName,
  answer: Answer,
  scope: Map<string, string>,
  lists: readonly ListName[],
): { judged: boolean; findings: FindingDraft[] } {
  if (api === 'memos') return { judged: false, findings: [] };
  let judged = false;
  const findings: FindingDraft[] = [];
  for (const list of answer.lists) {
    if (!lists.includes(list.name)) continue;
    for (const [key, expected] of scope) {
      // Items do not say which project they come from; projects are compared across steps only.
      if (key === PROJECT) continue;
      const wrong: { pointer: string; actual: unknown }[] = [];
      for (const item of list.items) {
        const read = ownerValue(item.value, key);
        // Mem0 items restricted by `fields` may lack the key: nothing to compare. null is a real answer.
        if (read === undefined) continue;
        judged = true;
        if (read.value === null || String(read.value) !== expected) {
          wrong.push({ pointer: `${item.pointer}${read.path}`, actual: read.value });
        }
      }
      const first = wrong[0];
      if (first === undefined) continue;
      findings.push({
        step: answer.name,
        pointer: first.pointer,
        message: `Expected every ${list.name} item to belong to ${key} ${expected} / Received ${JSON.stringify(first.actual) ?? 'no value'}`,
        expected,
        actual: first.actual,
        count: wrong.length,
      });
    }
  }
  return { judged, findings };
}

/** The owner field of an item and its path: top-level for Mem0, `metadata.user_id` for MemMachine. */
function ownerValue(
  item: Readonly<Record<string, unknown>>,
  key: string,
): { value: unknown; path: string } | undefined {
  if (key.startsWith('metadata.')) {
    const name = key.slice('metadata.'.length);
    const metadata = item.metadata;
    const value =
      typeof metadata === 'object' && metadata !== null
        ? (metadata as Record<string, unknown>)[name]
        : undefined;
    // An episode under a user filter that carries no user at all is not that user's: report it.
    return { value: value ?? null, path: `/metadata/${escapePointer(name)}` };
  }
  return key in item ? { value: item[key], path: `/${escapePointer(key)}` } : undefined;
}
