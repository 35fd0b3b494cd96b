/**
 * Runs that end before every case is judged still write every requested report: a target that refuses
 * connections, one that hangs, one that refuses the token (MC_ERR_AUTH_REJECTED), and a run stopped by SIGINT
 * or SIGTERM (exit 130, reports marked interrupted). The BUILT CLI runs against real servers on 127.0.0.1.
 */
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsNs from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packageRoot } from '../package.js';
import type { Report } from '../runner/report.js';
import { ensureBuilt, runCli, stopCliProcesses } from '../testing/built-cli.js';
import { type RunningServer, send, startServer } from './broken-servers.js';

const TOKEN = 'mc-e2e-early-stop-Hq3vR8sLx1';
const ALL_REPORTERS = ['--reporter', 'console,json,junit,markdown,html'];
const FILES = ['junit.xml', 'report.html', 'report.json', 'report.md'];

let work: string;
const servers: RunningServer[] = [];

beforeAll(async () => {
  await ensureBuilt();
  work = mkdtempSync(join(tmpdir(), 'mc-early-'));
}, 300_000);

afterAll(async () => {
  stopCliProcesses();
  for (const server of servers) await server.close();
});

const validate = (() => {
  const ajv = new Ajv2020({ allErrors: true, strict: true });
  addFormatsNs.default(ajv);
  return ajv.compile(JSON.parse(readFileSync(join(packageRoot(), 'schemas', 'report.schema.json'), 'utf8')));
})();

/** Every report file of `out`, with the JSON report checked against its schema. */
function reports(out: string): { json: Report; junit: string; markdown: string; html: string } {
  expect(readdirSync(out).sort()).toEqual(FILES);
  const json = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as Report;
  validate(json);
  expect(validate.errors).toBeNull();
  return {
    json,
    junit: readFileSync(join(out, 'junit.xml'), 'utf8'),
    markdown: readFileSync(join(out, 'report.md'), 'utf8'),
    html: readFileSync(join(out, 'report.html'), 'utf8'),
  };
}

function mem0Run(url: string, out: string, extra: string[] = []): string[] {
  return ['run', '--target', url, '--api', 'mem0', '--out', out, ...ALL_REPORTERS, ...extra];
}

describe('a run that stops early still writes every report', () => {
  it('refused connections: one line on stderr, MC_ERR_TARGET_UNREACHABLE in every report', async () => {
    const closed = await startServer(() => undefined);
    await closed.close();
    const out = join(work, 'refused');
    const result = await runCli(mem0Run(closed.url, out), { env: { MEMCONFORM_TOKEN: TOKEN } });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^memconform: Could not reach [^\n]+ \(MC_ERR_TARGET_UNREACHABLE\)\n/);
    expect(result.stdout).toBe('');
    const { json, junit, markdown, html } = reports(out);
    expect(json.error?.code).toBe('MC_ERR_TARGET_UNREACHABLE');
    expect(json.summary.passed).toBe(false);
    expect(junit).toMatch(/<testcase classname="memconform\.run" name="run stopped early"[^>]*>\s*<error /);
    expect(junit).toMatch(/<testsuites name="memconform" tests="\d+" failures="\d+" errors="1"/);
    expect(markdown).toContain('## ⛔ memconform: stopped early');
    expect(markdown).toContain('Could not reach');
    expect(html).toContain('MC_ERR_TARGET_UNREACHABLE');
  });

  it('a hanging target: MC_ERR_TARGET_UNREACHABLE after one timeout, and every report', async () => {
    const hanging = await startServer(() => undefined);
    servers.push(hanging);
    const out = join(work, 'hanging');
    const result = await runCli(mem0Run(hanging.url, out, ['--timeout', '300']), {
      env: { MEMCONFORM_TOKEN: TOKEN },
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('sent no answer within 300 ms: is it hanging?');
    expect(reports(out).json.error?.message).toContain('is it hanging?');
  });

  it('a refused token: one MC_ERR_AUTH_REJECTED line naming header and scheme, token redacted', async () => {
    const refusing = await startServer((request, res) =>
      send(res, 401, { detail: `Invalid API key: ${request.headers.authorization}` }),
    );
    servers.push(refusing);
    const out = join(work, 'auth');
    const result = await runCli(mem0Run(refusing.url, out), { env: { MEMCONFORM_TOKEN: TOKEN } });
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      `memconform: ${refusing.url} refused the token on every request sent with it (HTTP 401; sent "Authorization: Token [REDACTED]"). Check that MEMCONFORM_TOKEN (or --token) holds a valid, unexpired key for this mem0 deployment and that --api and --flavour match it. (MC_ERR_AUTH_REJECTED)\n`,
    );
    expect(result.stdout).toBe('');
    const all = reports(out);
    expect(all.json.error?.code).toBe('MC_ERR_AUTH_REJECTED');
    for (const text of [result.stderr, ...Object.values(all).map((v) => JSON.stringify(v))]) {
      expect(text).not.toContain(TOKEN);
      expect(text).not.toContain('--user-id');
    }
  });

  it.each(['SIGINT', 'SIGTERM'] as const)(
    '%s: stops sending, writes the reports of the cases finished so far marked interrupted, exits 130',
    async (signal) => {
      let requests = 0;
      let afterSignal = 0;
      let signalled = false;
      let signalChild: () => void = () => undefined;
      const slow = await startServer((_request, res) => {
        requests += 1;
        if (signalled) afterSignal += 1;
        // The first case is answered; the second hangs until the run is interrupted.
        if (requests === 1) return send(res, 200, []);
        if (!signalled) {
          signalled = true;
          signalChild();
        }
      });
      servers.push(slow);
      const out = join(work, `interrupted-${signal}`);
      const result = await runCli(mem0Run(slow.url, out, ['--concurrency', '1', '--timeout', '600000']), {
        env: { MEMCONFORM_TOKEN: TOKEN },
        onStart: (child) => {
          signalChild = () => child.kill(signal);
        },
      });
      expect(result.code).toBe(130);
      expect(result.stderr).toContain(`memconform: ${signal}: stopping`);
      expect(result.stdout).toContain('INTERRUPTED');
      expect(afterSignal).toBe(0);
      const { json, junit, markdown, html } = reports(out);
      expect(json.interrupted).toBe(true);
      expect(json.summary.passed).toBe(false);
      expect(json.cases).toHaveLength(1);
      expect(junit).toContain('name="run interrupted"');
      expect(markdown).toContain('## ⛔ memconform: interrupted');
      expect(html).toContain('INTERRUPTED');
    },
  );

  it('a second Ctrl-C ends the process at once', async () => {
    let signalChild: () => void = () => undefined;
    const hanging = await startServer(() => signalChild());
    servers.push(hanging);
    const result = await runCli(
      mem0Run(hanging.url, join(work, 'twice'), ['--concurrency', '1', '--timeout', '600000']),
      {
        env: { MEMCONFORM_TOKEN: TOKEN },
        onStart: (child) => {
          signalChild = () => {
            child.kill('SIGINT');
            child.kill('SIGINT');
          };
        },
      },
    );
    // Either the first signal's clean exit won the race, or the second signal ended the process.
    expect(result.code === 130 || result.signal === 'SIGINT').toBe(true);
  });
});

describe('bad paths end in one line, never a hang or a stack trace', () => {
  it('--suite /dev/zero is MC_ERR_SUITE, exit 2', async () => {
    const result = await runCli(['run', '--api', 'mem0', '--suite', '/dev/zero']);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe('memconform: /dev/zero: is neither a file nor a folder (MC_ERR_SUITE)\n');
  });

  it('--out /proc/1/nope is MC_ERR_REPORT, exit 2, before any request', async () => {
    let requests = 0;
    const target = await startServer((_request, res) => {
      requests += 1;
      send(res, 200, []);
    });
    servers.push(target);
    const result = await runCli(mem0Run(target.url, '/proc/1/nope'), { env: { MEMCONFORM_TOKEN: TOKEN } });
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      'memconform: cannot create the report folder /proc/1/nope (ENOENT); check --out (MC_ERR_REPORT)\n',
    );
    expect(requests).toBe(0);
  });
});
