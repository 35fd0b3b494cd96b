/**
 * `memconform serve` as a front-end developer runs it: the built CLI in its own process, a request pasted
 * from its banner, a clean stop on SIGTERM; and `--fault`, which lets anyone see what `memconform run`
 * reports for a deliberate break.
 */

import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ApiName } from '../apis.js';
import { resultLists } from '../checks/results.js';
import { REFERENCE_TOKEN } from '../options.js';
import { runCli, startCliServer, stopCliProcesses } from '../testing/built-cli.js';
import { parseCurl, pasteCurl } from '../testing/curl-line.js';

afterEach(stopCliProcesses);

/** Starts `memconform serve` and resolves with its origin once the banner is out. */
const startServe = (args: string[]) =>
  startCliServer(['serve', '--port', '0', ...args], 'Ctrl-C stops the server.');

async function mem0Search(origin: string, body: Record<string, unknown>): Promise<unknown[]> {
  const response = await fetch(`${origin}/v1/memories/search/`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Token ${REFERENCE_TOKEN}` },
    body: JSON.stringify(body),
  });
  expect(response.status).toBe(200);
  return (await response.json()) as unknown[];
}

describe('memconform serve', () => {
  it('serves the reference, honours top_k, and stops cleanly on SIGTERM', async () => {
    const { child, origin, output, exited } = await startServe([]);
    expect(output()).toContain(`${origin}/v1/memories/search/`);
    expect(await mem0Search(origin, { query: 'vegetarian food', user_id: 'alex', top_k: 1 })).toHaveLength(1);
    child.kill('SIGTERM');
    expect((await exited).code).toBe(0);
    expect(output()).toContain('SIGTERM: stopping the reference implementation');
  });

  it('prints a curl line per read operation that finds memories when pasted as printed', async () => {
    const { origin, output } = await startServe([]);
    // Each operation is a `  name: METHOD path` line followed by its curl line; the base URL lines name the API.
    const reads = [
      ...output().matchAll(/^(\w+) .*base URL .*--api (\w+)\)$|^ {2}(\w+): \w+ \S+\n {4}(curl .+)$/gm),
    ];
    let api = '';
    const pasted: { api: string; operation: string; line: string }[] = [];
    for (const match of reads) {
      if (match[2] !== undefined) api = match[2];
      else if (/^(search|get)Memor/.test(match[3] as string)) {
        pasted.push({ api, operation: match[3] as string, line: match[4] as string });
      }
    }
    // MemOS search and get, Mem0's three searches, MemMachine search on both flavours.
    expect(pasted.map(({ api, operation }) => `${api}.${operation}`)).toEqual([
      'memos.searchMemory',
      'memos.getMemory',
      'mem0.searchMemories',
      'mem0.searchMemoriesV2',
      'mem0.searchMemoriesV3',
      'memmachine.searchMemories',
      'memmachine.searchMemories',
    ]);
    for (const { api, line } of pasted) {
      expect(parseCurl(line, { MEMCONFORM_TOKEN: REFERENCE_TOKEN }).url.startsWith(origin)).toBe(true);
      const { status, text } = await pasteCurl(line, { MEMCONFORM_TOKEN: REFERENCE_TOKEN });
      expect(status, `${line}\n${text}`).toBe(200);
      const found = resultLists(api as ApiName, JSON.parse(text)).reduce(
        (n, list) => n + list.items.length,
        0,
      );
      expect(found, line).toBeGreaterThan(0);
    }
  });

  it('prints curl lines that a fresh server accepts when every one is pasted as printed, in order', async () => {
    const { output } = await startServe([]);
    const lines = [...output().matchAll(/^ {4}(curl .+)$/gm)].map((match) => match[1] as string);
    expect(lines.length).toBeGreaterThan(20);
    for (const line of lines) {
      // No placeholder is left for the user to fill in.
      expect(line).not.toMatch(/\{\w+\}/);
      const { status, text } = await pasteCurl(line, { MEMCONFORM_TOKEN: REFERENCE_TOKEN });
      expect(status, `${line}\n${text}`).toBeLessThan(300);
    }
  });

  it('switches on a deliberate break with --fault and says so', async () => {
    const { origin, output } = await startServe(['--fault', 'ignore-limit']);
    expect(output()).toContain('Deliberately broken (--fault): ignore-limit.');
    const results = await mem0Search(origin, { query: 'vegetarian food', user_id: 'alex', top_k: 1 });
    expect(results.length).toBeGreaterThan(1);
  });

  it('rejects an unknown fault with one line listing the valid ones (exit 2)', async () => {
    const { code, stderr } = await runCli(['serve', '--fault', 'nope']);
    expect(code).toBe(2);
    expect(stderr).toMatch(
      /^memconform: serve: unknown --fault nope; valid: drop-connection, .+ \(MC_ERR_USAGE\)\n$/,
    );
  });

  it('starts empty with --no-data and keeps a --data file in step across restarts', async () => {
    const empty = await startServe(['--no-data']);
    expect(empty.output()).toContain('Data: none (--no-data)');
    expect(await mem0Search(empty.origin, { query: 'vegetarian food', user_id: 'alex' })).toEqual([]);

    const dir = mkdtempSync(join(tmpdir(), 'mc-serve-data-'));
    const file = join(dir, 'memories.yaml');
    try {
      const first = await startServe(['--data', file]);
      const added = await fetch(`${first.origin}/v3/memories/add/`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Token ${REFERENCE_TOKEN}` },
        body: JSON.stringify({
          user_id: 'dana',
          infer: false,
          messages: [{ role: 'user', content: 'Grows chillies' }],
        }),
      });
      expect(added.status).toBe(200);
      first.child.kill('SIGINT');
      expect((await first.exited).code).toBe(0);
      expect(existsSync(file)).toBe(true);
      expect(readFileSync(file, 'utf8')).toContain('Grows chillies');

      const second = await startServe(['--data', file]);
      expect(await mem0Search(second.origin, { query: 'chillies', user_id: 'dana' })).toHaveLength(1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
