/**
 * `startMock` and `startReference`, the package's way to start a server from test code: real servers on
 * 127.0.0.1 port 0, real requests to every base URL the handle gives, a port that is really free after
 * `close()`, and a one-line MC_ERR_CONFIG for every bad option.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isMemconformError } from '../errors.js';
import { DEFAULT_REFERENCE_TOKEN } from '../reference/server.js';
import { type ServerHandle, startMock, startReference } from '../servers.js';

const KEY = DEFAULT_REFERENCE_TOKEN;
const handles: ServerHandle[] = [];
afterAll(async () => {
  await Promise.all(handles.map((handle) => handle.close()));
});

/** Starts a server and closes it after the file, whatever a test does with it. */
async function started(start: Promise<ServerHandle>): Promise<ServerHandle> {
  const handle = await start;
  handles.push(handle);
  return handle;
}

async function post(url: string, body: unknown, authorization?: string): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(authorization === undefined ? {} : { authorization }),
    },
    body: JSON.stringify(body),
  });
}

/** Runs `body` with a fresh temporary folder, removed afterwards. */
async function withTempDir(body: (dir: string) => Promise<void>): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'mc-servers-'));
  try {
    await body(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The port a URL names. */
const portOf = (url: string): number => Number(new URL(url).port);

/** Resolves true when nothing listens on the port (it can be bound again), false when it is taken. */
function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
  });
}

const STARTS = [
  ['startMock', () => startMock({ tokens: [KEY] })],
  ['startReference', () => startReference()],
] as const;

describe.each(STARTS)('%s', (name, start) => {
  it('answers every API at the base URLs of its handle', async () => {
    const server = await started(start());
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(server.baseUrls).toEqual({
      memos: `${server.url}/api/openmem/v1`,
      mem0: server.url,
      memmachine: server.url,
      memmachineSelfHosted: `${server.url}/api`,
    });
    const { memos, mem0, memmachine, memmachineSelfHosted } = server.baseUrls;

    const mem0Answer = await post(
      `${mem0}/v1/memories/search/`,
      { query: 'What food does Alex like when travelling?', user_id: 'alex' },
      `Token ${KEY}`,
    );
    expect(mem0Answer.status).toBe(200);
    expect(((await mem0Answer.json()) as unknown[]).length).toBeGreaterThan(0);

    const memosAnswer = await post(
      `${memos}/search/memory`,
      { user_id: 'memos_user_345', query: 'Any food recommendations?' },
      `Token ${KEY}`,
    );
    expect(memosAnswer.status).toBe(200);
    const memosBody = (await memosAnswer.json()) as { code: number; data: { memory_detail_list: unknown[] } };
    expect(memosBody.code).toBe(0);
    expect(memosBody.data.memory_detail_list.length).toBeGreaterThan(0);

    // The MemMachine TS client's base_url is these plus /v2: hosted with a Bearer key, self-hosted without.
    const hosted = await post(
      `${memmachine}/v2/memories/search`,
      { query: 'finance', top_k: 5 },
      `Bearer ${KEY}`,
    );
    expect(hosted.status).toBe(200);
    const selfHosted = await post(`${memmachineSelfHosted}/v2/memories/search`, { query: 'finance' });
    expect(selfHosted.status).toBe(200);
    for (const answer of [hosted, selfHosted]) {
      const { content } = (await answer.json()) as { content: Record<string, unknown> };
      expect(JSON.stringify(content)).toMatch(/finance|budget|index fund/i);
    }
    expect((await fetch(`${memmachineSelfHosted}/v2/health`)).status).toBe(200);
  });

  it('refuses a key it does not accept with the API’s own 401', async () => {
    const server = await started(start());
    const answer = await post(
      `${server.baseUrls.mem0}/v1/memories/search/`,
      { query: 'food', user_id: 'alex' },
      'Token mc-wrong-key',
    );
    expect(answer.status).toBe(401);
  });

  it('frees its port on close(), even with a kept-alive connection, and may be closed twice', async () => {
    const server = await start();
    const port = portOf(server.url);
    // fetch keeps the connection alive: close() must not wait for the client to drop it.
    const answer = await post(
      `${server.baseUrls.mem0}/v1/memories/search/`,
      { query: 'food', user_id: 'alex' },
      `Token ${KEY}`,
    );
    await answer.arrayBuffer();
    expect(await portIsFree(port)).toBe(false);
    await server.close();
    await server.close();
    expect(await portIsFree(port)).toBe(true);
    await expect(fetch(`${server.url}/v1/ping/`)).rejects.toThrow();
  });

  it('reports a port in use as a one-line error that says what to do', async () => {
    const first = await started(start());
    const port = portOf(first.url);
    const second = name === 'startMock' ? startMock({ port }) : startReference({ port });
    await expect(second).rejects.toSatisfy(
      (error) =>
        isMemconformError(error) && /in use|EADDRINUSE/.test(error.message) && /port/.test(error.message),
    );
  });
});

/** Rejects with MC_ERR_CONFIG whose message names the option. */
async function expectConfigError(start: Promise<unknown>, pattern: RegExp): Promise<void> {
  const error = await start.then(
    () => {
      throw new Error('expected the start to fail');
    },
    (caught: unknown) => caught,
  );
  expect(isMemconformError(error), String(error)).toBe(true);
  expect(error).toMatchObject({ code: 'MC_ERR_CONFIG' });
  expect((error as Error).message).toMatch(pattern);
  expect((error as Error).message).not.toContain('\n');
}

describe('bad options', () => {
  // `as never`: the point is a caller TypeScript does not check (a .js config file).
  it.each([
    ['port -1', { port: -1 }, /startMock: port must be an integer from 0 to 65535/],
    ['port 70000', { port: 70_000 }, /port must be an integer/],
    ['port 1.5', { port: 1.5 }, /port must be an integer/],
    ['port "4010"', { port: '4010' }, /port must be an integer.*"4010"/],
    ['empty host', { host: ' ' }, /host must be a non-empty string/],
    ['no tokens', { tokens: [] }, /tokens must be a list of at least one/],
    ['a blank token', { tokens: [''] }, /tokens must be/],
    ['corsOrigin with a path', { corsOrigin: 'http://localhost:3000/app' }, /corsOrigin must be an origin/],
    ['empty seed', { seed: '' }, /seed must be a non-empty string/],
    ['dynamic "yes"', { dynamic: 'yes' }, /dynamic must be true or false/],
    ['an option of the CLI only', { apis: ['mem0'] }, /unknown option apis; valid: host, port/],
  ])('startMock: %s', async (_name, options, pattern) => {
    await expectConfigError(startMock(options as never), pattern);
  });

  it.each([
    ['port -1', { port: -1 }, /startReference: port must be an integer/],
    ['no tokens', { tokens: [] }, /tokens must be a list/],
    ['data "empty"', { data: 'empty' }, /data must be 'reference', 'none' or \{ file: 'path' \}/],
    ['data without a file', { data: {} }, /data must be/],
    [
      'the internal dataset option',
      { dataset: {} },
      /unknown option dataset; valid: host, port, tokens, data/,
    ],
  ])('startReference: %s', async (_name, options, pattern) => {
    await expectConfigError(startReference(options as never), pattern);
  });

  it('never echoes a key it refuses', async () => {
    const error = await startMock({ tokens: ['mc-secret-key', ' '] }).catch((caught: unknown) => caught);
    expect(String((error as Error).message)).not.toContain('mc-secret-key');
  });

  it('startReference: a dataset file that does not validate names the file and the place', async () => {
    await withTempDir(async (dir) => {
      const file = `${dir}/memories.yaml`;
      writeFileSync(file, 'mem0:\n  memories: 3\n');
      await expectConfigError(
        startReference({ data: { file } }),
        /startReference: data: .*memories\.yaml.*\/mem0/,
      );
    });
  });
});

describe('startReference data', () => {
  it("'none' starts empty, and the write endpoints fill it", async () => {
    const server = await started(startReference({ data: 'none' }));
    const search = async () =>
      (await (
        await post(
          `${server.baseUrls.mem0}/v1/memories/search/`,
          { query: 'ramen', user_id: 'kim' },
          `Token ${KEY}`,
        )
      ).json()) as unknown[];
    expect(await search()).toEqual([]);
    const added = await post(
      `${server.baseUrls.mem0}/v1/memories/`,
      { messages: [{ role: 'user', content: 'I love ramen in Tokyo.' }], user_id: 'kim' },
      `Token ${KEY}`,
    );
    expect(added.ok).toBe(true);
    expect((await search()).length).toBeGreaterThan(0);
  });

  it('{ file } serves the memories of a dataset file', async () => {
    await withTempDir(async (dir) => {
      const file = `${dir}/memories.yaml`;
      writeFileSync(
        file,
        [
          'mem0:',
          '  org_id: org_test',
          '  project_id: proj_test',
          '  user_email: test@example.invalid',
          '  memories:',
          '  - id: 5a0c1b2e-0000-4000-8000-000000000001',
          '    memory: Kim collects vintage synthesizers',
          '    user_id: kim',
          "    created_at: '2025-01-01T00:00:00.000000+00:00'",
          '',
        ].join('\n'),
      );
      const server = await started(startReference({ data: { file } }));
      const answer = await post(
        `${server.baseUrls.mem0}/v1/memories/search/`,
        { query: 'synthesizers', user_id: 'kim' },
        `Token ${KEY}`,
      );
      expect(answer.status).toBe(200);
      expect(JSON.stringify(await answer.json())).toContain('vintage synthesizers');
    });
  });
});
