import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from './cli.js';
import { optionsFromEverywhere } from './commands/run.js';
import { CONFIG_FILES, envFlags, loadConfig, STARTER_CONFIG } from './config.js';

function folder(files: Record<string, string> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'mc-config-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

const io = (cwd: string, env: Record<string, string> = {}) => {
  const out = { stdout: '', stderr: '' };
  return {
    out,
    io: {
      stdout: (t: string) => {
        out.stdout += t;
      },
      stderr: (t: string) => {
        out.stderr += t;
      },
      env,
      cwd,
      isTTY: false,
    },
  };
};

describe('config file', () => {
  it('is found in the working folder and read as the flags of the same names', () => {
    const dir = folder({
      'memconform.config.yaml':
        'target: http://127.0.0.1:4010\napi: mem0\nchecks: [result-limit-respected, no-cross-user-leak]\ntimeout: 5000\nvar: { user: alex }\nheader: { X-Org: acme }\n',
    });
    const loaded = loadConfig(dir);
    expect(loaded?.file).toBe(join(dir, 'memconform.config.yaml'));
    expect(loaded?.flags).toEqual({
      target: 'http://127.0.0.1:4010',
      api: 'mem0',
      checks: 'result-limit-respected,no-cross-user-leak',
      timeout: '5000',
      var: ['user=alex'],
      header: ['X-Org: acme'],
    });
    expect(loadConfig(folder())).toBeUndefined();
  });

  it.each([
    ['targt: http://x\n', '/: unknown key "targt" (did you mean "target"?)'],
    ['token: secret\n', 'keep the API key out of files: set MEMCONFORM_TOKEN'],
    ['timeout: soon\n', '/timeout: must be integer'],
    [
      'targets: [{ target: http://x, api: zep }]\n',
      '/targets/0/api: must be equal to one of the allowed values (memos, mem0, memmachine)',
    ],
    ['fail-on: [\n', 'not valid YAML or JSON'],
  ])('names the file and the pointer of what is wrong: %j', (text, message) => {
    const dir = folder({ 'memconform.config.yaml': text });
    expect(() => loadConfig(dir)).toThrow(expect.objectContaining({ code: 'MC_ERR_CONFIG' }));
    expect(() => loadConfig(dir)).toThrow(`${join(dir, 'memconform.config.yaml')}: `);
    expect(() => loadConfig(dir)).toThrow(message);
  });

  it('reads JSON too, and --config names any file', () => {
    const dir = folder({ 'ci.json': '{"api": "memos", "fail-on": "warning"}' });
    expect(loadConfig(dir, 'ci.json')?.flags).toEqual({ api: 'memos', 'fail-on': 'warning' });
    expect(() => loadConfig(dir, 'missing.yaml')).toThrow(
      /missing\.yaml: cannot read the config file \(ENOENT\)/,
    );
  });
});

describe('precedence: flag > MEMCONFORM_<OPTION> > config file > default', () => {
  const dir = folder({ 'memconform.config.yaml': 'fail-on: warning\ntimeout: 5000\nconcurrency: 2\n' });
  const resolve = (cli: Record<string, unknown>, env: Record<string, string> = {}) =>
    optionsFromEverywhere(cli, undefined, io(dir, env).io);

  it('takes each option from the strongest source that sets it', () => {
    const fromFile = resolve({});
    expect([fromFile.failOn, fromFile.timeoutMs, fromFile.concurrency]).toEqual(['warning', 5000, 2]);
    const fromEnv = resolve({}, { MEMCONFORM_FAIL_ON: 'error', MEMCONFORM_TIMEOUT: '7000' });
    expect([fromEnv.failOn, fromEnv.timeoutMs, fromEnv.concurrency]).toEqual(['error', 7000, 2]);
    const fromFlag = resolve({ 'fail-on': 'warning', timeout: '9000' }, { MEMCONFORM_FAIL_ON: 'error' });
    expect([fromFlag.failOn, fromFlag.timeoutMs]).toEqual(['warning', 9000]);
    expect(resolve({}, {}).reporters).toEqual(['console', 'json']);
  });

  it('takes the seeding options from a config file and the environment, booleans as booleans', () => {
    const seeded = folder({ 'memconform.config.yaml': 'seed: true\nseed-timeout: 30\nmin-recall: 0.5\n' });
    const fromFile = optionsFromEverywhere({}, undefined, io(seeded, {}).io);
    expect([fromFile.seed, fromFile.seedTimeoutMs, fromFile.minRecall, fromFile.keepData]).toEqual([
      true,
      30_000,
      0.5,
      false,
    ]);
    const fromEnv = resolve({}, { MEMCONFORM_SEED: '1', MEMCONFORM_KEEP_DATA: 'true' });
    expect([fromEnv.seed, fromEnv.keepData]).toEqual([true, true]);
  });

  it('maps every run option to a MEMCONFORM_ variable', () => {
    expect(
      envFlags(
        {
          MEMCONFORM_RATE_LIMIT: '2/s',
          MEMCONFORM_REPORTER: 'json,html',
          MEMCONFORM_VAR: 'user=alex,otherUser=bob',
          MEMCONFORM_HEADER: 'X-Org: acme\nX-Team: core',
          MEMCONFORM_NO_COLOR: '1',
          MEMCONFORM_LIST_CASES: 'false',
        },
        ['rate-limit', 'reporter', 'var', 'header', 'no-color', 'list-cases'],
      ),
    ).toEqual({
      'rate-limit': '2/s',
      reporter: 'json,html',
      var: ['user=alex', 'otherUser=bob'],
      header: ['X-Org: acme', 'X-Team: core'],
      'no-color': true,
      'list-cases': false,
    });
  });

  it('runs every target of a config with targets, each with its own key from token-env', () => {
    const multi = folder({
      'memconform.config.yaml':
        'user-id: alex\ntargets:\n  - { target: http://127.0.0.1:1, api: mem0, token-env: MEM0_KEY }\n  - { target: http://127.0.0.1:2/api/openmem/v1, api: memos, token-env: MEMOS_KEY, user-id: memos_user }\n',
    });
    const options = optionsFromEverywhere(
      {},
      undefined,
      io(multi, { MEM0_KEY: 'mem0-key-123', MEMOS_KEY: 'memos-key-456' }).io,
    );
    expect([options.target, options.token, options.variables.user]).toEqual([
      'http://127.0.0.1:1',
      'mem0-key-123',
      'alex',
    ]);
    const [memos] = options.moreTargets ?? [];
    expect([memos?.target, memos?.apis, memos?.token, memos?.variables.user]).toEqual([
      'http://127.0.0.1:2/api/openmem/v1',
      ['memos'],
      'memos-key-456',
      'memos_user',
    ]);
  });
});

describe('memconform init', () => {
  it('writes a commented starter config that validates, and never overwrites one without --force', async () => {
    const dir = folder();
    const first = io(dir);
    expect(await main(['init'], first.io)).toBe(0);
    const written = readFileSync(join(dir, CONFIG_FILES[0] as string), 'utf8');
    expect(written).toBe(STARTER_CONFIG);
    expect(written).toMatch(/^# memconform configuration/);
    expect(loadConfig(dir)?.flags).toMatchObject({ api: 'memmachine', 'fail-on': 'error' });
    const again = io(dir);
    expect(await main(['init'], again.io)).toBe(2);
    expect(again.out.stderr).toContain('already exists; edit it, or pass --force');
    expect(await main(['init', '--force'], io(dir).io)).toBe(0);
  });
});
