/**
 * Start the mock or the reference implementation from test code (a vitest `globalSetup`, a Playwright
 * `webServer` script, any Node program). Both answer with the same handle: the origin, the base URL of each API
 * as an SDK or `memconform run --target` wants it, and `close()`. The implementations load on first call, so
 * importing the package costs neither Prism nor the reference dataset.
 *
 * Options come from code that TypeScript may not check (a plain .js config), so each is validated here and a
 * wrong one is a MemconformError (MC_ERR_CONFIG) that names the option, as the CLI does for its flags.
 */
import { MemconformError } from './errors.js';
import { parseCorsOrigin } from './mock/cors.js';

/** The base URL of every API and flavour both servers answer, keyed like `memconform run --api` (+ flavour). */
export interface BaseUrls {
  /** MemOS cloud, `<origin>/api/openmem/v1` (the MemOS client's `base_url`). */
  readonly memos: string;
  /** Mem0 platform: the origin, as mem0ai's `host` (its paths start with /v1, /v2, /v3). */
  readonly mem0: string;
  /** MemMachine hosted Platform: the origin (paths start with /v2; the TS client's `base_url` is `${memmachine}/v2`). */
  readonly memmachine: string;
  /** MemMachine self-hosted server, `<origin>/api`, no auth (the TS client's `base_url` is `${memmachineSelfHosted}/v2`). */
  readonly memmachineSelfHosted: string;
}

/** A started mock or reference server. */
export interface ServerHandle {
  /** The origin the server listens on, e.g. http://127.0.0.1:53211 (loopback when bound to every interface). */
  readonly url: string;
  /** The base URL of each API on this server. */
  readonly baseUrls: BaseUrls;
  /** Stops the server and drops idle connections; resolves once the port is free. Safe to call twice. */
  close(): Promise<void>;
}

/** Options of `startMock`: every API on one free loopback port unless told otherwise. */
export interface StartMockOptions {
  /** Interface to bind; default 127.0.0.1. */
  readonly host?: string;
  /** Default 0: a free port (read it from the handle). */
  readonly port?: number;
  /** Generate responses from the schemas instead of serving the curated examples. */
  readonly dynamic?: boolean;
  /** Seed for generated responses: the same seed gives the same body. */
  readonly seed?: string;
  /** The only API keys accepted (others get the 401); default: any key that is present. */
  readonly tokens?: readonly string[];
  /** The one browser origin allowed credentialed requests, e.g. http://localhost:3000. */
  readonly corsOrigin?: string;
}

/** Options of `startReference`. */
export interface StartReferenceOptions {
  /** Interface to bind; default 127.0.0.1. */
  readonly host?: string;
  /** Default 0: a free port (read it from the handle). */
  readonly port?: number;
  /** Accepted API keys; default `['mc-reference-token']`. */
  readonly tokens?: readonly string[];
  /**
   * The memories at start, as `memconform serve` takes them: `'reference'` (default) the package's dataset,
   * `'none'` empty, `{ file }` a dataset file as `serve --data` reads it (never written back).
   */
  readonly data?: 'reference' | 'none' | { readonly file: string };
}

const MOCK_OPTION_NAMES = ['host', 'port', 'dynamic', 'seed', 'tokens', 'corsOrigin'] as const;
const REFERENCE_OPTION_NAMES = ['host', 'port', 'tokens', 'data'] as const;

/** Starts the Prism mock (`memconform mock`): every API, curated examples chosen by the request body. */
export async function startMock(options: StartMockOptions = {}): Promise<ServerHandle> {
  const where = 'startMock';
  checkKnownOptions(where, options, MOCK_OPTION_NAMES);
  const host = checkHost(where, options.host);
  const port = checkPort(where, options.port);
  const tokens = checkTokens(where, options.tokens);
  if (options.dynamic !== undefined && typeof options.dynamic !== 'boolean') {
    throw configError(where, `dynamic must be true or false, got ${show(options.dynamic)}`);
  }
  if (options.seed !== undefined && (typeof options.seed !== 'string' || options.seed === '')) {
    throw configError(where, `seed must be a non-empty string, got ${show(options.seed)}`);
  }
  let corsOrigin: string | undefined;
  if (options.corsOrigin !== undefined) {
    corsOrigin = typeof options.corsOrigin === 'string' ? parseCorsOrigin(options.corsOrigin) : undefined;
    if (corsOrigin === undefined) {
      throw configError(
        where,
        `corsOrigin must be an origin like http://localhost:3000 (scheme, host, port; no path), got ${show(options.corsOrigin)}`,
      );
    }
  }

  const [{ startMock: start }, { API_NAMES }] = await Promise.all([
    import('./mock/server.js'),
    import('./apis.js'),
  ]);
  const mock = await start({
    apis: API_NAMES,
    host,
    port,
    ...(options.dynamic === undefined ? {} : { dynamic: options.dynamic }),
    ...(options.seed === undefined ? {} : { seed: options.seed }),
    ...(tokens === undefined ? {} : { tokens }),
    ...(corsOrigin === undefined ? {} : { corsOrigin }),
  });
  const url = loopback(mock.url);
  const baseUrl = (api: string, flavour: string): string => {
    const endpoint = mock.endpoints.find((e) => e.api === api && e.flavour === flavour);
    // Every spec declares its mounts; a missing one is a broken package, not a user error.
    if (endpoint === undefined) throw new Error(`the mock serves no ${api} (${flavour}) mount`);
    return `${url}${endpoint.basePath}`;
  };
  return {
    url,
    baseUrls: {
      memos: baseUrl('memos', 'hosted'),
      mem0: baseUrl('mem0', 'hosted'),
      memmachine: baseUrl('memmachine', 'hosted'),
      memmachineSelfHosted: baseUrl('memmachine', 'self-hosted'),
    },
    close: () => mock.close(),
  };
}

/** Starts the reference implementation (`memconform serve`): a stateful in-memory backend of every API. */
export async function startReference(options: StartReferenceOptions = {}): Promise<ServerHandle> {
  const where = 'startReference';
  checkKnownOptions(where, options, REFERENCE_OPTION_NAMES);
  const host = checkHost(where, options.host);
  const port = checkPort(where, options.port);
  const tokens = checkTokens(where, options.tokens);
  const data = options.data ?? 'reference';
  const file = typeof data === 'object' && data !== null ? (data as { file?: unknown }).file : undefined;
  if (data !== 'reference' && data !== 'none' && (typeof file !== 'string' || file.trim() === '')) {
    throw configError(where, `data must be 'reference', 'none' or { file: 'path' }, got ${show(data)}`);
  }

  const { emptyReferenceDataset, loadDatasetFile, startReferenceServer } = await import(
    './reference/index.js'
  );
  let dataset: Awaited<ReturnType<typeof loadDatasetFile>> | undefined;
  if (data === 'none') dataset = emptyReferenceDataset();
  if (typeof file === 'string') {
    try {
      dataset = await loadDatasetFile(file);
    } catch (error) {
      throw configError(where, `data: ${(error as Error).message}`);
    }
  }
  let reference: Awaited<ReturnType<typeof startReferenceServer>>;
  try {
    reference = await startReferenceServer({
      host,
      port,
      ...(tokens === undefined ? {} : { tokens }),
      ...(dataset === undefined ? {} : { dataset }),
    });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === undefined) throw error;
    const hint =
      code === 'EADDRINUSE' ? 'pick another port (0 picks a free one)' : 'check the host and port options';
    throw new MemconformError(
      'MC_ERR_CONFIG',
      `${where}: cannot listen on ${host}:${port} (${code}); ${hint}`,
      { cause: error },
    );
  }
  const url = loopback(reference.url);
  const base = (target: string): string => url + target.slice(reference.url.length);
  let closing: Promise<void> | undefined;
  return {
    url,
    baseUrls: {
      memos: base(reference.targets.memos),
      mem0: base(reference.targets.mem0),
      memmachine: base(reference.targets.memmachine),
      memmachineSelfHosted: base(reference.targets.memmachineSelfHosted),
    },
    close() {
      closing ??= reference.close();
      return closing;
    },
  };
}

/** The origin to call a server on: one bound to every interface is reached over loopback. */
function loopback(origin: string): string {
  return origin.replace('://0.0.0.0:', '://127.0.0.1:').replace('://[::]:', '://[::1]:');
}

function configError(where: string, message: string): MemconformError {
  return new MemconformError('MC_ERR_CONFIG', `${where}: ${message}`);
}

function show(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

function checkKnownOptions(where: string, options: object, known: readonly string[]): void {
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw configError(where, `options must be an object, got ${show(options)}`);
  }
  const unknown = Object.keys(options).filter((key) => !known.includes(key));
  if (unknown.length > 0) {
    throw configError(where, `unknown option ${unknown.join(', ')}; valid: ${known.join(', ')}`);
  }
}

function checkHost(where: string, host: unknown): string {
  if (host === undefined) return '127.0.0.1';
  if (typeof host !== 'string' || host.trim() === '') {
    throw configError(where, `host must be a non-empty string, got ${show(host)}`);
  }
  return host;
}

function checkPort(where: string, port: unknown): number {
  if (port === undefined) return 0;
  if (typeof port !== 'number' || !Number.isInteger(port) || port < 0 || port > 65_535) {
    throw configError(
      where,
      `port must be an integer from 0 to 65535 (0 picks a free one), got ${show(port)}`,
    );
  }
  return port;
}

function checkTokens(where: string, tokens: unknown): string[] | undefined {
  if (tokens === undefined) return undefined;
  if (
    !Array.isArray(tokens) ||
    tokens.length === 0 ||
    tokens.some((token) => typeof token !== 'string' || token.trim() === '')
  ) {
    // The keys themselves are never echoed: they are credentials.
    throw configError(
      where,
      'tokens must be a list of at least one non-empty string key (leave it out for the default)',
    );
  }
  return [...tokens];
}
