import { defineConfig } from 'vitest/config';

/**
 * Tests that start servers, child processes or a browser. `npm run test:unit` leaves them out (a quick inner
 * loop, no build needed); `npm test` runs everything.
 */
const INTEGRATION = [
  'src/e2e/**/*.test.ts',
  'src/reporters/browser.test.ts',
  'src/http/**/*.test.ts',
  'src/mock/**/*.test.ts',
  'src/reference/**/*.test.ts',
  'src/runner/**/*.test.ts',
  'src/seed/**/*.test.ts',
];

export default defineConfig({
  test: {
    // mem0ai reads MEM0_TELEMETRY when its module loads, so it must be set before any test file runs.
    env: { MEM0_TELEMETRY: 'false' },
    // Budgets sized for a 2-core machine that other jobs keep busy: they catch a hang, they measure nothing.
    // (README, Contributing: the suite must pass with both cores saturated.)
    testTimeout: 120_000,
    hookTimeout: 300_000,
    benchmark: { include: ['bench/**/*.bench.ts'] },
    projects: [
      { extends: true, test: { name: 'unit', include: ['src/**/*.test.ts'], exclude: INTEGRATION } },
      { extends: true, test: { name: 'integration', include: INTEGRATION } },
    ],
  },
});
