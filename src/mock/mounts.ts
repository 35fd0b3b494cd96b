import type { getHttpOperationsFromSpec } from '@stoplight/prism-http';
import type { ApiName } from '../apis.js';
import { asRecord } from '../json.js';
import type { SpecDocument } from '../spec/document.js';

/** One operation as Prism loads it (`IHttpOperation` of @stoplight/types, named here without that dependency). */
export type HttpOperation = Awaited<ReturnType<typeof getHttpOperationsFromSpec>>[number];

/** A deployment flavour, as declared by `x-memconform-flavour` on a spec's server object. */
export type Flavour = 'hosted' | 'self-hosted';

/** The flavours a server object can declare. */
export const FLAVOURS: readonly Flavour[] = ['hosted', 'self-hosted'];

/**
 * Where one flavour of one API is served: the path of its documented server URL (so real SDKs and
 * `memconform run --target` work with the mock's origin plus that path) and whether it demands credentials.
 */
export interface Mount {
  readonly api: ApiName;
  readonly flavour: Flavour;
  /** The path of the vendor's server URL without a trailing slash; '' when the API lives at the root. */
  readonly basePath: string;
  readonly auth: 'required' | 'none';
  /** The vendor's own server URL this mount stands in for. */
  readonly serverUrl: string;
}

/**
 * The mounts a spec declares: the first server object of each flavour (MemOS lists a second, global-region
 * hosted URL; one hosted mount is enough). Flavour and auth come from `x-memconform-flavour` /
 * `x-memconform-auth`; without them a server is hosted and needs auth when the document has global security.
 */
export function mountsFromServers(api: ApiName, doc: SpecDocument): Mount[] {
  const servers = Array.isArray(doc.servers) ? doc.servers : [];
  const globalSecurity = Array.isArray(doc.security) && doc.security.length > 0;
  const mounts: Mount[] = [];
  for (const entry of servers) {
    const server = asRecord(entry);
    if (server === undefined || typeof server.url !== 'string') continue;
    const flavour: Flavour = server['x-memconform-flavour'] === 'self-hosted' ? 'self-hosted' : 'hosted';
    if (mounts.some((m) => m.flavour === flavour)) continue;
    const declaredAuth = server['x-memconform-auth'];
    const auth =
      declaredAuth === 'none' || (declaredAuth === undefined && !globalSecurity) ? 'none' : 'required';
    const basePath = new URL(server.url).pathname.replace(/\/+$/, '');
    mounts.push({ api, flavour, basePath, auth, serverUrl: server.url });
  }
  if (mounts.length === 0)
    mounts.push({ api, flavour: 'hosted', basePath: '', auth: 'required', serverUrl: '/' });
  return mounts;
}

/**
 * The operations of one mount: each path prefixed with the mount's base path (Prism matches the request
 * path against the operation path exactly and never strips a server's path), and, for a mount without
 * auth, the security requirements removed so Prism serves it without credentials — the self-hosted
 * MemMachine server has no auth middleware, yet the spec declares Bearer globally for the hosted Platform.
 */
export function mountOperations(operations: readonly HttpOperation[], mount: Mount): HttpOperation[] {
  return operations.map((original) => {
    const op = structuredClone(original);
    op.path = `${mount.basePath}${op.path}`;
    if (mount.auth === 'none') op.security = [];
    const servers = op.servers?.filter((s) => s.url === mount.serverUrl);
    if (servers !== undefined && servers.length > 0) op.servers = servers;
    return op;
  });
}

/** Visits every object reachable from `root` once (schemas may share sub-objects after dereferencing). */
function eachObject(root: unknown, visit: (node: Record<string, unknown>) => void): void {
  const seen = new WeakSet<object>();
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const node = stack.pop();
    if (node === null || typeof node !== 'object' || seen.has(node)) continue;
    seen.add(node);
    if (Array.isArray(node)) {
      stack.push(...node);
      continue;
    }
    const record = node as Record<string, unknown>;
    visit(record);
    for (const [key, value] of Object.entries(record)) {
      // Example values are data, not schemas: leave them alone.
      if (key !== 'examples' && key !== 'example' && key !== 'default' && key !== 'const' && key !== 'enum') {
        stack.push(value);
      }
    }
  }
}

function isArraySchema(node: Record<string, unknown>): boolean {
  const type = node.type;
  return type === 'array' || (Array.isArray(type) && type.includes('array'));
}

const BOUND_KEYWORDS = ['minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum'] as const;

function isNumberSchema(node: Record<string, unknown>): boolean {
  const type = node.type;
  return type === 'number' || (Array.isArray(type) && type.includes('number'));
}

/**
 * Response schemas reshaped for generated (dynamic) data, leaving request validation untouched:
 * - a success body that is `oneOf`/`anyOf` keeps only its first branch: MemOS's 200 also allows its error
 *   envelope and Mem0's 200 also allows the v1.1 envelope; generated data should look like the default success;
 * - a list whose items have a schema and which sets no `minItems` gets `minItems: 1`, so a search returns
 *   at least one memory instead of json-schema-faker's frequent `[]`;
 * - an unbounded `number` (scores, relativity, confidence in all three APIs) gets the range 0..1 instead of
 *   json-schema-faker's ±1e8;
 * - each `x-memconform-warn` rule is added to `allOf`, so generated values also keep the warning-level
 *   contract (md5 `hash`, `status: 0`, `episode_type: message`, …) that Prism itself ignores. Same move as
 *   the specs' own example test (src/spec/specs.test.ts, `enforceWarnRules`).
 */
export function dynamicOperations(operations: readonly HttpOperation[]): HttpOperation[] {
  return operations.map((original) => {
    const op = structuredClone(original);
    for (const response of op.responses) {
      for (const content of response.contents ?? []) {
        const root = asRecord(content.schema);
        if (root !== undefined && /^2/.test(response.code)) {
          const union = Array.isArray(root.oneOf) ? 'oneOf' : Array.isArray(root.anyOf) ? 'anyOf' : undefined;
          const first = union === undefined ? undefined : asRecord((root[union] as unknown[])[0]);
          if (union !== undefined && first !== undefined) {
            const { [union]: _dropped, ...rest } = root;
            content.schema = { ...rest, ...first };
          }
        }
        eachObject(content.schema, (node) => {
          const items = asRecord(node.items);
          if (isArraySchema(node) && node.minItems === undefined && items && Object.keys(items).length > 0) {
            node.minItems = 1;
          }
          const warn = asRecord(node['x-memconform-warn']);
          if (isNumberSchema(node) && !BOUND_KEYWORDS.some((k) => k in node)) {
            node.minimum = 0;
            node.maximum = 1;
          }
          if (warn !== undefined) {
            node.allOf = [...(Array.isArray(node.allOf) ? node.allOf : []), warn];
            node['x-memconform-warn'] = undefined;
          }
        });
      }
    }
    return op;
  });
}
