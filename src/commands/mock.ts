import { API_NAMES, type ApiName, isApiName } from '../apis.js';
import { UsageError } from '../errors.js';
import { parseCorsOrigin } from '../mock/cors.js';
import { FLAVOURS, type Flavour } from '../mock/mounts.js';
import { formatRequestLine } from '../mock/request-log.js';
import {
  DEFAULT_MOCK_HOST,
  DEFAULT_MOCK_PORT,
  type MockOptions,
  type RunningMock,
  startMock,
} from '../mock/server.js';
import { type FlagTable, flagHelp, listenAddress, parseFlags } from './args.js';
import { untilStopSignal } from './stop-signal.js';
import type { Command } from './types.js';

/** Flags of `memconform mock`. */
export const MOCK_FLAGS: FlagTable = {
  api: { type: 'string', value: 'API', description: 'which API to serve (default: all)' },
  port: {
    type: 'string',
    value: 'N',
    description: `port to listen on (default: ${DEFAULT_MOCK_PORT}; 0 picks a free one)`,
  },
  host: { type: 'string', value: 'H', description: `interface to bind (default: ${DEFAULT_MOCK_HOST})` },
  dynamic: {
    type: 'boolean',
    description: 'generate every response from its schema instead of the curated first example',
  },
  seed: {
    type: 'string',
    value: 'S',
    description: 'make generated responses repeatable (also for Prefer: dynamic=true)',
  },
  flavour: {
    type: 'string',
    value: 'F',
    description: 'serve only this flavour (default: every flavour the specs declare)',
  },
  'cors-origin': {
    type: 'string',
    value: 'ORIGIN',
    description:
      'let this browser origin send credentialed requests, e.g. http://localhost:3000 (default: any origin, no credentials)',
  },
  token: {
    type: 'string',
    value: 'T',
    description: 'the only API key accepted; any other gets the 401 (default: any key that is present)',
  },
  help: { type: 'boolean', short: 'h', description: 'show this help' },
};

/** Usage text of `memconform mock`. */
export const MOCK_USAGE = `Usage: memconform mock [--api memos|mem0|memmachine|all] [--port N] [--host H]
                      [--dynamic] [--seed S] [--flavour hosted|self-hosted] [--cors-origin ORIGIN] [--token T]

Serves the specs with Prism, every API on one port under its vendor's real base path:
  memos                  <origin>/api/openmem/v1   (Authorization: Token …)
  mem0                   <origin>                  (Authorization: Token …)
  memmachine hosted      <origin>                  (Authorization: Bearer …)
  memmachine self-hosted <origin>/api              (no auth)

${flagHelp(MOCK_FLAGS)}

The example is chosen by the request body where the spec says how (x-memconform-dispatch: e.g. Mem0
output_format v1.1, an unknown user, MemMachine types, MemOS include_preference false); a Prefer header
wins: Prefer: example=NAME | code=401 | dynamic=true. Rejected requests carry the broken rules in the
sl-violations response header and get one line in this console.`;

/** The resolved flags of `memconform mock`. */
export type MockCommandOptions = Required<Pick<MockOptions, 'apis' | 'host' | 'port' | 'dynamic'>> &
  Pick<MockOptions, 'seed' | 'flavour' | 'corsOrigin' | 'tokens'> & { readonly help: boolean };

/** Parses and validates the arguments after `mock`; any problem is a UsageError. */
export function parseMockArgs(argv: readonly string[]): MockCommandOptions {
  const values = parseFlags('mock', argv, MOCK_FLAGS);
  const api = String(values.api ?? 'all');
  if (api !== 'all' && !isApiName(api)) {
    throw new UsageError(`mock: --api must be one of ${[...API_NAMES, 'all'].join(', ')}, got "${api}"`);
  }
  const apis: ApiName[] = api === 'all' ? [...API_NAMES] : [api as ApiName];
  const { port, host } = listenAddress('mock', values, { port: DEFAULT_MOCK_PORT, host: DEFAULT_MOCK_HOST });
  const flavour = values.flavour === undefined ? undefined : String(values.flavour);
  if (flavour !== undefined && !(FLAVOURS as readonly string[]).includes(flavour)) {
    throw new UsageError(`mock: --flavour must be one of ${FLAVOURS.join(', ')}, got "${flavour}"`);
  }
  if (flavour === 'self-hosted' && api !== 'all' && api !== 'memmachine') {
    throw new UsageError(`mock: ${api} has no self-hosted flavour; only memmachine does`);
  }
  const seed = values.seed === undefined ? undefined : String(values.seed);
  if (seed !== undefined && seed === '') throw new UsageError('mock: --seed must not be empty');
  const corsText = values['cors-origin'] === undefined ? undefined : String(values['cors-origin']);
  const corsOrigin = corsText === undefined ? undefined : parseCorsOrigin(corsText);
  if (corsText !== undefined && corsOrigin === undefined) {
    throw new UsageError(
      `mock: --cors-origin must be an origin like http://localhost:3000 (scheme, host, port; no path), got "${corsText}"`,
    );
  }
  const token = values.token === undefined ? undefined : String(values.token);
  if (token !== undefined && token.trim() === '') throw new UsageError('mock: --token must not be empty');
  return {
    apis: flavour === 'self-hosted' ? ['memmachine'] : apis,
    host,
    port,
    dynamic: values.dynamic === true,
    help: values.help === true,
    ...(seed !== undefined ? { seed } : {}),
    ...(flavour !== undefined ? { flavour: flavour as Flavour } : {}),
    ...(corsOrigin !== undefined ? { corsOrigin } : {}),
    ...(token !== undefined ? { tokens: [token] } : {}),
  };
}

/** The start-up text: where each API listens and a curl line per endpoint (placeholder token only). */
export function formatMockBanner(mock: RunningMock, seed?: string): string {
  const mode = mock.dynamic
    ? `dynamic responses${seed === undefined ? '' : ` (seed ${seed})`}`
    : 'static responses (first example)';
  const lines = [`memconform mock listening on ${mock.url} — ${mode}`, ''];
  for (const endpoint of mock.endpoints) {
    const auth = endpoint.auth === 'required' ? 'credentials required' : 'no auth';
    lines.push(`${endpoint.api} (${endpoint.flavour}, ${auth})  base URL ${endpoint.baseUrl}`);
    for (const op of endpoint.operations) {
      lines.push(`  ${op.operationId}: ${op.method} ${op.url}`, `    ${op.curl}`);
    }
    lines.push('');
  }
  lines.push(
    'Choose a response per request with a header: Prefer: example=NAME | Prefer: code=401 | Prefer: dynamic=true',
    'Rejected requests list the broken rules in the sl-violations response header. Ctrl-C stops the mock.',
  );
  return lines.join('\n');
}

/**
 * `memconform mock`: serves the mock until Ctrl-C or SIGTERM, then closes the server and resolves 0. Throws
 * UsageError for bad flags and MemconformError MC_ERR_MOCK when the server cannot start (the CLI maps both
 * to exit 2).
 */
export const mockCommand: Command['run'] = async (argv, io) => {
  const options = parseMockArgs(argv);
  if (options.help) {
    io.stdout(`${MOCK_USAGE}\n`);
    return 0;
  }
  const stopped = untilStopSignal();
  const mock = await startMock({
    ...options,
    onRequest: (record) => io.stdout(`${formatRequestLine(record)}\n`),
  });
  io.stdout(`${formatMockBanner(mock, options.seed)}\n\n`);
  const signal = await stopped;
  io.stdout(`\n${signal}: stopping the mock…\n`);
  await mock.close();
  return 0;
};
