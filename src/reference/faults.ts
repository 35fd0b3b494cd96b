/**
 * Deliberate breaks for mutation tests: each one makes the reference implementation violate one documented
 * rule, so a test can prove that memconform's checks notice. Every flag is read in exactly one place.
 */

/** The table of deliberate breaks, in the order `memconform serve --help` lists them. */
export const FAULTS = [
  {
    id: 'drop-connection',
    description: 'Successful answers are never sent: the connection is closed before the status line.',
  },
  { id: 'undocumented-status', description: 'Successful searches answer HTTP 202 instead of 200.' },
  { id: 'text-content-type', description: 'Responses are sent as text/plain instead of application/json.' },
  {
    id: 'wrong-field-type',
    description:
      'A field has the wrong JSON type: MemOS create_time is an ISO string, Mem0 score is a string, MemMachine sends null instead of omitting a key.',
  },
  {
    id: 'accept-invalid-input',
    description: 'Request validation is skipped: an empty or missing query is answered 200 with a result.',
  },
  { id: 'crash-on-bad-json', description: 'A malformed JSON body makes the server answer 500.' },
  { id: 'no-auth', description: 'Missing or invalid credentials are accepted.' },
  {
    id: 'auth-403',
    description: 'Mem0 answers an unknown API key with 403 instead of the documented 401.',
  },
  { id: 'ignore-limit', description: 'Result limits (memory_limit_number, top_k, size) are not applied.' },
  { id: 'unsorted-results', description: 'Lists ranked by relevance are returned in reverse order.' },
  {
    id: 'limit-before-rank',
    description:
      'Limits pick the first items in storage order, which are then sorted by relevance (LIMIT before ORDER BY).',
  },
  {
    id: 'long-term-by-score',
    description: 'MemMachine long-term episodes are sorted by score instead of chronologically.',
  },
  {
    id: 'ignore-threshold',
    description: 'relativity (MemOS) and score_threshold (MemMachine) do not cut results.',
  },
  {
    id: 'ignore-type-switches',
    description: 'include_preference / include_tool_memory, types and output_format are ignored.',
  },
  {
    id: 'top-k-over-all-lists',
    description:
      'MemMachine top_k caps the whole answer: short-term, then long-term episodes, then semantic features share it.',
  },
  {
    id: 'expand-context-ignored',
    description: 'MemMachine answers expand_context as if it were 0: no neighbours around long-term matches.',
  },
  {
    id: 'duplicate-episodes',
    description: 'MemMachine answers an episode in both short-term and long-term memory.',
  },
  { id: 'wrong-page-count', description: 'MemOS get/memory reports pages one higher than ceil(total/size).' },
  { id: 'overlapping-pages', description: 'MemOS get/memory page n+1 starts with the last item of page n.' },
  {
    id: 'zero-based-pages',
    description:
      'MemOS get/memory counts pages from 0: page 1 is the second page (the default page stays the first).',
  },
  {
    id: 'relativity-zero-unset',
    description:
      'MemOS search treats relativity 0 as unset: the default threshold 0.45 applies instead of none.',
  },
  {
    id: 'tool-memory-default-from-search',
    description: 'MemOS get/memory leaves tool memories out by default, as search does (get documents true).',
  },
  { id: 'leak-other-users', description: "Results include another user's (or project's) memories." },
  {
    id: 'ignore-filter',
    description: 'Filters (MemOS filter, Mem0 metadata/categories, MemMachine filter) are ignored.',
  },
  {
    id: 'bare-literal-tokenizer',
    description:
      "MemMachine filters accept bare values the vendor's tokenizer splits (metadata.user_id=u-123 reads as the text 'u-123').",
  },
  { id: 'unstable-order', description: 'Equal requests are answered with lists in varying order.' },
  {
    id: 'reject-nulls',
    description: 'null for an optional request field is rejected as a validation error.',
  },
  { id: 'reject-unknown-fields', description: 'Request fields the contract does not name are rejected.' },
  {
    id: 'unknown-user-error',
    description: 'A user id that holds no memories answers 404 instead of 200 with an empty result.',
  },
  {
    id: 'writes-not-searchable',
    description:
      'Added memories are stored (listings and deletes see them) but search never finds them (MemMachine: episodes).',
  },
  { id: 'deletes-ignored', description: 'Delete endpoints answer success but remove nothing.' },
  {
    id: 'drop-best-match',
    description: 'Search leaves out the most relevant memory of every ranked list (recall and MRR drop).',
  },
] as const satisfies readonly { id: string; description: string }[];

/** The id of one deliberate break (see FAULTS). */
export type Fault = (typeof FAULTS)[number]['id'];

const FAULT_IDS: ReadonlySet<string> = new Set(FAULTS.map((fault) => fault.id));

/** True when `id` names a known fault. */
export function isFault(id: string): id is Fault {
  return FAULT_IDS.has(id);
}

/** The faults switched on for one running server, plus the little state `unstable-order` needs. */
export class FaultSwitches {
  private readonly enabled: ReadonlySet<Fault>;
  /** How often each list has been answered, for `unstable-order`. */
  private readonly answered = new Map<string, number>();

  constructor(faults: readonly string[] = []) {
    const unknown = faults.filter((id) => !isFault(id));
    if (unknown.length > 0) {
      const valid = FAULTS.map((fault) => fault.id).join(', ');
      throw new Error(`Unknown fault ${unknown.map((id) => `"${id}"`).join(', ')}; valid faults: ${valid}`);
    }
    this.enabled = new Set(faults as readonly Fault[]);
  }

  /** True when the given fault is switched on. */
  on(fault: Fault): boolean {
    return this.enabled.has(fault);
  }

  /**
   * For `unstable-order`: how often the list identified by `key` has been answered, this time included.
   * Counting per list (not per server) makes two equal requests differ however other requests interleave.
   */
  nextRotation(key: string): number {
    const count = (this.answered.get(key) ?? 0) + 1;
    this.answered.set(key, count);
    return count;
  }
}
