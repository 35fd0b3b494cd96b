/**
 * Run figures: the full default run (`memconform run` without --target: the built-in reference started
 * in-process, every suite against its four targets, the console and JSON reports rendered but not written),
 * response validation of one realistic 50-item MemOS search body, and memory after full runs.
 * Prints figures only; nothing here asserts on time.
 */

import { afterAll, beforeAll, bench, describe } from 'vitest';
import { executeRun } from '../src/commands/run.js';
import type { CommandIO } from '../src/commands/types.js';
import { REFERENCE_TOKEN, resolveOptions } from '../src/options.js';
import { packageRoot } from '../src/package.js';
import { startReferenceServer } from '../src/reference/index.js';
import { consoleReporter } from '../src/reporters/console.js';
import { jsonReporter } from '../src/reporters/json.js';
import type { Reporter } from '../src/reporters/types.js';
import type { Report } from '../src/runner/report.js';
import { loadApiSpec } from '../src/spec/index.js';

const ROOT = packageRoot();
const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;

/** Renders what the CLI renders by default and keeps the report for the figures; writes nothing. */
let lastReport: Report | undefined;
const capture: Reporter = {
  name: 'capture',
  description: 'console + json rendered in memory (benchmark only)',
  render(report) {
    lastReport = report;
    consoleReporter.render(report, { color: false });
    jsonReporter.render(report, { color: false });
    return '';
  },
};
const io: CommandIO = { stdout: () => {}, stderr: () => {}, env: {}, cwd: ROOT, isTTY: false };
const options = resolveOptions(
  { reporter: 'capture' },
  {},
  { cwd: ROOT, isTTY: false, reporters: [capture] },
);

const runs = { count: 0, wallMs: 0, runnerMs: 0, cases: 0, requests: 0 };
let baseline: { rss: number; heapUsed: number } | undefined;

async function defaultRun(): Promise<void> {
  const started = performance.now();
  const code = await executeRun(options, io, { reporters: [capture] });
  const wall = performance.now() - started;
  if (code !== 0 || lastReport === undefined) throw new Error(`the default run failed (exit ${code})`);
  runs.count += 1;
  runs.wallMs += wall;
  runs.runnerMs += lastReport.durationMs;
  runs.cases += lastReport.summary.cases;
  runs.requests += lastReport.summary.requests;
}

/**
 * One realistic MemOS search answer grown to 50 facts: the reference's own answer for memos_user_345 (its
 * items, preferences and tool memories), its facts repeated with fresh ids and falling relativity.
 */
async function memosSearchBody(): Promise<Record<string, unknown>> {
  const reference = await startReferenceServer({ host: '127.0.0.1', port: 0 });
  try {
    const response = await fetch(`${reference.targets.memos}/search/memory`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Token ${REFERENCE_TOKEN}` },
      body: JSON.stringify({
        user_id: 'memos_user_345',
        query: 'spicy food Yunnan trip photography',
        relativity: 0,
        memory_limit_number: 25,
        include_preference: true,
        include_tool_memory: true,
      }),
    });
    const body = (await response.json()) as { data: Record<string, unknown> };
    const facts = body.data.memory_detail_list as Record<string, unknown>[];
    if (facts.length === 0) throw new Error('the reference answered no MemOS facts');
    const grown = Array.from({ length: 50 }, (_, i) => ({
      ...(facts[i % facts.length] as Record<string, unknown>),
      id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
      relativity: Math.round((0.95 - i * 0.01) * 1e6) / 1e6,
    }));
    return { ...body, data: { ...body.data, memory_detail_list: grown } };
  } finally {
    await reference.close();
  }
}

const memos = loadApiSpec('memos', ROOT);
let searchBody: Record<string, unknown> = {};

beforeAll(async () => {
  searchBody = await memosSearchBody();
  const compileStarted = performance.now();
  const violations = memos.view.validateResponse('searchMemory', 200, searchBody);
  const compileMs = performance.now() - compileStarted;
  if (violations === undefined || violations.length > 0) {
    throw new Error(`the 50-item body should be valid: ${JSON.stringify(violations)}`);
  }
  console.log(
    `validation body: ${(searchBody.data as { memory_detail_list: unknown[] }).memory_detail_list.length} facts, ` +
      `${JSON.stringify(searchBody).length} bytes; first validateResponse (compiles the validators): ${compileMs.toFixed(1)} ms`,
  );
  const memory = process.memoryUsage();
  baseline = { rss: memory.rss, heapUsed: memory.heapUsed };
});

afterAll(() => {
  if (runs.count === 0 || lastReport === undefined) return;
  const perRunMs = runs.wallMs / runs.count;
  const perSecond = (n: number) => (n / (runs.wallMs / 1000)).toFixed(0);
  console.log(
    `default run: ${runs.count} runs, ${lastReport.targets.length} targets, ` +
      `${runs.cases / runs.count} cases, ${runs.requests / runs.count} requests per run\n` +
      `  ${perRunMs.toFixed(0)} ms per run (wall, incl. reference start-up and report rendering); ` +
      `runner ${(runs.runnerMs / runs.count).toFixed(0)} ms\n` +
      `  ${perSecond(runs.cases)} cases/s, ${perSecond(runs.requests)} requests/s (wall)`,
  );
  const memory = process.memoryUsage();
  const peakRss = process.resourceUsage().maxRSS * 1024;
  console.log(
    `memory after ${runs.count} full runs (the vitest worker, which also holds vitest itself): ` +
      `heap used ${mib(memory.heapUsed)} (before the runs ${mib(baseline?.heapUsed ?? 0)}), ` +
      `rss ${mib(memory.rss)} (before ${mib(baseline?.rss ?? 0)}), peak rss ${mib(peakRss)}`,
  );
});

describe('default run against the in-process reference', () => {
  // ops/s here is runs/s; cases/s and requests/s are printed after the table.
  bench('memconform run (no --target), 4 targets', defaultRun, {
    iterations: 10,
    time: 0,
    warmupIterations: 1,
    warmupTime: 0,
    // Figures count measured runs only, not the warm-up run.
    setup: (_task, mode) => {
      if (mode === 'run') Object.assign(runs, { count: 0, wallMs: 0, runnerMs: 0, cases: 0, requests: 0 });
    },
  });
});

describe('response validation', () => {
  bench('SpecView.validateResponse, MemOS search body with 50 facts', () => {
    const violations = memos.view.validateResponse('searchMemory', 200, searchBody);
    if (violations?.length !== 0) throw new Error('unexpected violations');
  });
});
