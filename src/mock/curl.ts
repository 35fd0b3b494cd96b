import { asRecord } from '../json.js';
import type { HttpOperation, Mount } from './mounts.js';
import type { SpecDocument } from './spec-documents.js';

/** The stand-in printed where a credential goes; never a real token. */
export const PLACEHOLDER_TOKEN = 'YOUR_API_KEY';

/** Quotes `text` for a POSIX shell (single quotes; an embedded quote becomes '\''). */
export function shellQuote(text: string): string {
  return `'${text.replaceAll("'", `'\\''`)}'`;
}

/**
 * The credential header for the operation's first security requirement, with the placeholder token. An apiKey
 * scheme's prefix ("Token " for MemOS and Mem0) is only written in the scheme's description, so it is read
 * from there.
 */
function authHeader(op: HttpOperation, doc: SpecDocument): string | undefined {
  const scheme = op.security?.[0]?.[0];
  if (scheme === undefined) return undefined;
  if (scheme.type === 'http' && scheme.scheme.toLowerCase() === 'bearer') {
    return `Authorization: Bearer ${PLACEHOLDER_TOKEN}`;
  }
  if (scheme.type === 'apiKey' && scheme.in === 'header') {
    const schemes = asRecord(asRecord(doc.components)?.securitySchemes);
    const description = String(asRecord(schemes?.[scheme.key])?.description ?? scheme.description ?? '');
    const prefix = /\b(Token|Bearer)\s+</.exec(description)?.[1];
    return `${scheme.name}: ${prefix ? `${prefix} ` : ''}${PLACEHOLDER_TOKEN}`;
  }
  return undefined;
}

/**
 * A ready-to-paste curl command for `op` at `url`: the credential header when the mount needs one, and the
 * request example named after the mount's flavour (MemMachine has a `self-hosted` example) or else the first.
 */
export function curlFor(url: string, op: HttpOperation, doc: SpecDocument, mount: Mount): string {
  const parts = ['curl -sS'];
  if (op.method.toLowerCase() !== 'get') parts.push(`-X ${op.method.toUpperCase()}`);
  parts.push(shellQuote(url));
  const auth = mount.auth === 'required' ? authHeader(op, doc) : undefined;
  if (auth !== undefined) parts.push(`-H ${shellQuote(auth)}`);
  const content = op.request?.body?.contents?.find((c) => c.mediaType === 'application/json');
  if (content !== undefined) {
    const examples = content.examples ?? [];
    const example = examples.find((e) => e.key === mount.flavour) ?? examples[0];
    const value = example !== undefined && 'value' in example ? example.value : {};
    parts.push(`-H 'Content-Type: application/json'`, `-d ${shellQuote(JSON.stringify(value))}`);
  }
  return parts.join(' ');
}
