// @ts-check
/**
 * Start-up figures, side by side, from whole processes of the built CLI (`npm run bench` builds first):
 *
 * - `memconform run --target … --api memos` against a bare `fetch` replay of the very same requests (recorded
 *   from one run through a small proxy, replayed 4 at a time like the run's default concurrency);
 * - `memconform --version` against `node -e 0`;
 * - `memconform serve`: from spawn to the first answer;
 * - `memconform mock --api mem0` against plain `prism mock specs/mem0.openapi.yaml`: from spawn to the first
 *   answer to the same search.
 *
 * Every measurement is repeated BENCH_REPS times (default 7), interleaved, and the median is reported, so a
 * noisy, shared machine slows every contender alike. A ratio is the median of the per-repetition ratios (each
 * contender against its baseline measured right after it), with the middle half of them beside it. Prints
 * figures and the targets of issue 14; it never fails on time.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { availableParallelism, cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(import.meta.dirname, '..');
const CLI = join(ROOT, 'dist', 'cli.js');
const PRISM = join(ROOT, 'node_modules', '@stoplight', 'prism-cli', 'dist', 'index.js');
const REPLAY = join(import.meta.dirname, 'replay.mjs');
const REPS = Number(process.env.BENCH_REPS ?? 7);
const TOKEN = 'mc-reference-token';
/** Colour codes Prism's logger writes around the URL. */
const ANSI = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, 'g');
const work = mkdtempSync(join(tmpdir(), 'memconform-bench-'));
/** How busy the machine was before the bench added its own load. */
const loadBefore = loadavg()[0] ?? 0;

/** The search both mocks answer: Mem0's v1 search with the spec's own first example. */
const MEM0_SEARCH = {
  path: '/v1/memories/search/',
  init: {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: 'Token bench' },
    body: JSON.stringify({ query: 'What does Alex like to eat when travelling?', user_id: 'alex' }),
  },
};

/**
 * Runs a command to completion; resolves with its wall time in ms.
 * @param {string[]} args
 * @param {Record<string, string>} [env]
 */
function timeProcess(args, env = {}) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, args, {
      cwd: work,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    child.on('error', reject);
    child.on('exit', (code) => {
      const ms = performance.now() - started;
      if (code === 0) resolve(ms);
      else reject(new Error(`${args.join(' ')} exited ${code}: ${stderr}`));
    });
  });
}

/**
 * Starts a server process and resolves with the time from spawn to its first successful answer to `probe`,
 * then stops it.
 * @param {string[]} args
 * @param {RegExp} listening the line that names the origin (first group)
 * @param {{ path: string, init?: RequestInit }} probe
 */
function timeToFirstAnswer(args, listening, probe) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let asked = false;
    const fail = (/** @type {Error} */ error) => {
      child.kill('SIGKILL');
      reject(error);
    };
    const onData = (/** @type {Buffer} */ chunk) => {
      out += chunk.toString();
      const origin = listening.exec(out.replace(ANSI, ''))?.[1];
      if (origin === undefined || asked) return;
      asked = true;
      fetch(origin.replace(/\/+$/, '') + probe.path, probe.init).then(async (response) => {
        await response.arrayBuffer();
        const ms = performance.now() - started;
        child.kill('SIGTERM');
        if (response.status === 200) resolve(ms);
        else reject(new Error(`${args.join(' ')}: first answer HTTP ${response.status}`));
      }, fail);
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => {
      if (!asked) reject(new Error(`${args.join(' ')} exited ${code} before listening: ${out}`));
    });
  });
}

/** A port nobody listens on right now (Prism's CLI needs a number). */
async function freePort() {
  const server = createServer();
  await new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(undefined)));
  const address = server.address();
  await new Promise((resolve) => server.close(() => resolve(undefined)));
  return typeof address === 'object' && address !== null ? address.port : 0;
}

/** Starts `memconform serve` for the run comparison; resolves with its origin and a stop function. */
function startReference() {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, 'serve', '--port', '0'], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (chunk) => {
      out += chunk;
      const origin = /listening on (http:\/\/\S+)/.exec(out)?.[1];
      if (origin && out.includes('Ctrl-C stops the server.')) {
        resolve({ origin, stop: () => child.kill('SIGTERM') });
      }
    });
    child.on('exit', (code) => reject(new Error(`serve exited ${code}: ${out}`)));
  });
}

/**
 * Records what one `memconform run` sends: a proxy in front of the reference keeps method, path, headers and
 * body of every request, in the order they arrive.
 * @param {string} origin
 * @param {string[]} runArgs (without --target)
 * @param {string} basePath
 */
async function recordRequests(origin, runArgs, basePath) {
  /** @type {{ method: string, path: string, headers: Record<string, string>, body?: string }[]} */
  const requests = [];
  const proxy = createServer(async (req, res) => {
    const chunks = [];
    for await (const chunk of req) chunks.push(chunk);
    const body = chunks.length > 0 ? Buffer.concat(chunks).toString('utf8') : undefined;
    /** @type {Record<string, string>} */
    const headers = {};
    for (const [name, value] of Object.entries(req.headers)) {
      if (typeof value === 'string' && !['host', 'connection', 'content-length'].includes(name)) {
        headers[name] = value;
      }
    }
    const method = req.method ?? 'GET';
    requests.push({ method, path: req.url ?? '/', headers, ...(body === undefined ? {} : { body }) });
    const answer = await fetch(origin + (req.url ?? '/'), { method, headers, body });
    res.writeHead(answer.status, Object.fromEntries(answer.headers));
    res.end(Buffer.from(await answer.arrayBuffer()));
  });
  await new Promise((resolve) => proxy.listen(0, '127.0.0.1', () => resolve(undefined)));
  const address = proxy.address();
  const proxyOrigin = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  try {
    await timeProcess([CLI, ...runArgs, '--target', proxyOrigin + basePath], { MEMCONFORM_TOKEN: TOKEN });
  } finally {
    proxy.close();
  }
  return requests;
}

/**
 * The value below which a share `q` of `values` lies (linear between neighbours).
 * @param {number[]} values
 * @param {number} q
 */
function quantile(values, q) {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (sorted.length - 1) * q;
  const low = sorted[Math.floor(at)] ?? 0;
  const high = sorted[Math.ceil(at)] ?? 0;
  return low + (high - low) * (at - Math.floor(at));
}

/** @param {number[]} values */
const median = (values) => quantile(values, 0.5);

const reference = /** @type {{ origin: string, stop: () => void }} */ (await startReference());
try {
  const basePath = '/api/openmem/v1';
  const runArgs = ['run', '--api', 'memos', '--reporter', 'json', '--out', join(work, 'out')];
  const requests = await recordRequests(reference.origin, runArgs, basePath);
  const recorded = join(work, 'requests.json');
  writeFileSync(recorded, JSON.stringify(requests));

  const mem0Spec = join(ROOT, 'specs', 'mem0.openapi.yaml');
  /** @type {Record<string, () => Promise<number>>} */
  const contenders = {
    run: () =>
      timeProcess([CLI, ...runArgs, '--target', reference.origin + basePath], { MEMCONFORM_TOKEN: TOKEN }),
    replay: () => timeProcess([REPLAY, recorded, reference.origin]),
    version: () => timeProcess([CLI, '--version']),
    node: () => timeProcess(['-e', '0']),
    serve: () =>
      timeToFirstAnswer([CLI, 'serve', '--port', '0'], /listening on (http:\/\/\S+)/, {
        path: '/v1/ping/',
        init: { headers: { authorization: `Token ${TOKEN}` } },
      }),
    mock: () =>
      timeToFirstAnswer(
        [CLI, 'mock', '--api', 'mem0', '--port', '0'],
        /listening on (http:\/\/\S+)/,
        MEM0_SEARCH,
      ),
    prism: async () =>
      timeToFirstAnswer(
        [PRISM, 'mock', '--host', '127.0.0.1', '--port', String(await freePort()), mem0Spec],
        /Prism is listening on (http:\/\/\S+)/,
        MEM0_SEARCH,
      ),
  };
  /** @type {Record<string, number[]>} */
  const samples = Object.fromEntries(Object.keys(contenders).map((name) => [name, []]));
  await timeProcess([CLI, ...runArgs, '--target', reference.origin + basePath], { MEMCONFORM_TOKEN: TOKEN }); // warm-up
  for (let rep = 0; rep < REPS; rep += 1) {
    for (const [name, measure] of Object.entries(contenders)) samples[name]?.push(await measure());
  }
  const med = (/** @type {string} */ name) => median(samples[name] ?? []);
  const m = {
    run: med('run'),
    replay: med('replay'),
    version: med('version'),
    node: med('node'),
    serve: med('serve'),
    mock: med('mock'),
    prism: med('prism'),
  };
  const ms = (/** @type {number} */ value) => `${Math.round(value)} ms`.padStart(8);
  /** Median and middle half of the per-repetition ratios of `name` to `base`. */
  const ratio = (/** @type {string} */ name, /** @type {string} */ base) => {
    const pairs = (samples[name] ?? []).map((value, i) => value / (samples[base]?.[i] ?? Number.NaN));
    const fixed = (/** @type {number} */ value) => value.toFixed(2);
    return {
      value: median(pairs),
      text: `${fixed(median(pairs))}× (${fixed(quantile(pairs, 0.25))}–${fixed(quantile(pairs, 0.75))})`,
    };
  };
  const runRatio = ratio('run', 'replay');
  const versionRatio = ratio('version', 'node');
  const mockRatio = ratio('mock', 'prism');
  const verdict = (/** @type {boolean} */ ok) => (ok ? 'met' : 'NOT met');
  const rows = [
    [
      'memconform run (memos, whole process)',
      ms(m.run),
      `fetch replay ${ms(m.replay)}`,
      runRatio.text,
      '≤ 1.30×',
      verdict(runRatio.value <= 1.3),
    ],
    [
      'memconform --version',
      ms(m.version),
      `node -e 0    ${ms(m.node)}`,
      versionRatio.text,
      '≤ 2.00×',
      verdict(versionRatio.value <= 2),
    ],
    ['memconform serve: first answer', ms(m.serve), '', '', '≤ 300 ms', verdict(m.serve <= 300)],
    [
      'memconform mock --api mem0: first answer',
      ms(m.mock),
      `prism mock   ${ms(m.prism)}`,
      mockRatio.text,
      '≤ 1200 ms',
      verdict(m.mock <= 1200),
    ],
  ];
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  process.stdout.write(
    `memconform start-up, median of ${REPS} interleaved repetitions (${availableParallelism()} cores, ${cpu}, Node ${process.versions.node}, load average ${loadBefore.toFixed(1)} before)\n` +
      'ratios: median of the per-repetition ratios, their middle half in brackets\n' +
      `run and replay: ${requests.length} requests against the reference (memconform serve), 4 in flight\n\n` +
      rows
        .map(
          (row) =>
            `  ${row[0]?.padEnd(42)}${row[1]}   ${String(row[2]).padEnd(22)}   ${String(row[3]).padEnd(20)}   target ${String(row[4]).padEnd(10)}${row[5]}`,
        )
        .join('\n') +
      '\n',
  );
} finally {
  reference.stop();
  rmSync(work, { recursive: true, force: true });
}
