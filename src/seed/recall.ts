import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type ApiName, isApiName } from '../apis.js';
import { parseYaml } from '../data.js';
import { DataFileError } from '../errors.js';
import { tokenize } from '../reference/scoring.js';

/**
 * Recall as a measured figure: the golden queries of fixtures/reference/golden.yaml name, per API, which
 * seeded memories a query must find. Asked as the seeded user with k results, each query scores recall@k
 * (the share of its relevant memories among the first k results) and a reciprocal rank (1 / the rank of the
 * first relevant result, 0 when none is in the first k).
 */

/** One golden query. */
export interface GoldenQuery {
  readonly query: string;
  /** The fixture user it is asked for (seeded as `mc-<run id>-<user>`). */
  readonly user: string;
  /** Fixture memory ids that must be found. */
  readonly relevant: readonly string[];
}

/** The golden queries of every API and the k they are scored at. */
export interface GoldenSet {
  readonly k: number;
  readonly queries: Readonly<Partial<Record<ApiName, readonly GoldenQuery[]>>>;
}

/** Share of a seeded text's keywords a result must contain to count as that memory (content match). */
export const CONTENT_MATCH_SHARE = 0.6;

/** Loads and checks fixtures/reference/golden.yaml. */
export async function loadGoldenSet(root: string): Promise<GoldenSet> {
  const file = join(root, 'fixtures', 'reference', 'golden.yaml');
  const shown = 'fixtures/reference/golden.yaml';
  const fail = (detail: string): never => {
    throw new DataFileError('MC_ERR_SUITE', shown, detail);
  };
  let document: unknown;
  try {
    document = parseYaml(await readFile(file, 'utf8'));
  } catch (error) {
    return fail(`cannot read the golden queries: ${(error as Error).message}`);
  }
  const raw = document as Record<string, unknown>;
  if (typeof raw?.k !== 'number' || !Number.isInteger(raw.k) || raw.k < 1)
    fail('/k must be a whole number ≥ 1');
  const queries: Partial<Record<ApiName, GoldenQuery[]>> = {};
  for (const [api, list] of Object.entries(raw)) {
    if (api === 'k') continue;
    if (!isApiName(api)) return fail(`/${api} is not an API (memos, mem0, memmachine)`);
    if (!Array.isArray(list)) return fail(`/${api} must be a list of queries`);
    queries[api] = list.map((entry, index) => {
      const q = entry as Partial<GoldenQuery>;
      const good =
        typeof q?.query === 'string' &&
        typeof q.user === 'string' &&
        Array.isArray(q.relevant) &&
        q.relevant.length > 0 &&
        q.relevant.every((id) => typeof id === 'string');
      if (!good) fail(`/${api}/${index} needs query, user and a non-empty list of relevant ids`);
      return q as GoldenQuery;
    });
  }
  return { k: raw.k as number, queries };
}

/** Recall@k and reciprocal rank of one query, from the fixture ids matched at each rank. */
export function scoreQuery(
  ranked: readonly (string | undefined)[],
  relevant: readonly string[],
  k: number,
): { recall: number; reciprocalRank: number } {
  const top = ranked.slice(0, k);
  const wanted = new Set(relevant);
  const found = new Set(top.filter((id): id is string => id !== undefined && wanted.has(id)));
  const first = top.findIndex((id) => id !== undefined && wanted.has(id));
  return { recall: found.size / wanted.size, reciprocalRank: first < 0 ? 0 : 1 / (first + 1) };
}

/**
 * The seeded memory a result is, by content: the one whose keywords the result contains the largest share
 * of, if that share is at least CONTENT_MATCH_SHARE. Servers that extract facts reword them, so exact text
 * cannot be expected; most content words survive.
 */
export function matchByContent(text: string, seeded: ReadonlyMap<string, string>): string | undefined {
  const words = new Set(tokenize(text));
  let best: { id: string; share: number } | undefined;
  for (const [id, seededText] of seeded) {
    const keywords = [...new Set(tokenize(seededText))];
    if (keywords.length === 0) continue;
    const share = keywords.filter((word) => words.has(word)).length / keywords.length;
    if (share >= CONTENT_MATCH_SHARE && (best === undefined || share > best.share)) best = { id, share };
  }
  return best?.id;
}

/** Averages of per-query scores, rounded for the report. */
export function summarise(
  scores: readonly { recall: number; reciprocalRank: number }[],
  k: number,
  matchedBy: 'id' | 'content',
): { k: number; queries: number; recallAtK: number; mrr: number; matchedBy: 'id' | 'content' } {
  const mean = (pick: (s: { recall: number; reciprocalRank: number }) => number) =>
    scores.length === 0
      ? 0
      : Math.round((scores.reduce((n, s) => n + pick(s), 0) / scores.length) * 1000) / 1000;
  return {
    k,
    queries: scores.length,
    recallAtK: mean((s) => s.recall),
    mrr: mean((s) => s.reciprocalRank),
    matchedBy,
  };
}
