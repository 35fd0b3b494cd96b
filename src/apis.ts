/** The vendor APIs memconform knows, each described by one spec file in specs/. */
export const API_NAMES = ['memos', 'mem0', 'memmachine'] as const;

/** One of the vendor APIs. */
export type ApiName = (typeof API_NAMES)[number];

/** True when `value` names a known API. */
export function isApiName(value: string): value is ApiName {
  return (API_NAMES as readonly string[]).includes(value);
}
