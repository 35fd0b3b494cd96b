import type { BodyReader } from './body-reader.js';

/**
 * The conversation messages the write endpoints take. Each vendor turns them into memories its own way;
 * the reference's stand-ins for their extraction models are written beside each API's write handler.
 */

/** One validated message: its role and its text (multi-modal parts joined by their text). */
export interface Message {
  readonly role: string;
  readonly content: string;
  /** The rest of the message object (MemMachine's producer, timestamp, metadata, …). */
  readonly extra: Readonly<Record<string, unknown>>;
}

/**
 * Reads `messages`: a required, non-empty array of objects with a string `role` from `roles` (any string
 * when `roles` is undefined) and a string `content` (or, with `parts`, a list of `{type, text}` parts).
 * Problems are reported on the reader as field `messages` (or `messages.<i>.<key>`).
 */
export function readMessages(
  reader: BodyReader,
  options: { roles?: readonly string[]; roleRequired?: boolean; parts?: boolean } = {},
): Message[] {
  const value = reader.raw('messages');
  if (value === undefined || value === null) {
    reader.report({ field: 'messages', kind: 'required' });
    return [];
  }
  if (!Array.isArray(value)) {
    reader.report({ field: 'messages', kind: 'type', expected: 'array', received: typeof value });
    return [];
  }
  if (value.length === 0) {
    reader.report({ field: 'messages', kind: 'too-short', min: 1 });
    return [];
  }
  const messages: Message[] = [];
  for (const [index, entry] of value.entries()) {
    const at = `messages.${index}`;
    if (entry === null || typeof entry !== 'object' || Array.isArray(entry)) {
      reader.report({ field: at, kind: 'type', expected: 'object', received: typeof entry });
      continue;
    }
    const { role, content, ...extra } = entry as Record<string, unknown>;
    if (role === undefined && options.roleRequired !== false) {
      reader.report({ field: `${at}.role`, kind: 'required' });
      continue;
    }
    if (role !== undefined && typeof role !== 'string') {
      reader.report({ field: `${at}.role`, kind: 'type', expected: 'string', received: typeof role });
      continue;
    }
    if (role !== undefined && options.roles !== undefined && !options.roles.includes(role)) {
      reader.report({ field: `${at}.role`, kind: 'choice', expected: options.roles.join(', ') });
      continue;
    }
    const text = contentText(content, options.parts === true);
    if (text === undefined) {
      reader.report({
        field: `${at}.content`,
        kind: content === undefined ? 'required' : 'type',
        expected: 'string',
      });
      continue;
    }
    messages.push({ role: role ?? '', content: text, extra });
  }
  return messages;
}

function contentText(content: unknown, parts: boolean): string | undefined {
  if (typeof content === 'string') return content;
  if (!parts || !Array.isArray(content)) return undefined;
  const texts: string[] = [];
  for (const part of content) {
    if (part === null || typeof part !== 'object') return undefined;
    const { type, text } = part as Record<string, unknown>;
    if (typeof type !== 'string') return undefined;
    if (type === 'text' && typeof text === 'string') texts.push(text);
  }
  return texts.join(' ');
}
