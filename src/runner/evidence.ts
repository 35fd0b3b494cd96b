import { STATUS_CODES } from 'node:http';
import type { Exchange } from '../http/exchange.js';

/** Longest body excerpt and request body a finding carries (characters). */
export const EVIDENCE_EXCERPT_CHARS = 2048;

/** What a finding shows of the exchange it judged, so a reader needs no replay to see the problem. */
export interface Evidence {
  /** HTTP status and its standard reason phrase; absent when no answer came. */
  readonly status?: number;
  readonly statusText?: string;
  /** The response's Content-Type header, as sent. */
  readonly contentType?: string;
  /**
   * Up to 2 KB of the response body (already redacted by the HTTP layer): the largest JSON value around the
   * finding's pointer that fits, or the start of the body when it is not JSON or there is no pointer.
   */
  readonly bodyExcerpt?: string;
  /** The JSON pointer of the value `bodyExcerpt` shows ('' for the whole body); absent for a raw excerpt. */
  readonly excerptPointer?: string;
  /** The request body the answer was for (redacted), cut at 2 KB. */
  readonly requestBody?: string;
}

/** The evidence of one exchange for a finding at `pointer`. */
export function evidenceOf(exchange: Exchange, pointer: string | undefined): Evidence {
  const response = exchange.response;
  const requestBody = exchange.request.body;
  const base: Evidence = {
    ...(requestBody === undefined ? {} : { requestBody: cut(requestBody) }),
  };
  if (!response) return base;
  const contentType = response.headers['content-type'];
  const statusText = STATUS_CODES[response.status];
  return {
    status: response.status,
    ...(statusText === undefined ? {} : { statusText }),
    ...(contentType === undefined ? {} : { contentType }),
    ...excerpt(response.json, response.body, pointer),
    ...base,
  };
}

function excerpt(
  json: unknown,
  body: string,
  pointer: string | undefined,
): Pick<Evidence, 'bodyExcerpt' | 'excerptPointer'> {
  if (json === undefined) return body === '' ? {} : { bodyExcerpt: cut(body) };
  // The values along the pointer, root first; the first that fits is the largest context around the finding.
  const path: { pointer: string; value: unknown }[] = [{ pointer: '', value: json }];
  let node: unknown = json;
  for (const token of tokens(pointer ?? '')) {
    if (node === null || typeof node !== 'object' || !Object.hasOwn(node, token)) break;
    node = (node as Record<string, unknown>)[token];
    path.push({ pointer: `${path.at(-1)?.pointer}/${escapeToken(token)}`, value: node });
  }
  for (const candidate of path) {
    const text = JSON.stringify(candidate.value, null, 2);
    if (text.length <= EVIDENCE_EXCERPT_CHARS)
      return { bodyExcerpt: text, excerptPointer: candidate.pointer };
  }
  const deepest = path.at(-1) as { pointer: string; value: unknown };
  return { bodyExcerpt: cut(JSON.stringify(deepest.value)), excerptPointer: deepest.pointer };
}

function tokens(pointer: string): string[] {
  if (!pointer.startsWith('/')) return [];
  return pointer
    .slice(1)
    .split('/')
    .map((t) => t.replaceAll('~1', '/').replaceAll('~0', '~'));
}

function escapeToken(token: string): string {
  return token.replaceAll('~', '~0').replaceAll('/', '~1');
}

function cut(text: string): string {
  return text.length <= EVIDENCE_EXCERPT_CHARS ? text : `${text.slice(0, EVIDENCE_EXCERPT_CHARS - 1)}…`;
}
