import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts'],
    // mem0ai reads MEM0_TELEMETRY when its module loads, so it must be set before any test file runs.
    env: { MEM0_TELEMETRY: 'false' },
    testTimeout: 30_000,
    hookTimeout: 60_000,
    benchmark: { include: ['bench/**/*.bench.ts'] },
  },
});
