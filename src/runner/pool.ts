/**
 * Runs `work` for every item with at most `limit` in flight and returns the results in item order. After the
 * first rejection no new item starts; the running ones are awaited, then the first error is rethrown. Once
 * `stop` is aborted no new item starts either: the result holds only the items that ran (still in order).
 */
export async function mapPool<T, R>(
  items: readonly T[],
  limit: number,
  work: (item: T, index: number) => Promise<R>,
  stop?: AbortSignal,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  let failed = false;
  let firstError: unknown;
  const worker = async (): Promise<void> => {
    while (!failed && !stop?.aborted && next < items.length) {
      const index = next;
      next += 1;
      try {
        results[index] = await work(items[index] as T, index);
      } catch (error) {
        if (!failed) firstError = error;
        failed = true;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  if (failed) throw firstError;
  return stop?.aborted ? results.filter((_, index) => index in results) : results;
}
