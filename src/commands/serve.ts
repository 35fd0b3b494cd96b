import { existsSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { ApiName } from '../apis.js';
import { MemconformError, UsageError } from '../errors.js';
import { type CurlHeader, curlLine } from '../http/curl.js';
import { TOKEN_ENV } from '../options.js';
import { packageRoot } from '../package.js';
import {
  DEFAULT_REFERENCE_TOKEN,
  datasetFileText,
  emptyReferenceDataset,
  FAULTS,
  type Fault,
  loadDatasetFile,
  type ReferenceDataset,
  type RunningReference,
  startReferenceServer,
} from '../reference/index.js';
import { loadApiSpec } from '../spec/index.js';
import { type FlagTable, flagHelp, listenAddress, parseFlags } from './args.js';
import { untilStopSignal } from './stop-signal.js';
import type { Command, CommandIO } from './types.js';

/** Flags of `memconform serve`. */
export const SERVE_FLAGS: FlagTable = {
  port: { type: 'string', value: 'N', description: 'port to listen on (default 0: a free port)' },
  host: { type: 'string', value: 'H', description: 'interface to bind (default 127.0.0.1)' },
  token: {
    type: 'string',
    value: 'T',
    description: `API key the server accepts (default ${DEFAULT_REFERENCE_TOKEN})`,
  },
  'no-data': {
    type: 'boolean',
    description: 'start with no memories (the write endpoints add them; e.g. for run --seed)',
  },
  data: {
    type: 'string',
    value: 'FILE',
    description:
      'load the memories from a dataset file (created when missing) and write every change back to it on exit',
  },
  fault: {
    type: 'string',
    value: 'ID',
    multiple: true,
    description: 'switch on a deliberate break, to see what memconform run reports (repeatable; see below)',
  },
  help: { type: 'boolean', short: 'h', description: 'show this help' },
};

const FAULT_HELP = FAULTS.map((fault) => `  ${fault.id.padEnd(22)} ${fault.description}`).join('\n');

/** The start-up text: each API's base URL and one curl line per endpoint (the token as a shell variable). */
export function serveBanner(
  reference: RunningReference,
  root: string,
  customToken: boolean,
  faults: readonly Fault[] = [],
  data: DataSource = 'fixtures',
): string {
  const entries: { label: string; api: ApiName; url: string; flavour: 'hosted' | 'self-hosted' }[] = [
    { label: 'memos', api: 'memos', url: reference.targets.memos, flavour: 'hosted' },
    { label: 'mem0', api: 'mem0', url: reference.targets.mem0, flavour: 'hosted' },
    { label: 'memmachine (hosted)', api: 'memmachine', url: reference.targets.memmachine, flavour: 'hosted' },
    {
      label: 'memmachine (self-hosted)',
      api: 'memmachine',
      url: reference.targets.memmachineSelfHosted,
      flavour: 'self-hosted',
    },
  ];
  const lines = [`memconform reference implementation listening on ${reference.url}`, ''];
  lines.push(
    customToken
      ? `Credential: the token you passed; export ${TOKEN_ENV}=<that token> before pasting the lines below.`
      : `Credential: export ${TOKEN_ENV}=${DEFAULT_REFERENCE_TOKEN}`,
    '',
  );
  for (const entry of entries) {
    const spec = loadApiSpec(entry.api, root);
    lines.push(
      `${entry.label}  base URL ${entry.url}   (memconform run --target ${entry.url} --api ${entry.api})`,
    );
    for (const op of spec.operations.values()) {
      const headers: CurlHeader[] = [];
      // The self-hosted MemMachine server has no auth.
      if (entry.flavour === 'hosted' && op.credential) {
        const name = op.credential.header === 'authorization' ? 'Authorization' : op.credential.header;
        headers.push({ name, expression: `${op.credential.prefix}$${TOKEN_ENV}` });
      }
      let body: string | undefined;
      // The specs' examples find data in the reference dataset (src/e2e/examples-story.test.ts); an
      // operation without a request body (GET, Mem0's deletes) gets none.
      const example = spec.requestExample(op.operationId, entry.flavour);
      if (example !== undefined) {
        headers.push({ name: 'Content-Type', value: 'application/json' });
        body = JSON.stringify(example);
      }
      const url = entry.url.replace(/\/+$/, '') + spec.examplePath(op.operationId);
      const curl = curlLine({ method: op.method, url, headers, ...(body === undefined ? {} : { body }) });
      lines.push(`  ${op.operationId}: ${op.method} ${op.path}`, `    ${curl}`);
    }
    lines.push('');
  }
  if (faults.length > 0) {
    lines.push(
      `Deliberately broken (--fault): ${faults.join(', ')}. Do not use this server as a backend.`,
      '',
    );
  }
  lines.push(
    data === 'fixtures'
      ? 'Data: the reference dataset (fixtures/reference); writes last until the server stops.'
      : data === 'none'
        ? 'Data: none (--no-data); the write endpoints add memories, which last until the server stops.'
        : `Data: ${data}; every change is written back to it when the server stops.`,
    '',
  );
  lines.push('Ctrl-C stops the server.');
  return `${lines.join('\n')}\n`;
}

/** `memconform serve`: runs the reference implementation until SIGINT or SIGTERM. */
export const serveCommand: Command['run'] = async (argv, io) => {
  const values = parseFlags('serve', argv, SERVE_FLAGS);
  if (values.help === true) {
    io.stdout(
      `Usage: memconform serve [--port N] [--host H] [--token T] [--no-data | --data FILE] [--fault ID ...]\n\n${flagHelp(SERVE_FLAGS)}\n\nFaults (deliberate breaks of the reference; every check of memconform run reports at least one):\n${FAULT_HELP}\n`,
    );
    return 0;
  }
  const { port, host } = listenAddress('serve', values, { port: 0, host: '127.0.0.1' });
  const token = values.token as string | undefined;
  if (token !== undefined && token.trim() === '') throw new UsageError('serve: --token must not be empty');
  const faults = (values.fault as string[] | undefined) ?? [];
  const unknown = faults.filter((id) => !FAULTS.some((fault) => fault.id === id));
  if (unknown.length > 0) {
    throw new UsageError(
      `serve: unknown --fault ${unknown.join(', ')}; valid: ${FAULTS.map((fault) => fault.id).join(', ')}`,
    );
  }
  const dataFile = values.data as string | undefined;
  if (values['no-data'] === true && dataFile !== undefined) {
    throw new UsageError('serve: --no-data and --data exclude each other; pass one');
  }
  if (dataFile !== undefined && dataFile.trim() === '')
    throw new UsageError('serve: --data needs a file name');
  return serve(io, {
    host,
    port,
    faults: faults as Fault[],
    ...(token === undefined ? {} : { token }),
    data:
      values['no-data'] === true ? 'none' : dataFile === undefined ? 'fixtures' : resolve(io.cwd, dataFile),
  });
};

/** Where the served memories come from: the package fixtures, nothing, or a dataset file (kept in step). */
type DataSource = 'fixtures' | 'none' | string;

async function initialDataset(data: DataSource): Promise<ReferenceDataset | undefined> {
  if (data === 'fixtures') return undefined;
  if (data === 'none' || !existsSync(data)) return emptyReferenceDataset();
  try {
    return await loadDatasetFile(data);
  } catch (error) {
    throw new MemconformError('MC_ERR_CONFIG', `serve --data: ${(error as Error).message}`);
  }
}

async function serve(
  io: CommandIO,
  options: { host: string; port: number; faults: readonly Fault[]; token?: string; data: DataSource },
): Promise<number> {
  const stopped = untilStopSignal();
  const dataset = await initialDataset(options.data);
  let reference: RunningReference;
  try {
    reference = await startReferenceServer({
      host: options.host,
      port: options.port,
      faults: options.faults,
      ...(options.token === undefined ? {} : { tokens: [options.token] }),
      ...(dataset === undefined ? {} : { dataset }),
    });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE' || code === 'EACCES' || code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND') {
      throw new UsageError(
        `serve: cannot listen on ${options.host}:${options.port} (${code}); pick another --port or --host`,
      );
    }
    throw error;
  }
  io.stdout(serveBanner(reference, packageRoot(), options.token !== undefined, options.faults, options.data));
  const signal = await stopped;
  io.stdout(`\n${signal}: stopping the reference implementation…\n`);
  await reference.close();
  if (options.data !== 'fixtures' && options.data !== 'none') {
    try {
      writeFileSync(options.data, datasetFileText(reference.snapshot()));
    } catch (error) {
      throw new MemconformError(
        'MC_ERR_CONFIG',
        `serve --data: cannot write ${options.data} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}); the changes of this session are lost`,
      );
    }
    io.stdout(`Wrote the memories back to ${options.data}.\n`);
  }
  return 0;
}
