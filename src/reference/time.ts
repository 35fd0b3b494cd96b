import { randomUUID } from 'node:crypto';

/** A fresh random (v4) UUID: every vendor identifies new memories this way. */
export const newId = (): string => randomUUID();

/**
 * A timestamp as Mem0 writes it: microseconds and an explicit UTC offset, e.g.
 * `2025-03-14T16:21:07.482913+00:00` (Z-LC). JavaScript clocks tick in ms, so the last three digits are 0.
 */
export function isoWithMicros(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000+00:00');
}

/** A timestamp as MemMachine answers it: seconds and a UTC offset, e.g. `2025-09-02T18:00:05+00:00` (MM-EPI). */
export function isoWithOffset(ms: number): string {
  return new Date(ms)
    .toISOString()
    .replace(/\.(\d{3})Z$/, (_, fraction: string) =>
      fraction === '000' ? '+00:00' : `.${fraction}000+00:00`,
    );
}
