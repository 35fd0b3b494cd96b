/**
 * The README recipes of two official clients the test suite cannot install: the MemMachine TS client
 * (`@memmachine/client` is not on the npm registry) and the MemOS Python client (PyPI is out of reach, and
 * the suite runs no Python). Each test sends, for the values the README prints, the exact request the client
 * builds (path, headers, body, key order and JSON spacing as its source writes them) to the mock and the
 * reference, and checks the answer in the shape the client reads.
 *
 * The requests are facts from the vendors' sources (MM-TS, M-CLI in docs/sources.md):
 * - MemMachine `packages/ts-client` (MemMachine/MemMachine 18f1211): axios with `baseURL: base_url`, headers
 *   `Content-Type: application/json`, `user-agent: memmachine-ts-client/<version>` and, with an api_key,
 *   `Authorization: Bearer <key>`; `healthCheck()` is `GET /health`; `memory.search(query, options)` posts
 *   `{...projectContext, query, top_k: 10, filter: '', expand_context: 0, agent_mode: false, types:
 *   ['episodic', 'semantic']}` to `/memories/search` and returns the body (`{status, content}`) as it is.
 * - MemOS `src/memos/api/client.py` (MemTensor/MemOS be68e2f): `requests.post(f"{base_url}/search/memory",
 *   data=json.dumps(payload), headers={"Content-Type": "application/json", "Authorization": f"Token {key}"})`
 *   with all 17 parameters (None as null), `raise_for_status()`, then `MemOSSearchResponse(**json)`: `code`
 *   int, `message` str, `data.memory_detail_list` a list of objects, the other lists a list or null.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packageRoot } from '../package.js';
import { type ServerHandle, startMock, startReference } from '../servers.js';

const readme = readFileSync(join(packageRoot(), 'README.md'), 'utf8');

/** The fenced block of README in `language` that contains `marker`. */
function block(language: string, marker: string): string {
  for (const match of readme.matchAll(new RegExp(`\`\`\`${language}\\n([\\s\\S]*?)\`\`\``, 'g'))) {
    if ((match[1] as string).includes(marker)) return match[1] as string;
  }
  throw new Error(`README.md has no ${language} block with ${marker}`);
}

/** The first capture of `pattern` in `text`; fails the test when README no longer prints it. */
function printed(text: string, pattern: RegExp): string {
  const value = pattern.exec(text)?.[1];
  if (value === undefined) throw new Error(`README lost ${pattern}`);
  return value;
}

/** The printed origin, replaced by the started server's. */
const PRINTED_ORIGIN = 'http://127.0.0.1:4010';

/** `json.dumps(value)` with Python's default separators (", " and ": "); the values here are ASCII. */
function pythonJsonDumps(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(pythonJsonDumps).join(', ')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value).map(
      ([key, item]) => `${JSON.stringify(key)}: ${pythonJsonDumps(item)}`,
    );
    return `{${entries.join(', ')}}`;
  }
  return JSON.stringify(value);
}

const servers: Record<string, ServerHandle> = {};
beforeAll(async () => {
  // The mock as README starts it for clients: `memconform mock --token mc-reference-token`.
  [servers.mock, servers.serve] = await Promise.all([
    startMock({ tokens: ['mc-reference-token'] }),
    startReference(),
  ]);
});
afterAll(async () => {
  await Promise.all(Object.values(servers).map((server) => server.close()));
});

const TARGETS = ['mock', 'serve'] as const;
const at = (target: string, url: string): string =>
  url.replace(PRINTED_ORIGIN, (servers[target] as ServerHandle).url);

describe('MemMachine TS client recipe', () => {
  const code = block('ts', '@memmachine/client');
  const apiKey = printed(code, /api_key: '([^']+)'/);
  const hostedBase = printed(code, /base_url: '([^']+)'/);
  const selfHostedBase = printed(readme, /Self-hosted: `base_url: '([^']+)'` and no `api_key`/);
  const orgId = printed(code, /org_id: '([^']+)'/);
  const projectId = printed(code, /project_id: '([^']+)'/);
  const query = printed(code, /memory\.search\('([^']+)'\)/);
  const FLAVOURS = [
    ['hosted', hostedBase, apiKey],
    ['self-hosted', selfHostedBase, undefined],
  ] as const;

  /** The headers the client's axios instance sends on every request. */
  const headers = (key: string | undefined): Record<string, string> => ({
    Accept: 'application/json, text/plain, */*',
    'Content-Type': 'application/json',
    'user-agent': 'memmachine-ts-client/0.0.0-dev',
    ...(key === undefined ? {} : { Authorization: `Bearer ${key}` }),
  });

  it('prints the base URLs the client wants: the mount plus /v2', () => {
    expect(hostedBase).toBe(`${PRINTED_ORIGIN}/v2`);
    expect(selfHostedBase).toBe(`${PRINTED_ORIGIN}/api/v2`);
  });

  describe.each(TARGETS)('against %s', (target) => {
    it.each(FLAVOURS)('%s: healthCheck() gets 200 with the health fields', async (_flavour, base, key) => {
      const response = await fetch(`${at(target, base)}/health`, { headers: headers(key) });
      expect(response.status).toBe(200);
      const body = (await response.json()) as Record<string, unknown>;
      expect(body).toMatchObject({ status: expect.any(String), service: expect.any(String) });
    });

    it.each(FLAVOURS)('%s: memory.search() of the README finds memories', async (_flavour, base, key) => {
      const payload = {
        org_id: orgId,
        project_id: projectId,
        query,
        top_k: 10,
        filter: '',
        expand_context: 0,
        agent_mode: false,
        types: ['episodic', 'semantic'],
      };
      const response = await fetch(`${at(target, base)}/memories/search`, {
        method: 'POST',
        headers: headers(key),
        body: JSON.stringify(payload),
      });
      const text = await response.text();
      expect(response.status, text).toBe(200);
      // SearchMemoriesResult: {status, content: {episodic_memory?: {long_term_memory, short_term_memory}, semantic_memory?}}.
      const { status, content } = JSON.parse(text) as {
        status: unknown;
        content: {
          episodic_memory?: {
            long_term_memory: { episodes: unknown[] };
            short_term_memory: { episodes: unknown[]; episode_summary: unknown[] };
          } | null;
          semantic_memory?: unknown[] | null;
        };
      };
      expect(typeof status).toBe('number');
      const episodic = content.episodic_memory;
      const found =
        (episodic?.long_term_memory.episodes.length ?? 0) +
        (episodic?.short_term_memory.episodes.length ?? 0) +
        (content.semantic_memory?.length ?? 0);
      expect(found).toBeGreaterThan(0);
      if (episodic) expect(Array.isArray(episodic.short_term_memory.episode_summary)).toBe(true);
    });
  });
});

describe('MemOS Python client recipe', () => {
  const code = block('python', 'MemOSClient');
  const apiKey = printed(code, /api_key="([^"]+)"/);
  const baseUrl = printed(code, /base_url="([^"]+)"/);
  const query = printed(code, /search_memory\(query="([^"]+)"/);
  const userId = printed(code, /user_id="([^"]+)"/);

  it.each(TARGETS)('search_memory() of the README finds memories on %s', async (target) => {
    // search_memory's payload, in its order, with its defaults (memory_limit_number 6, include_preference True, …).
    const payload = {
      query,
      user_id: userId,
      conversation_id: null,
      agent_id: null,
      memory_limit_number: 6,
      include_preference: true,
      knowledgebase_ids: null,
      filter: null,
      preference_limit_number: 6,
      tool_memory_limit_number: 6,
      relativity: null,
      include_skill: false,
      skill_limit_number: 6,
      include_memory_view: null,
      context_format: 'memory',
      source: null,
      include_tool_memory: false,
    };
    const response = await fetch(`${at(target, baseUrl)}/search/memory`, {
      method: 'POST',
      // requests adds its own User-Agent, Accept and Accept-Encoding to the client's two headers.
      headers: {
        'User-Agent': 'python-requests/2.32.3',
        'Accept-Encoding': 'gzip, deflate',
        Accept: '*/*',
        'Content-Type': 'application/json',
        Authorization: `Token ${apiKey}`,
      },
      body: pythonJsonDumps(payload),
    });
    const text = await response.text();
    expect(response.status, text).toBe(200);
    // MemOSSearchResponse(**json): pydantic v2 requires code (int), message (str) and data.
    const body = JSON.parse(text) as { code: unknown; message: unknown; data: Record<string, unknown> };
    expect(Number.isInteger(body.code)).toBe(true);
    expect(typeof body.message).toBe('string');
    const memories = body.data.memory_detail_list as unknown[];
    expect(memories.length).toBeGreaterThan(0);
    for (const list of [
      'memory_detail_list',
      'message_detail_list',
      'preference_detail_list',
      'tool_memory_detail_list',
      'skill_detail_list',
    ]) {
      const value = body.data[list];
      if (value === undefined || value === null) continue;
      expect(Array.isArray(value), list).toBe(true);
      for (const item of value as unknown[])
        expect(typeof item === 'object' && item !== null, list).toBe(true);
    }
  });
});
