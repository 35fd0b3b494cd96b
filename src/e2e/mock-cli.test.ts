/**
 * `memconform mock` as a front-end developer runs it: the built CLI in its own process, a line pasted from its
 * banner, and a clean stop on Ctrl-C (SIGINT) and SIGTERM that leaves nothing listening.
 */

import { afterEach, describe, expect, it } from 'vitest';
import { startCliServer, stopCliProcesses } from '../testing/built-cli.js';

afterEach(stopCliProcesses);

describe.each(['SIGINT', 'SIGTERM'] as const)('memconform mock stopped with %s', (signal) => {
  it('serves the curated example, then exits 0 and stops listening', async () => {
    const { child, origin, output, exited } = await startCliServer(
      ['mock', '--port', '0'],
      'Ctrl-C stops the mock.',
    );
    const response = await fetch(`${origin}/v1/memories/search/`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Token YOUR_API_KEY' },
      body: JSON.stringify({ query: 'What does Alex like to eat when travelling?', user_id: 'alex' }),
    });
    expect(response.status).toBe(200);
    expect(((await response.json()) as unknown[]).length).toBeGreaterThan(0);

    child.kill(signal);
    expect((await exited).code).toBe(0);
    expect(output()).toContain(`${signal}: stopping the mock`);
    await expect(fetch(`${origin}/v1/ping/`)).rejects.toThrow();
  });
});
