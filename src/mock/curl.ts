import { type CurlHeader, curlLine } from '../http/curl.js';
import { asRecord } from '../json.js';
import type { SpecDocument } from '../spec/document.js';
import type { HttpOperation, Mount } from './mounts.js';

/** The stand-in printed where a credential goes; never a real token. */
export const PLACEHOLDER_TOKEN = 'YOUR_API_KEY';

/**
 * The credential header for the operation's first security requirement, with the placeholder token. An apiKey
 * scheme's prefix ("Token " for MemOS and Mem0) is only written in the scheme's description, so it is read
 * from there.
 */
function authHeader(op: HttpOperation, doc: SpecDocument): CurlHeader | undefined {
  const scheme = op.security?.[0]?.[0];
  if (scheme === undefined) return undefined;
  if (scheme.type === 'http' && scheme.scheme.toLowerCase() === 'bearer') {
    return { name: 'Authorization', value: `Bearer ${PLACEHOLDER_TOKEN}` };
  }
  if (scheme.type === 'apiKey' && scheme.in === 'header') {
    const schemes = asRecord(asRecord(doc.components)?.securitySchemes);
    const description = String(asRecord(schemes?.[scheme.key])?.description ?? scheme.description ?? '');
    const prefix = /\b(Token|Bearer)\s+</.exec(description)?.[1];
    return { name: scheme.name, value: `${prefix ? `${prefix} ` : ''}${PLACEHOLDER_TOKEN}` };
  }
  return undefined;
}

/**
 * A ready-to-paste curl command for `op` at `url`: the credential header when the mount needs one, and the
 * request example named after the mount's flavour (MemMachine has a `self-hosted` example) or else the first.
 */
export function curlFor(url: string, op: HttpOperation, doc: SpecDocument, mount: Mount): string {
  const headers: CurlHeader[] = [];
  const auth = mount.auth === 'required' ? authHeader(op, doc) : undefined;
  if (auth !== undefined) headers.push(auth);
  let body: string | undefined;
  const content = op.request?.body?.contents?.find((c) => c.mediaType === 'application/json');
  if (content !== undefined) {
    const examples = content.examples ?? [];
    const example = examples.find((e) => e.key === mount.flavour) ?? examples[0];
    const value = example !== undefined && 'value' in example ? example.value : {};
    headers.push({ name: 'Content-Type', value: 'application/json' });
    body = JSON.stringify(value);
  }
  const method = op.method.toUpperCase();
  return curlLine({ method, url, headers, ...(body === undefined ? {} : { body }) });
}
