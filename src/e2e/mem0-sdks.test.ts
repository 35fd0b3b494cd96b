/**
 * The official Mem0 clients, as a front-end developer uses them, against both `memconform mock` and
 * `memconform serve`: mem0ai 2.4.6 (v1 search, and v2 with `api_version: 'v2'`) and mem0ai 3.3.1 (v3 search,
 * installed side by side as the npm alias `mem0ai-v3`). Each finds memories for a user of the examples, gets
 * an empty answer for a user nobody knows, and surfaces a wrong key as its own AuthenticationError.
 * Both servers accept the same key (the mock through `tokens`), so one client set-up works on both. Telemetry
 * is off: vitest.config.ts sets MEM0_TELEMETRY=false before any module loads.
 */
// Named imports: mem0ai's declaration files are read as CommonJS under NodeNext, so default exports do not type-check.
import { AuthenticationError as AuthenticationErrorV2, MemoryClient as MemoryClientV2 } from 'mem0ai';
import { AuthenticationError as AuthenticationErrorV3, MemoryClient as MemoryClientV3 } from 'mem0ai-v3';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type RunningMock, startMock } from '../mock/server.js';
import { DEFAULT_REFERENCE_TOKEN, type RunningReference, startReferenceServer } from '../reference/index.js';

const KEY = DEFAULT_REFERENCE_TOKEN;
const UNKNOWN_USER = 'mc-sdk-unknown-user';

let mock: RunningMock;
let reference: RunningReference;
beforeAll(async () => {
  [mock, reference] = await Promise.all([
    startMock({ apis: ['mem0'], host: '127.0.0.1', port: 0, tokens: [KEY] }),
    startReferenceServer(),
  ]);
});
afterAll(async () => {
  await Promise.all([mock.close(), reference.close()]);
});

/** The three ways today's SDKs search, each with how to read its answer as a list. */
const CLIENTS = [
  {
    name: 'mem0ai 2.4.6 (v1)',
    search: async (host: string, apiKey: string, user: string) =>
      (await new MemoryClientV2({ apiKey, host }).search('Japan trip food', { user_id: user })) as unknown,
    list: (answer: unknown) => answer as unknown[],
    authError: AuthenticationErrorV2,
  },
  {
    name: "mem0ai 2.4.6 (api_version 'v2')",
    search: async (host: string, apiKey: string, user: string) =>
      (await new MemoryClientV2({ apiKey, host }).search('Japan trip food', {
        api_version: 'v2',
        filters: { AND: [{ user_id: user }] },
      })) as unknown,
    list: (answer: unknown) => answer as unknown[],
    authError: AuthenticationErrorV2,
  },
  {
    name: 'mem0ai 3.3.1 (v3)',
    search: async (host: string, apiKey: string, user: string) =>
      (await new MemoryClientV3({ apiKey, host }).search('Japan trip food', {
        filters: { user_id: user },
        topK: 5,
      })) as unknown,
    list: (answer: unknown) => (answer as { results: unknown[] }).results,
    authError: AuthenticationErrorV3,
  },
] as const;

const TARGETS = [
  ['mock', () => mock.url],
  ['serve', () => reference.targets.mem0],
] as const;

describe.each(TARGETS)('Mem0 SDKs against %s', (_target, host) => {
  it.each(CLIENTS)('$name finds the memories of alex', async ({ search, list }) => {
    const memories = list(await search(host(), KEY, 'alex'));
    expect(memories.length).toBeGreaterThan(0);
    // mem0ai 3.x turns keys to camelCase; either way every memory is alex's.
    for (const memory of memories as Record<string, unknown>[]) {
      expect(memory.user_id ?? memory.userId).toBe('alex');
    }
  });

  it.each(CLIENTS)('$name gets an empty answer for a user nobody knows', async ({ search, list }) => {
    expect(list(await search(host(), KEY, UNKNOWN_USER))).toEqual([]);
  });

  it.each(CLIENTS)('$name surfaces a wrong key as its AuthenticationError', async ({ search, authError }) => {
    // The clients log their failed ping on construction (errors, then a warning); keep the output clean.
    const quiet = [
      vi.spyOn(console, 'error').mockImplementation(() => undefined),
      vi.spyOn(console, 'warn').mockImplementation(() => undefined),
    ];
    try {
      const failure = search(host(), 'mc-wrong-key', 'alex');
      await expect(failure).rejects.toBeInstanceOf(authError);
      await expect(failure).rejects.toMatchObject({ errorCode: 'HTTP_401' });
    } finally {
      for (const spy of quiet) spy.mockRestore();
    }
  });
});
