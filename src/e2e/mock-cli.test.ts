/**
 * `memconform mock` as a front-end developer runs it: the built CLI in its own process, a line pasted from its
 * banner, and a clean stop on Ctrl-C (SIGINT) and SIGTERM that leaves nothing listening.
 */

import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { packageRoot } from '../package.js';

const CLI = join(packageRoot(), 'dist', 'cli.js');
const children: ChildProcessWithoutNullStreams[] = [];
afterEach(() => {
  for (const child of children.splice(0)) child.kill('SIGKILL');
});

/** Starts `memconform mock` on a free port and resolves once its banner is complete. */
async function startMock(): Promise<{
  child: ChildProcessWithoutNullStreams;
  origin: string;
  output: () => string;
}> {
  const child = spawn(process.execPath, [CLI, 'mock', '--port', '0']);
  children.push(child);
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => {
    out += chunk.toString();
  });
  const origin = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no banner: ${out}`)), 20_000);
    child.stdout.on('data', () => {
      const match = /listening on (http:\/\/\S+)/.exec(out);
      if (match?.[1] && out.includes('Ctrl-C stops the mock.')) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    child.on('exit', (code) => reject(new Error(`mock exited ${code}: ${out}`)));
  });
  return { child, origin, output: () => out };
}

describe.each(['SIGINT', 'SIGTERM'] as const)('memconform mock stopped with %s', (signal) => {
  it('serves the curated example, then exits 0 and stops listening', async () => {
    const { child, origin, output } = await startMock();
    const response = await fetch(`${origin}/v1/memories/search/`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Token YOUR_API_KEY' },
      body: JSON.stringify({ query: 'What does Alex like to eat when travelling?', user_id: 'alex' }),
    });
    expect(response.status).toBe(200);
    expect(((await response.json()) as unknown[]).length).toBeGreaterThan(0);

    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    child.kill(signal);
    expect(await exited).toBe(0);
    expect(output()).toContain(`${signal}: stopping the mock`);
    await expect(fetch(`${origin}/v1/ping/`)).rejects.toThrow();
  });
});
