// First: takes faker's place before Prism loads it (see english-faker.ts).
import './english-faker.js';
import { configureExtensionsUserProvided } from '@stoplight/prism-cli/dist/extensions.js';
import { createLogger } from '@stoplight/prism-core';
import { getHttpOperationsFromSpec, type IHttpConfig } from '@stoplight/prism-http';
import { createServer } from '@stoplight/prism-http-server';
import { API_NAMES, type ApiName } from '../apis.js';
import { MemconformError, UsageError } from '../errors.js';
import { packageRoot } from '../package.js';
import { readSpecDocument, type SpecDocument, specFileFor } from '../spec/document.js';
import { installCorsPolicy } from './cors.js';
import { curlFor } from './curl.js';
import { applyRequestPolicy, type DispatchRule, mountedRules, readDispatchRules } from './dispatch.js';
import { captureHttpServer, createJsonPrecheck } from './json-precheck.js';
import {
  dynamicOperations,
  type Flavour,
  type HttpOperation,
  type Mount,
  mountOperations,
  mountsFromServers,
} from './mounts.js';
import type { MockRequestRecord } from './request-log.js';

/** The port `memconform mock` listens on when `--port` is not given (Prism's own default). */
export const DEFAULT_MOCK_PORT = 4010;
/** The interface `memconform mock` binds when `--host` is not given: loopback only. */
export const DEFAULT_MOCK_HOST = '127.0.0.1';

/** What to serve and how. */
export interface MockOptions {
  /** The APIs to serve; all of them share one server (their paths never collide, see README). */
  readonly apis: readonly ApiName[];
  readonly host?: string;
  /** 0 picks a free port. */
  readonly port?: number;
  /** Generate every response from its schema instead of serving the curated first example. */
  readonly dynamic?: boolean;
  /** Seed for generated responses: the same seed gives the same body (also for `Prefer: dynamic=true`). */
  readonly seed?: string;
  /** Serve only this flavour; by default every flavour a spec declares (MemMachine: hosted and self-hosted). */
  readonly flavour?: Flavour;
  /**
   * The one browser origin allowed credentialed requests (reflected with Allow-Credentials); every other
   * origin gets `*` without credentials (see cors.ts).
   */
  readonly corsOrigin?: string;
  /** Called once per answered request (a one-line summary is made with `formatRequestLine`). */
  readonly onRequest?: (record: MockRequestRecord) => void;
  /**
   * API keys the mock accepts (`Authorization: Token|Bearer <key>`); any other key is answered like a missing
   * one, with the operation's 401. Default: any key that is present (Prism's own check).
   */
  readonly tokens?: readonly string[];
}

/** One operation as served, with a ready-to-paste curl line. */
export interface MockOperation {
  readonly operationId: string;
  readonly method: string;
  /** The full URL of the operation on the mock. */
  readonly url: string;
  /** A curl command for the operation's first request example, with a placeholder token. */
  readonly curl: string;
}

/** One mounted flavour of one API. */
export interface MockEndpoint extends Mount {
  /** The URL to give an SDK or `memconform run --target`: the mock's origin plus the vendor's base path. */
  readonly baseUrl: string;
  readonly operations: readonly MockOperation[];
}

/** A running mock server. */
export interface RunningMock {
  /** The origin the server listens on, e.g. http://127.0.0.1:4010. */
  readonly url: string;
  readonly endpoints: readonly MockEndpoint[];
  readonly dynamic: boolean;
  /** Stops accepting connections and resolves once the server has closed. Safe to call twice. */
  close(): Promise<void>;
}

interface LoadedApi {
  readonly doc: SpecDocument;
  readonly operations: HttpOperation[];
  /** The spec's `x-memconform-dispatch` rules, by method and spec path. */
  readonly rules: ReadonlyMap<string, DispatchRule[]>;
}

/** Specs are immutable package files: load and convert each once per process (the costly part of a start). */
const loaded = new Map<ApiName, Promise<LoadedApi>>();

function loadApi(api: ApiName): Promise<LoadedApi> {
  let entry = loaded.get(api);
  if (entry === undefined) {
    entry = (async () => {
      const doc = readSpecDocument(api, packageRoot());
      const rules = readDispatchRules(specFileFor(api), doc);
      // Prism's ref parser dereferences in place: hand it a copy so `doc` stays as written.
      const operations = await getHttpOperationsFromSpec(structuredClone(doc));
      return { doc, operations, rules };
    })();
    entry.catch(() => loaded.delete(api));
    loaded.set(api, entry);
  }
  return entry;
}

function fakerOptionsOf(docs: readonly SpecDocument[]): Record<string, unknown> {
  const merged: Record<string, unknown> = {};
  for (const doc of docs) Object.assign(merged, doc['x-json-schema-faker'] ?? {});
  return merged;
}

const operationKey = (method: string, path: string): string => `${method.toLowerCase()} ${path}`;

/**
 * Starts Prism in-process for the given APIs on one server, each flavour under its vendor's real base path.
 * Rejects with MC_ERR_MOCK when the server cannot listen and with a UsageError for an impossible selection.
 */
export async function startMock(options: MockOptions): Promise<RunningMock> {
  const host = options.host ?? DEFAULT_MOCK_HOST;
  const port = options.port ?? DEFAULT_MOCK_PORT;
  const dynamic = options.dynamic ?? false;
  const apis = [...new Set(options.apis)].sort((a, b) => API_NAMES.indexOf(a) - API_NAMES.indexOf(b));
  if (apis.length === 0) throw new UsageError('no API to serve: pass --api memos|mem0|memmachine|all');

  const loadedApis = await Promise.all(apis.map(loadApi));
  const mounted: {
    mount: Mount;
    doc: SpecDocument;
    operations: HttpOperation[];
    rules: ReadonlyMap<string, DispatchRule[]>;
  }[] = [];
  apis.forEach((api, i) => {
    const { doc, operations, rules } = loadedApis[i] as LoadedApi;
    for (const mount of mountsFromServers(api, doc)) {
      if (options.flavour !== undefined && mount.flavour !== options.flavour) continue;
      const ops = mountOperations(operations, mount);
      mounted.push({ mount, doc, rules, operations: dynamic ? dynamicOperations(ops) : ops });
    }
  });
  if (mounted.length === 0) {
    throw new UsageError(
      `no ${options.flavour ?? ''} flavour in the spec of ${apis.join(', ')}: drop --flavour`,
    );
  }

  // One server serves every mount, so two mounts must never claim the same method and path.
  const owner = new Map<string, Mount>();
  for (const { mount, operations } of mounted) {
    for (const op of operations) {
      const key = operationKey(op.method, op.path);
      const other = owner.get(key);
      if (other !== undefined) {
        throw new MemconformError(
          'MC_ERR_MOCK',
          `${mount.api} (${mount.flavour}) and ${other.api} (${other.flavour}) both define ${op.method.toUpperCase()} ${op.path}: serve them separately with --api`,
        );
      }
      owner.set(key, mount);
    }
  }

  // json-schema-faker options are process-wide in Prism (one JSONSchemaFaker instance): reset them, apply the
  // specs' root `x-json-schema-faker` as Prism's CLI does (prism-cli/dist/extensions.js), then our own:
  // fillProperties false stops the random extra keys that make generated bodies implausible.
  await configureExtensionsUserProvided(
    { 'x-json-schema-faker': fakerOptionsOf(mounted.map((m) => m.doc)) },
    { fillProperties: false },
  );

  const config: IHttpConfig = {
    validateRequest: true,
    validateResponse: true,
    checkSecurity: true,
    errors: false,
    upstreamProxy: undefined,
    isProxy: false,
    mock: { dynamic, ...(options.seed !== undefined ? { seed: options.seed } : {}) },
  };
  // Prism's own pino log is silenced: one readable line per request comes from onRequest instead.
  const logger = createLogger('memconform-mock', { level: 'silent' });
  const operations = mounted.flatMap((m) => m.operations);
  // Malformed JSON bodies would never reach Prism (micri rejects them first): see json-precheck.ts.
  const precheck = createJsonPrecheck(operations);
  const { built: server, server: httpServer } = captureHttpServer(() =>
    createServer(operations, {
      cors: true,
      config,
      components: { logger, validateInput: precheck.validateInput },
    }),
  );
  precheck.install(httpServer);
  installCorsPolicy(httpServer, options.corsOrigin);
  // Examples chosen by the request body, and keys checked against --token: see dispatch.ts.
  applyRequestPolicy(server.prism, {
    rules: mountedRules(mounted),
    tokens: new Set(options.tokens ?? []),
    validateInput: precheck.validateInput,
  });
  observeRequests(server.prism, owner, options.onRequest);

  let address: string;
  try {
    address = await server.listen(port, host);
  } catch (error) {
    // Prism's listen() rejects with the error's message string, not the Error (prism-http-server/dist/server.js).
    const detail = error instanceof Error ? error.message : String(error);
    const hint = /EADDRINUSE/.test(detail)
      ? `port ${port} is in use: pick another with --port (0 picks a free one) or stop what listens there`
      : `check --host ${host} and --port ${port}`;
    throw new MemconformError(
      'MC_ERR_MOCK',
      `mock server cannot listen on ${host}:${port} (${detail}); ${hint}`,
      {
        cause: error,
      },
    );
  }
  const origin = address.includes('://') ? address : `http://${address}`;
  const url = origin.replace('://0.0.0.0:', '://127.0.0.1:').replace('://[::]:', '://[::1]:');

  const endpoints: MockEndpoint[] = mounted.map(({ mount, doc, operations }) => ({
    ...mount,
    baseUrl: `${url}${mount.basePath}`,
    operations: operations.map((op) => ({
      operationId: op.iid ?? op.id,
      method: op.method.toUpperCase(),
      url: `${url}${op.path}`,
      curl: curlFor(`${url}${op.path}`, op, doc, mount),
    })),
  }));

  let closing: Promise<void> | undefined;
  return {
    url,
    endpoints,
    dynamic,
    close() {
      closing ??= server.close();
      return closing;
    },
  };
}

type PrismInstance = ReturnType<typeof createServer>['prism'];

/**
 * Wraps the server's Prism instance so every answered request is reported with its status and violations.
 * The HTTP server calls `prism.request` on this same object (prism-http-server/dist/server.js reads the
 * closure variable the `prism` getter returns), and Prism's own log interleaves many lines per request.
 */
function observeRequests(
  prism: PrismInstance,
  owner: ReadonlyMap<string, Mount>,
  onRequest: MockOptions['onRequest'],
): void {
  if (onRequest === undefined) return;
  const request = prism.request.bind(prism);
  prism.request = (input, resources, config) => {
    const task = request(input, resources, config);
    return async () => {
      const result = await task();
      const mount = owner.get(operationKey(input.method, input.url.path));
      const base = {
        method: input.method.toUpperCase(),
        path: input.url.path,
        api: mount?.api,
        flavour: mount?.flavour,
      };
      try {
        if (result._tag === 'Right') {
          const { output, validations } = result.right;
          onRequest({
            ...base,
            status: output.statusCode,
            violations: [
              ...validations.input.map((v) => ({
                where: ['request', ...(v.path ?? [])].join('.'),
                message: v.message,
              })),
              ...validations.output.map((v) => ({
                where: ['response', ...(v.path ?? [])].join('.'),
                message: v.message,
              })),
            ],
          });
        } else {
          const error = result.left as Error & { status?: number; detail?: string };
          onRequest({
            ...base,
            status: error.status ?? 500,
            violations: [],
            error: error.detail ?? error.message,
          });
        }
      } catch {
        // A failing observer must never break the response.
      }
      return result;
    };
  };
}
