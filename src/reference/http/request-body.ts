import type { IncomingMessage } from 'node:http';

/** The outcome of reading a request body under a size limit. */
export type BodyResult = { readonly kind: 'ok'; readonly text: string } | { readonly kind: 'too-large' };

/**
 * How much of an oversized body is read and thrown away before the connection is cut. Reading the rest lets
 * the client finish sending and see the 413 instead of a reset connection; the cap keeps a client that
 * never stops sending from tying the server up.
 */
const DRAIN_CAP_BYTES = 16 * 1024 * 1024;

/** Reads the whole body as UTF-8, or reports that it is larger than `limitBytes`. */
export function readBody(request: IncomingMessage, limitBytes: number): Promise<BodyResult> {
  return new Promise((resolve, reject) => {
    const declared = Number(request.headers['content-length']);
    let received = 0;
    let tooLarge = Number.isFinite(declared) && declared > limitBytes;
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => {
      received += chunk.length;
      if (received > limitBytes) tooLarge = true;
      if (!tooLarge) chunks.push(chunk);
      else if (received > DRAIN_CAP_BYTES) {
        resolve({ kind: 'too-large' });
        request.destroy();
      }
    });
    request.on('end', () => {
      resolve(
        tooLarge ? { kind: 'too-large' } : { kind: 'ok', text: Buffer.concat(chunks).toString('utf8') },
      );
    });
    request.on('error', reject);
  });
}

/** True for `application/json` and `application/<something>+json`, with or without parameters. */
export function isJsonContentType(header: string | undefined): boolean {
  if (header === undefined) return false;
  const mediaType = header.split(';')[0]?.trim().toLowerCase() ?? '';
  return mediaType === 'application/json' || /^application\/[\w.-]+\+json$/.test(mediaType);
}
