/** Small helpers for parsed JSON values, shared by every layer (specs, checks, mock, reference). */

/** A JSON object as parsed: string keys, unknown values. */
export type JsonObject = Record<string, unknown>;

/** True for a plain JSON object (not an array, not null). */
export function isRecord(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `value` when it is a plain JSON object, else undefined (for optional chaining through parsed documents). */
export function asRecord(value: unknown): JsonObject | undefined {
  return isRecord(value) ? value : undefined;
}

/** Escapes one JSON pointer segment (RFC 6901): `~` becomes `~0`, `/` becomes `~1`. */
export function escapePointer(segment: string): string {
  return segment.replace(/~/g, '~0').replace(/\//g, '~1');
}
