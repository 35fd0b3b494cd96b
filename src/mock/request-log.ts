import type { ApiName } from '../apis.js';
import type { Flavour } from './mounts.js';

/** One rule a request (or, for a spec bug, a response) broke, as Prism reported it. */
export interface MockViolation {
  /** Dotted location, e.g. `request.body.query` or `request` (security, content type). */
  readonly where: string;
  readonly message: string;
}

/** What the mock did with one request. */
export interface MockRequestRecord {
  readonly method: string;
  readonly path: string;
  /** The API and flavour whose operation matched; absent when no operation matched the path. */
  readonly api?: ApiName;
  readonly flavour?: Flavour;
  readonly status: number;
  readonly violations: readonly MockViolation[];
  /** Prism's own error (no route, no such example, …) when it answered with problem+json. */
  readonly error?: string;
}

/** How many violations a log line spells out before pointing at the `sl-violations` header. */
const SHOWN_VIOLATIONS = 2;

/**
 * One console line per request, e.g. `mem0 POST /v1/memories/search/ -> 400  request.body: Request body must
 * have required property 'user_id' (+4 more in the sl-violations response header)`.
 */
export function formatRequestLine(record: MockRequestRecord): string {
  const who =
    record.api === undefined
      ? '?'
      : record.flavour === 'self-hosted'
        ? `${record.api}/self-hosted`
        : record.api;
  const head = `${who} ${record.method} ${record.path} -> ${record.status}`;
  if (record.error !== undefined) return `${head}  ${record.error}`;
  if (record.violations.length === 0) return head;
  const shown = record.violations.slice(0, SHOWN_VIOLATIONS).map((v) => `${v.where}: ${v.message}`);
  const rest = record.violations.length - shown.length;
  return `${head}  ${shown.join('; ')}${rest > 0 ? ` (+${rest} more in the sl-violations response header)` : ''}`;
}
