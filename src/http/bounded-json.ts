/**
 * A parsed answer made safe to judge: the work a check does must not grow with what a hostile target sends.
 * One walk (iterative: a 100,000-deep body must not exhaust the stack) cuts every array and object to its
 * first `maxItems` entries, refuses bodies nested deeper than `maxDepth`, and redacts the secrets from every
 * string and key, since JSON.parse restores a token the raw text hid behind escapes.
 */
import { escapePointer } from '../json.js';
import type { ItemsCut } from './exchange.js';

/** The limits of one walk. */
export interface JsonBounds {
  readonly maxDepth: number;
  readonly maxItems: number;
  /** Applied to every string and key (e.g. redaction); identity when nothing needs replacing. */
  readonly text: (value: string) => string;
}

/** The bounded value, or why there is none (too deep), and the cuts made. */
export interface BoundedJson {
  readonly json?: unknown;
  readonly jsonError?: string;
  readonly cuts: readonly ItemsCut[];
}

type Container = unknown[] | Record<string, unknown>;

/** Why a body nested deeper than `maxDepth` is not judged (a `jsonError`). */
export function tooDeep(maxDepth: number): string {
  return `JSON nested deeper than ${maxDepth} levels; memconform judges no deeper`;
}

const isContainer = (value: unknown): value is Container => typeof value === 'object' && value !== null;

/** Writes a key as an own data property: `__proto__` in a parsed body must stay data, never a prototype. */
function put(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

/** Bounds a freshly parsed value in place (it is owned by the caller) and returns it with its cuts. */
export function boundJson(value: unknown, bounds: JsonBounds): BoundedJson {
  if (typeof value === 'string') return { json: bounds.text(value), cuts: [] };
  if (!isContainer(value)) return { json: value, cuts: [] };
  const cuts: ItemsCut[] = [];
  const stack: { node: Container; depth: number; pointer: string }[] = [
    { node: value, depth: 1, pointer: '' },
  ];
  for (let entry = stack.pop(); entry !== undefined; entry = stack.pop()) {
    const { node, depth, pointer } = entry;
    if (depth > bounds.maxDepth) {
      return { jsonError: tooDeep(bounds.maxDepth), cuts: [] };
    }
    if (Array.isArray(node)) {
      if (node.length > bounds.maxItems) {
        cuts.push({ pointer, kept: bounds.maxItems, total: node.length });
        node.length = bounds.maxItems;
      }
      for (let i = 0; i < node.length; i += 1) {
        const item = node[i];
        if (typeof item === 'string') node[i] = bounds.text(item);
        else if (isContainer(item)) stack.push({ node: item, depth: depth + 1, pointer: `${pointer}/${i}` });
      }
      continue;
    }
    const keys = Object.keys(node);
    if (keys.length > bounds.maxItems) {
      cuts.push({ pointer, kept: bounds.maxItems, total: keys.length });
      for (const key of keys.slice(bounds.maxItems)) delete node[key];
      keys.length = bounds.maxItems;
    }
    for (const key of keys) {
      const item = node[key];
      const safeKey = bounds.text(key);
      if (safeKey !== key) delete node[key];
      if (typeof item === 'string') put(node, safeKey, bounds.text(item));
      else if (safeKey !== key) put(node, safeKey, item);
      if (isContainer(item)) {
        stack.push({ node: item, depth: depth + 1, pointer: `${pointer}/${escapePointer(safeKey)}` });
      }
    }
  }
  return { json: value, cuts };
}

/** One open array or object while scanning raw JSON text. */
interface Open {
  readonly array: boolean;
  /** Members seen so far minus one (commas at this level). */
  commas: number;
  /** Where skipping started (the comma before the first member past the limit), or -1. */
  skipFrom: number;
  /** Raw text of the current member's key (objects). */
  key: string;
}

/**
 * Cuts every array and object in raw JSON text to its first `maxItems` members before it is parsed, so a
 * million-item answer never becomes a million objects in memory (JSON.parse would build them all). One pass
 * over the text that tracks strings and brackets; members past the limit are counted, not copied. A body
 * nested deeper than `maxDepth` is refused here too. Text that is not JSON comes out as unparseable as it
 * went in, apart from what was skipped, which the cut finding reports as not judged.
 */
export function pruneJsonText(
  raw: string,
  bounds: Pick<JsonBounds, 'maxDepth' | 'maxItems'>,
): { text: string; cuts: ItemsCut[] } | { tooDeep: true } {
  const stack: Open[] = [];
  const parts: string[] = [];
  const cuts: ItemsCut[] = [];
  let copyFrom = 0;
  let lastString = '';
  // Open containers skipping their members (0 or 1: nothing inside a skipped region starts skipping).
  let skipping = 0;
  for (let i = 0; i < raw.length; i += 1) {
    const c = raw.charCodeAt(i);
    if (c === 0x22) {
      // A string: find its closing quote, stepping over escapes.
      const start = i;
      for (i += 1; i < raw.length; i += 1) {
        const d = raw.charCodeAt(i);
        if (d === 0x5c) i += 1;
        else if (d === 0x22) break;
      }
      if (skipping === 0) lastString = raw.slice(start, Math.min(i + 1, start + 1_000));
      continue;
    }
    if (c === 0x5b || c === 0x7b) {
      if (stack.length >= bounds.maxDepth) return { tooDeep: true };
      stack.push({ array: c === 0x5b, commas: 0, skipFrom: -1, key: '' });
      continue;
    }
    const top = stack[stack.length - 1];
    if (!top) continue;
    if (c === 0x3a && !top.array && skipping === 0) {
      top.key = lastString;
    } else if (c === 0x2c) {
      top.commas += 1;
      if (top.commas === bounds.maxItems && top.skipFrom === -1 && skipping === 0) {
        top.skipFrom = i;
        skipping += 1;
      }
    } else if (c === 0x5d || c === 0x7d) {
      stack.pop();
      if (top.skipFrom !== -1) {
        skipping -= 1;
        parts.push(raw.slice(copyFrom, top.skipFrom));
        copyFrom = i;
        cuts.push({ pointer: pointerOf(stack), kept: bounds.maxItems, total: top.commas + 1 });
      }
    }
  }
  if (cuts.length === 0) return { text: raw, cuts };
  parts.push(raw.slice(copyFrom));
  return { text: parts.join(''), cuts };
}

/** The JSON pointer of the container about to be closed, from its open parents' current members. */
function pointerOf(parents: readonly Open[]): string {
  return parents
    .map((open) => {
      if (open.array) return `/${open.commas}`;
      let key = open.key;
      try {
        key = JSON.parse(open.key) as string;
      } catch {
        // An unterminated key (longer than kept): shown as written.
      }
      return `/${escapePointer(key)}`;
    })
    .join('');
}
