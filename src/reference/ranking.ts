import type { FaultSwitches } from './faults.js';

/**
 * List operations shared by the three APIs. The faults that break ranking, limits, thresholds and ordering
 * are read here and nowhere else, so every endpoint breaks the same way.
 */

/** An item with its relevance and a stable id for tie-breaking. */
export interface Ranked<T> {
  readonly item: T;
  readonly id: string;
  readonly score: number;
}

/** Sorts by score descending, ties by id ascending, so equal requests give equal orders. */
export function rankByScore<T>(entries: readonly Ranked<T>[], faults: FaultSwitches): Ranked<T>[] {
  const sorted = [...entries].sort((a, b) => b.score - a.score || compareIds(a.id, b.id));
  if (faults.on('drop-best-match')) sorted.shift();
  return faults.on('unsorted-results') ? sorted.reverse() : sorted;
}

/**
 * The order in which a limit picks entries: best first. Under `limit-before-rank` it is storage order, the
 * classic LIMIT-before-ORDER-BY bug: answers still come sorted, but the wrong entries were picked.
 */
export function pickOrder<T>(entries: readonly Ranked<T>[], faults: FaultSwitches): Ranked<T>[] {
  return faults.on('limit-before-rank') ? [...entries] : rankByScore(entries, faults);
}

/** The best `limit` entries, best first (see `pickOrder` for the `limit-before-rank` break). */
export function topByScore<T>(
  entries: readonly Ranked<T>[],
  limit: number,
  faults: FaultSwitches,
): Ranked<T>[] {
  return faults.on('limit-before-rank')
    ? rankByScore(applyLimit(pickOrder(entries, faults), limit, faults), faults)
    : applyLimit(rankByScore(entries, faults), limit, faults);
}

/** Keeps entries whose score is at least `threshold` (no threshold when it is undefined). */
export function applyThreshold<T>(
  entries: readonly Ranked<T>[],
  threshold: number | undefined,
  faults: FaultSwitches,
): Ranked<T>[] {
  if (threshold === undefined || faults.on('ignore-threshold')) return [...entries];
  return entries.filter((entry) => entry.score >= threshold);
}

/** The first `limit` items. */
export function applyLimit<T>(items: readonly T[], limit: number, faults: FaultSwitches): T[] {
  if (faults.on('ignore-limit')) return [...items];
  return items.slice(0, Math.max(0, limit));
}

/**
 * The final order of a list answered to a client: unchanged, or under `unstable-order` rotated by how often
 * this same list was answered before, so equal requests never get the same order twice in a row.
 */
export function finalOrder<T>(items: readonly T[], faults: FaultSwitches): T[] {
  if (!faults.on('unstable-order') || items.length < 2) return [...items];
  const shift = faults.nextRotation(JSON.stringify(items)) % items.length;
  return [...items.slice(shift), ...items.slice(0, shift)];
}

/** Byte-wise string order (not locale order), identical on every machine. */
export function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
