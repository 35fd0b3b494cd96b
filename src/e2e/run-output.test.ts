/**
 * End to end: what `memconform run` (the BUILT CLI) writes while and after it runs, against the reference
 * implementation started here with a deliberate fault: the ndjson event stream (validated line by line against
 * schemas/events.schema.json), and console progress in plain mode, with FORCE_TTY and in a real pseudo-terminal.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsNs from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningReference, startReferenceServer } from '../reference/index.js';
import type { RunEvent } from '../runner/events.js';
import type { Report } from '../runner/report.js';
import { CLI, runProcess } from '../testing/built-cli.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const TOKEN = 'mc-run-output-Qw8rT5yU2iO9p';
const ESC = '\u001b';

/** The parts of a HAR 1.2 entry the test reads. */
interface HarEntry {
  startedDateTime: string;
  request: { headers: { name: string; value: string }[]; postData?: { text?: string } } & Record<
    string,
    unknown
  >;
  response: { content: Record<string, unknown> } & Record<string, unknown>;
  timings: Record<string, unknown>;
}

let work: string;
/** `file args` in the test's folder, with PATH and `env` only (each test says whether colours are off). */
const run = (file: string, args: string[], env: Record<string, string>, cwd?: string) =>
  runProcess(file, args, { env, cwd: cwd ?? work });
let reference: RunningReference;
const runArgs = (out: string, reporters: string) => [
  'run',
  '--target',
  reference.targets.mem0,
  '--api',
  'mem0',
  '--reporter',
  reporters,
  '--out',
  out,
];

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'mc-run-output-'));
  reference = await startReferenceServer({ tokens: [TOKEN], faults: ['wrong-field-type'] });
});

afterAll(async () => {
  await reference.close();
  rmSync(work, { recursive: true, force: true });
});

describe('memconform run output', () => {
  it('--reporter ndjson streams every event, each valid against schemas/events.schema.json', async () => {
    const out = join(work, 'ndjson');
    const result = await run(process.execPath, [CLI, ...runArgs(out, 'ndjson,json')], {
      MEMCONFORM_TOKEN: TOKEN,
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('events.ndjson');
    const text = readFileSync(join(out, 'events.ndjson'), 'utf8');
    expect(text.endsWith('\n')).toBe(true);
    const events = text
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line) as RunEvent);
    const ajv = new Ajv2020({ allErrors: true, strict: true });
    addFormatsNs.default(ajv);
    ajv.addSchema(JSON.parse(readFileSync(join(ROOT, 'schemas', 'report.schema.json'), 'utf8')));
    const validate = ajv.compile(
      JSON.parse(readFileSync(join(ROOT, 'schemas', 'events.schema.json'), 'utf8')),
    );
    for (const event of events) {
      validate(event);
      expect(validate.errors, JSON.stringify(event).slice(0, 300)).toBeNull();
    }
    const types = new Set(events.map((e) => e.type));
    expect([...types].sort()).toEqual(
      [
        'case-end',
        'case-start',
        'check-outcome',
        'finding',
        'run-end',
        'run-start',
        'target-end',
        'target-start',
      ].sort(),
    );
    expect(events[0]?.type).toBe('run-start');
    expect(events.at(-1)?.type).toBe('run-end');
    // The report is built from the same stream: the same findings, the same summary.
    const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as Report;
    const streamed = events.flatMap((e) => (e.type === 'finding' ? [e.finding] : []));
    expect(streamed).toHaveLength(report.findings.length);
    expect(new Set(streamed.map((f) => JSON.stringify(f)))).toEqual(
      new Set(report.findings.map((f) => JSON.stringify(f))),
    );
    expect(events.at(-1)).toMatchObject({ summary: report.summary });
    expect(text).not.toContain(TOKEN);
  });

  it('gives every finding its evidence and groups one root cause over many cases', async () => {
    const out = join(work, 'evidence');
    const result = await run(process.execPath, [CLI, ...runArgs(out, 'json,markdown,html')], {
      MEMCONFORM_TOKEN: TOKEN,
    });
    expect(result.code).toBe(1);
    const raw = readFileSync(join(out, 'report.json'), 'utf8');
    const report = JSON.parse(raw) as Report;
    const ajv = new Ajv2020({ allErrors: true, strict: true });
    addFormatsNs.default(ajv);
    const validate = ajv.compile(
      JSON.parse(readFileSync(join(ROOT, 'schemas', 'report.schema.json'), 'utf8')),
    );
    validate(report);
    expect(validate.errors).toBeNull();
    // wrong-field-type: Mem0 score is a string, in every search case.
    const score = report.findings.find((f) => f.pointer?.endsWith('/score'));
    expect(score?.evidence).toMatchObject({ status: 200, statusText: 'OK', contentType: 'application/json' });
    const excerpt = JSON.parse(score?.evidence?.bodyExcerpt ?? 'null') as Record<string, unknown>;
    expect(typeof excerpt.score).toBe('string');
    expect(score?.evidence?.excerptPointer).toBe(score?.pointer?.replace(/\/score$/, ''));
    expect(score?.evidence?.requestBody).toContain('"query"');
    for (const finding of report.findings) {
      expect(finding.curl).toContain('$MEMCONFORM_TOKEN');
      expect((finding.evidence?.bodyExcerpt ?? '').length).toBeLessThanOrEqual(2048);
    }
    const group = report.groups.find(
      (g) => g.pointer === '/*/score' && g.checkId === 'response-schema-conformance',
    );
    expect(group?.cases).toBeGreaterThan(1);
    expect(group?.examples.length).toBe(Math.min(5, group?.cases ?? 0));
    expect(new Set(group?.examples.map((e) => e.caseId)).size).toBe(group?.examples.length);
    expect(report.groups.length).toBeLessThan(report.findings.length);
    for (const file of ['report.json', 'report.md', 'report.html']) {
      expect(readFileSync(join(out, file), 'utf8')).not.toContain(TOKEN);
    }
  });

  it('in GitHub Actions, prints annotations and appends the Markdown report to the job summary', async () => {
    const summary = join(work, 'step-summary.md');
    const result = await run(process.execPath, [CLI, ...runArgs(join(work, 'gha'), 'json')], {
      MEMCONFORM_TOKEN: TOKEN,
      GITHUB_ACTIONS: 'true',
      GITHUB_STEP_SUMMARY: summary,
    });
    expect(result.code).toBe(1);
    const commands = result.stdout.trimEnd().split('\n');
    expect(commands[0]).toMatch(
      /^::error title=memconform response-schema-conformance%3A [\w-]+ \(\+\d+ more cases\)::/,
    );
    expect(commands.at(-1)).toMatch(
      /^::error title=memconform::memconform failed: \d+ at or above --fail-on error/,
    );
    expect(commands.length).toBeLessThanOrEqual(51);
    const markdown = readFileSync(summary, 'utf8');
    expect(markdown.startsWith('## ❌ memconform: failed')).toBe(true);
    expect(result.stdout + markdown).not.toContain(TOKEN);
  });

  it('--list-cases prints the selected cases and sends nothing; --max-failures stops early', async () => {
    const listed = await run(
      process.execPath,
      [
        CLI,
        'run',
        '--target',
        'http://127.0.0.1:9',
        '--api',
        'mem0',
        '--tags',
        'isolation',
        '--checks',
        'no-cross-user-leak',
        '--list-cases',
      ],
      {},
    );
    expect(listed.code).toBe(0);
    expect(listed.stdout).toMatch(/^mem0 searchMemories/m);
    expect(listed.stdout).toContain('two-users-are-isolated [');
    expect(listed.stdout).toContain('checks: no-cross-user-leak');
    expect(listed.stdout).toMatch(/\n\d+ cases; nothing was sent\.\n$/);
    const out = join(work, 'max');
    const stopped = await run(
      process.execPath,
      [
        CLI,
        ...runArgs(out, 'console,json'),
        '--max-failures',
        '1',
        '--concurrency',
        '1',
        '--header',
        'X-Org-Key: org-secret-9Jd2k',
      ],
      {
        MEMCONFORM_TOKEN: TOKEN,
        NO_COLOR: '1',
      },
    );
    expect(stopped.code).toBe(1);
    expect(stopped.stdout).toMatch(/Stopped early \(--max-failures 1\): \d+ cases not run/);
    const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as Report;
    expect(report.maxFailuresReached?.limit).toBe(1);
    expect(report.summary.cases).toBeLessThan(
      report.summary.cases + (report.maxFailuresReached?.casesNotRun ?? 0),
    );
    expect(stopped.stdout + readFileSync(join(out, 'report.json'), 'utf8')).not.toContain('org-secret-9Jd2k');
  });

  it('runs every target of a config file in one run, each with its own key', async () => {
    const dir = join(work, 'config');
    mkdirSync(dir);
    writeFileSync(
      join(dir, 'memconform.config.yaml'),
      `reporter: json\nout: reports\ntags: [isolation]\ntargets:\n  - { target: '${reference.targets.mem0}', api: mem0, token-env: KEY_A }\n  - { target: '${reference.targets.memos}', api: memos, token-env: KEY_B }\n`,
    );
    const result = await run(process.execPath, [CLI, 'run'], { KEY_A: TOKEN, KEY_B: TOKEN }, dir);
    expect(result.code, result.stderr).toBe(1);
    const report = JSON.parse(readFileSync(join(dir, 'reports', 'report.json'), 'utf8')) as Report;
    expect(report.targets.map((t) => t.api)).toEqual(['mem0', 'memos']);
    expect(new Set(report.cases.map((c) => c.api))).toEqual(new Set(['mem0', 'memos']));
  });

  it('--reporter har writes every request and answer as HAR 1.2, the token redacted', async () => {
    const out = join(work, 'har');
    const result = await run(process.execPath, [CLI, ...runArgs(out, 'har,json')], {
      MEMCONFORM_TOKEN: TOKEN,
    });
    expect(result.code).toBe(1);
    const text = readFileSync(join(out, 'report.har'), 'utf8');
    expect(text).not.toContain(TOKEN);
    const har = JSON.parse(text) as {
      log: { version: string; creator: { name: string }; entries: HarEntry[] };
    };
    const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as Report;
    expect(har.log.version).toBe('1.2');
    expect(har.log.creator.name).toBe('memconform');
    expect(har.log.entries).toHaveLength(report.summary.requests);
    // The fields HAR 1.2 requires of every entry, request and response.
    for (const entry of har.log.entries) {
      expect(Object.keys(entry)).toEqual(
        expect.arrayContaining(['startedDateTime', 'time', 'request', 'response', 'cache', 'timings']),
      );
      expect(Number.isNaN(Date.parse(entry.startedDateTime))).toBe(false);
      expect(Object.keys(entry.request)).toEqual(
        expect.arrayContaining([
          'method',
          'url',
          'httpVersion',
          'cookies',
          'headers',
          'queryString',
          'headersSize',
          'bodySize',
        ]),
      );
      expect(Object.keys(entry.response)).toEqual(
        expect.arrayContaining([
          'status',
          'statusText',
          'httpVersion',
          'cookies',
          'headers',
          'content',
          'redirectURL',
          'headersSize',
          'bodySize',
        ]),
      );
      expect(entry.response.content).toHaveProperty('mimeType');
      expect(entry.timings).toHaveProperty('wait');
    }
    const withKey = har.log.entries.find((e) =>
      e.request.headers.some((h: { name: string }) => h.name === 'authorization'),
    );
    expect(withKey?.request.headers.find((h: { name: string }) => h.name === 'authorization')?.value).toBe(
      '[REDACTED]',
    );
    expect(har.log.entries.some((e) => e.request.postData?.text?.includes('"query"'))).toBe(true);
  });

  it('prints plain progress lines in CI, without escape sequences, before the summary', async () => {
    const result = await run(process.execPath, [CLI, ...runArgs(join(work, 'plain'), 'console')], {
      MEMCONFORM_TOKEN: TOKEN,
      CI: 'true',
      FORCE_TTY: '1',
    });
    expect(result.code).toBe(1);
    expect(result.stdout).not.toContain('\u001b[');
    expect(result.stdout).toMatch(
      /^✗ mem0 http:\/\/127\.0\.0\.1:\d+ {2}(\d+)\/\1 cases · \d+ findings \(\d+ errors?, \d+ warnings?\) · \d+\.\d s\n/m,
    );
    expect(result.stdout.indexOf(' cases · ')).toBeLessThan(result.stdout.indexOf('FAIL'));
  });

  it('redraws progress in place with FORCE_TTY and erases it before the summary', async () => {
    const result = await run(process.execPath, [CLI, ...runArgs(join(work, 'forced'), 'console')], {
      MEMCONFORM_TOKEN: TOKEN,
      FORCE_TTY: '1',
    });
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(
      new RegExp(`${ESC}\\[2K… mem0 http://127\\.0\\.0\\.1:\\d+ {2}0/\\d+ cases · no findings`),
    );
    expect(result.stdout).toContain('\u001b[1F\u001b[J');
    const summary = result.stdout.slice(result.stdout.lastIndexOf('\u001b[J'));
    expect(summary).toContain('FAIL');
    expect(summary).not.toMatch(/\d+\/\d+ cases/);
  });

  it('redraws progress in place in a real pseudo-terminal', async () => {
    const command = [process.execPath, CLI, ...runArgs(join(work, 'pty'), 'console')]
      .map((arg) => `'${arg.replace(/'/g, `'\\''`)}'`)
      .join(' ');
    const result = await run('script', ['-qec', command, '/dev/null'], {
      MEMCONFORM_TOKEN: TOKEN,
      TERM: 'xterm',
    });
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(`${ESC}[2K… mem0 `);
    expect(result.stdout).toContain('\u001b[1F\u001b[J');
    expect(result.stdout).toContain('FAIL');
    expect(result.stdout).not.toContain(TOKEN);
  });
});
