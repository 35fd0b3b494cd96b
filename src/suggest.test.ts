import { describe, expect, it } from 'vitest';
import { main } from './cli.js';
import { closest, didYouMean, editDistance } from './suggest.js';

describe('did you mean', () => {
  it('measures edits, a transposition counting once', () => {
    expect(editDistance('runn', 'run')).toBe(1);
    expect(editDistance('targt', 'target')).toBe(1);
    expect(editDistance('mmeos', 'memos')).toBe(1);
    expect(editDistance('', 'abc')).toBe(3);
  });

  it.each([
    ['runn', ['run', 'list-checks', 'serve', 'mock'], 'run'],
    ['targt', ['target', 'tags', 'token'], 'target'],
    ['result-limit', ['result-limit-respected', 'request-completes'], 'result-limit-respected'],
    ['htm', ['console', 'json', 'junit', 'markdown', 'html'], 'html'],
    ['zep', ['memos', 'mem0', 'memmachine'], undefined],
    ['mem1', ['memos', 'mem0', 'memmachine'], 'mem0'],
    ['isolaton', ['isolation', 'pagination'], 'isolation'],
    ['xyz', ['run', 'serve'], undefined],
  ])('suggests for %s', (typed, known, expected) => {
    expect(closest(typed, known)).toBe(expected);
  });

  it('renders the hint, or nothing when nothing is close', () => {
    expect(didYouMean('runn', ['run'])).toBe(' (did you mean "run"?)');
    expect(didYouMean('targt', ['target'], (s) => `--${s}`)).toBe(' (did you mean --target?)');
    expect(didYouMean('zzz', ['run'])).toBe('');
  });
});

describe('did you mean, through the CLI', () => {
  it.each([
    [['runn'], 'unknown command "runn" (did you mean "run"?)'],
    [['run', '--targt', 'http://127.0.0.1:9'], "Unknown option '--targt' (did you mean --target?)"],
    [
      ['run', '--checks', 'result-limit'],
      'unknown check id "result-limit" (did you mean "result-limit-respected"?)',
    ],
    [['run', '--reporter', 'htm'], 'unknown reporter "htm" (did you mean "html"?)'],
    [['run', '--api', 'mem1'], 'not "mem1" (did you mean "mem0"?)'],
    [['run', '--api', 'mem0', '--tags', 'isolaton'], 'isolaton (did you mean "isolation"?)'],
    [
      ['run', '--target', 'localhost:4010', '--api', 'mem0'],
      '--target needs a scheme: add http:// (or https://), e.g. --target http://localhost:4010',
    ],
  ])('%j', async (argv, hint) => {
    let stderr = '';
    const io = {
      stdout: () => {},
      stderr: (t: string) => {
        stderr += t;
      },
      env: {},
      cwd: process.cwd(),
      isTTY: false,
    };
    const code = await main(argv, io);
    expect(code).toBe(2);
    expect(stderr).toContain(hint);
    expect(stderr).toMatch(/^memconform: [^\n]+ \(MC_ERR_USAGE\)\n$/);
  });
});
