/**
 * The BUILT CLI against hostile targets: a server that answers every request (credentials accepted) with a
 * body built to hurt the judge: a million items, a token echoed in every escaped form, JSON nested 100,000
 * deep, a chunked body that never ends. Each run ends as documented (exit 1 with findings), writes every
 * report, and prints the token nowhere. Memory is bounded by running the CLI with a 450 MB heap: a run that
 * needs more crashes and fails the test. Nothing here measures time.
 */
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../runner/report.js';
import { ensureBuilt, runCli, stopCliProcesses } from '../testing/built-cli.js';
import { type ReceivedRequest, type RunningServer, send, startServer } from './broken-servers.js';

const TOKEN = 'mc-hostile-Rq8vT2wLx5Nz';
const FILES = ['junit.xml', 'report.html', 'report.json', 'report.md'];

/** The token in each form a careless or hostile target might echo it. */
function echoes(token: string): string[] {
  const bytes = [...Buffer.from(token)];
  return [
    token,
    `${token.slice(0, 3)}\\u${token.charCodeAt(3).toString(16).padStart(4, '0')}${token.slice(4)}`,
    `${token.slice(0, 5)}\\/${token.slice(5)}`,
    bytes.map((b) => `%${b.toString(16).padStart(2, '0')}`).join(''),
    Buffer.from(`Token ${token}`).toString('base64'),
  ];
}

/** Endless chunks of a JSON array: the client must stop reading at its size limit. */
function endless(res: ServerResponse): void {
  res.writeHead(200, { 'content-type': 'application/json' });
  res.write('[');
  const chunk = `${'{"id":"x","memory":"m"},'.repeat(4_000)}`;
  const pump = (): void => {
    while (res.write(chunk)) {
      if (res.destroyed) return;
    }
    res.once('drain', pump);
  };
  res.on('error', () => undefined);
  pump();
}

type Hostility = 'items' | 'escapes' | 'depth' | 'endless';

const BODIES: Record<Exclude<Hostility, 'endless'>, (request: ReceivedRequest) => string> = {
  items: () => `[${'{},'.repeat(999_999)}{}]`,
  escapes: (request) => {
    const echoed = String(request.headers.authorization ?? '').replace(/^Token /, '');
    return JSON.stringify(echoes(echoed).map((form) => ({ id: form, memory: form, [form]: form })))
      .replace(/\\\\u/g, '\\u')
      .replace(/\\\\\//g, '\\/');
  },
  depth: () => `${'['.repeat(100_000)}${']'.repeat(100_000)}`,
};

let work: string;
const servers: RunningServer[] = [];

beforeAll(async () => {
  await ensureBuilt();
  work = mkdtempSync(join(tmpdir(), 'mc-hostile-'));
}, 300_000);

afterAll(async () => {
  stopCliProcesses();
  for (const server of servers) await server.close();
});

async function hostile(kind: Hostility): Promise<string> {
  const server = await startServer((request, res) => {
    if (request.headers.authorization !== `Token ${TOKEN}`)
      return send(res, 401, { detail: 'Invalid API key.' });
    if (kind === 'endless') return endless(res);
    const echoed = echoes(TOKEN);
    res.writeHead(200, `OK ${echoed.join(' ')}`, {
      'content-type': 'application/json',
      ...(kind === 'escapes' ? Object.fromEntries(echoed.map((form, i) => [`x-echo-${i}`, form])) : {}),
    });
    res.end(BODIES[kind](request));
  });
  servers.push(server);
  return server.url;
}

async function runAgainst(
  kind: Hostility,
): Promise<{ report: Report; outputs: string[]; code: number | null }> {
  const url = await hostile(kind);
  const out = join(work, kind);
  const result = await runCli(
    ['run', '--target', url, '--api', 'mem0', '--out', out, '--reporter', 'console,json,junit,markdown,html'],
    { env: { MEMCONFORM_TOKEN: TOKEN, NODE_OPTIONS: '--max-old-space-size=450' } },
  );
  expect(result.stderr).not.toMatch(/internal error|heap out of memory/);
  expect(readdirSync(out).sort()).toEqual(FILES);
  const files = FILES.map((file) => readFileSync(join(out, file), 'utf8'));
  return {
    code: result.code,
    report: JSON.parse(files[2] as string) as Report,
    outputs: [result.stdout, result.stderr, ...files],
  };
}

describe('the built CLI against hostile targets', () => {
  it('a million {} items: judged the first 1000, exit 1, every report, within a 450 MB heap', async () => {
    const { code, report } = await runAgainst('items');
    expect(code).toBe(1);
    expect(report.findings).toContainEqual(
      expect.objectContaining({
        checkId: 'response-schema-conformance',
        severity: 'warning',
        pointer: '',
        message: expect.stringContaining('judged the first 1000 of 1000000 items'),
      }),
    );
  });

  it('a token echoed plain, \\u-escaped, \\/-escaped, percent-encoded and base64 in body, headers and status text appears in no output', async () => {
    const { code, outputs } = await runAgainst('escapes');
    expect(code).toBe(1);
    for (const text of outputs) {
      for (const form of echoes(TOKEN)) expect(text).not.toContain(form);
      expect(text).not.toContain(TOKEN);
    }
  });

  it('JSON nested 100,000 deep is a finding, not a crash (exit 1)', async () => {
    const { code, report } = await runAgainst('depth');
    expect(code).toBe(1);
    expect(report.findings).toContainEqual(
      expect.objectContaining({
        checkId: 'content-type-json',
        message: expect.stringContaining('JSON nested deeper than 200 levels'),
      }),
    );
  });

  it('a chunked body that never ends is cut at the size limit (exit 1)', async () => {
    const { code, report } = await runAgainst('endless');
    expect(code).toBe(1);
    expect(report.findings.some((f) => f.checkId === 'content-type-json')).toBe(true);
  });
});
