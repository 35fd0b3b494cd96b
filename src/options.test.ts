import { describe, expect, it } from 'vitest';
import { checked } from './checks/outcome.js';
import type { Check } from './checks/types.js';
import { type MemconformError, UsageError } from './errors.js';
import { DEFAULT_CONCURRENCY, DEFAULT_TIMEOUT_MS, type RunFlags, resolveOptions } from './options.js';

const check = (id: string): Check => ({
  id,
  title: id,
  description: `${id}.`,
  severity: 'error',
  category: 'protocol',
  operations: ['mem0.searchMemories'],
  run: () => checked(),
});
const CHECKS = [check('alpha'), check('beta'), check('gamma')];
const resolve = (flags: RunFlags, env: Record<string, string> = {}, isTTY = false) =>
  resolveOptions(flags, env, { cwd: '/work/here', isTTY, checks: CHECKS });

describe('resolveOptions', () => {
  it('applies the defaults and freezes the result', () => {
    const options = resolve({});
    expect(options).toMatchObject({
      apis: ['memos', 'mem0', 'memmachine'],
      checks: ['alpha', 'beta', 'gamma'],
      excludedChecks: [],
      failOn: 'error',
      reporters: ['console', 'json'],
      outDir: '/work/here/reports',
      timeoutMs: DEFAULT_TIMEOUT_MS,
      concurrency: DEFAULT_CONCURRENCY,
      variables: {},
      color: false,
      suitePaths: [],
    });
    expect(options.target).toBeUndefined();
    expect(Object.isFrozen(options)).toBe(true);
  });

  it('normalises the target and requires --api with it', () => {
    expect(resolve({ target: 'https://api.mem0.ai/', api: 'mem0' }).target).toBe('https://api.mem0.ai');
    expect(resolve({ target: 'http://h:8080/api', api: 'memmachine' })).toMatchObject({
      apis: ['memmachine'],
    });
    expect(() => resolve({ target: 'https://api.mem0.ai' })).toThrow(/--target needs --api/);
    expect(() => resolve({ target: 'ftp://x', api: 'mem0' })).toThrow(UsageError);
    expect(() => resolve({ target: 'not a url', api: 'mem0' })).toThrow(/--target must be an http/);
    expect(() => resolve({ target: 'https://u:p@h', api: 'mem0' })).toThrow(/must not contain credentials/);
    expect(() => resolve({ api: 'zep' })).toThrow(/--api must be one of memos, mem0, memmachine/);
  });

  it('takes the token from --token or MEMCONFORM_TOKEN and never echoes it in errors', () => {
    expect(resolve({}, { MEMCONFORM_TOKEN: 'env-token' }).token).toBe('env-token');
    expect(resolve({ token: 'flag-token' }, { MEMCONFORM_TOKEN: 'env-token' }).token).toBe('flag-token');
    expect(resolve({}, { MEMCONFORM_TOKEN: '  ' }).token).toBeUndefined();
    try {
      resolve({ token: 'secret\u0007value' });
      expect.unreachable();
    } catch (error) {
      expect((error as MemconformError).code).toBe('MC_ERR_CONFIG');
      expect((error as Error).message).not.toContain('secret');
    }
  });

  it('validates --checks and --exclude-checks against the table, listing the valid ids', () => {
    expect(resolve({ checks: 'gamma,alpha' })).toMatchObject({
      checks: ['alpha', 'gamma'],
      excludedChecks: ['beta'],
    });
    expect(resolve({ 'exclude-checks': 'beta' })).toMatchObject({
      checks: ['alpha', 'gamma'],
      excludedChecks: ['beta'],
    });
    expect(() => resolve({ checks: 'alpha,nope' })).toThrow(
      '--checks: unknown check id "nope"; valid ids: alpha, beta, gamma',
    );
    expect(() => resolve({ 'exclude-checks': 'x,y' })).toThrow(/unknown check ids "x", "y"/);
    expect(() => resolve({ checks: ',' })).toThrow(/at least one check id/);
  });

  it('validates reporters, fail-on and numbers', () => {
    expect(resolve({ reporter: 'json' }).reporters).toEqual(['json']);
    expect(() => resolve({ reporter: 'json,pdf' })).toThrow(
      /unknown reporter "pdf"; valid reporters: console, json/,
    );
    expect(resolve({ 'fail-on': 'warning' }).failOn).toBe('warning');
    expect(() => resolve({ 'fail-on': 'info' })).toThrow(/--fail-on must be error or warning/);
    expect(resolve({ timeout: '250', concurrency: '8' })).toMatchObject({ timeoutMs: 250, concurrency: 8 });
    expect(() => resolve({ timeout: '1.5' })).toThrow(/--timeout must be a whole number/);
    expect(() => resolve({ concurrency: '0' })).toThrow(/--concurrency must be between 1 and 64/);
  });

  it('collects --var overrides and the user aliases', () => {
    const options = resolve({
      var: ['query=hello=world', 'limit=3'],
      'user-id': 'alex',
      'other-user-id': 'priya',
    });
    expect(options.variables).toEqual({ query: 'hello=world', limit: '3', user: 'alex', otherUser: 'priya' });
    expect(() => resolve({ var: ['novalue'] })).toThrow(/--var expects name=value/);
    expect(() => resolve({ var: ['1x=2'] })).toThrow(UsageError);
  });

  it('resolves paths against the working directory', () => {
    const options = resolve({ suite: ['suites/a.yaml', '/abs/b'], out: 'out' });
    expect(options.suitePaths).toEqual(['/work/here/suites/a.yaml', '/abs/b']);
    expect(options.outDir).toBe('/work/here/out');
  });

  it('uses colour only on a terminal without NO_COLOR or --no-color', () => {
    expect(resolve({}, {}, true).color).toBe(true);
    expect(resolve({}, { NO_COLOR: '1' }, true).color).toBe(false);
    expect(resolve({ 'no-color': true }, {}, true).color).toBe(false);
    expect(resolve({}, {}, false).color).toBe(false);
  });
});
