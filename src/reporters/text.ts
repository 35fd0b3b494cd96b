/** Plain-text shaping shared by every reporter: counts in prose, stable ordering, capped values. */

/** The longest value (in UTF-16 code units) most reporters print before cutting it. */
export const DEFAULT_VALUE_CAP = 2_000;

/** Plural helper for counts in prose ("1 finding", "3 findings"). */
export function plural(count: number, singular: string, pluralForm = `${singular}s`): string {
  return `${count} ${count === 1 ? singular : pluralForm}`;
}

/** Deterministic string comparison (code-unit order, independent of the process locale). */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Cuts `text` to at most `max` code units (never inside a surrogate pair) and says how much was left out:
 * "… (N more characters)".
 */
export function capText(text: string, max = DEFAULT_VALUE_CAP): string {
  if (text.length <= max) return text;
  let end = max;
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end--;
  return `${text.slice(0, end)}… (${text.length - end} more characters)`;
}

/**
 * A report value (`expected`, `actual`) as one line of JSON text. Strings are quoted so that `"1"` and `1`
 * differ; values JSON cannot express are described instead of throwing.
 */
export function formatValue(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (typeof value === 'bigint') return `${value}n`;
  try {
    const json = JSON.stringify(value);
    return json === undefined ? String(value) : json;
  } catch {
    return String(value);
  }
}
