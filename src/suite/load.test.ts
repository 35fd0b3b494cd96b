// biome-ignore-all lint/suspicious/noTemplateCurlyInString: suites use ${name} placeholders, not template literals.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DataFileError } from '../errors.js';
import { loadApiSpec } from '../spec/index.js';
import { loadSuites, MAX_SUITE_BYTES, suiteFromText } from './load.js';
import {
  builtInVariables,
  placeholdersIn,
  resolvePlaceholders,
  UnknownPlaceholderError,
} from './placeholders.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const context = { root: ROOT, spec: () => loadApiSpec('mem0', ROOT) };

const GOOD = `
api: mem0
operation: searchMemories
variables: { user: alex }
cases:
  - id: basic-search
    description: A plain search returns a list.
    tags: [smoke]
    request:
      body: { query: food, user_id: '\${user}' }
  - id: two-steps
    description: Ping first, then search.
    steps:
      - operation: ping
        auth: none
      - body: { query: x, user_id: '\${unknownUser}' }
        headers: { X-Trace: 'a-\${user}' }
`;

function errorOf(fn: () => unknown): DataFileError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(DataFileError);
    return error as DataFileError;
  }
  throw new Error('expected a DataFileError');
}

describe('suite loading', () => {
  it('normalises shorthand requests, step names, auth and headers', () => {
    const suite = suiteFromText('suites/mem0/x.yaml', GOOD, context);
    expect(suite).toMatchObject({ api: 'mem0', operation: 'searchMemories', variables: { user: 'alex' } });
    expect(suite.cases[0]).toEqual({
      id: 'basic-search',
      description: 'A plain search returns a list.',
      tags: ['smoke'],
      steps: [
        {
          name: 'request',
          operation: 'searchMemories',
          auth: 'valid',
          headers: {},
          body: { query: 'food', user_id: '${user}' },
        },
      ],
    });
    expect(suite.cases[1]?.steps.map((s) => [s.name, s.operation, s.auth])).toEqual([
      ['request', 'ping', 'none'],
      ['request-2', 'searchMemories', 'valid'],
    ]);
    expect(suite.cases[1]?.steps[1]?.headers).toEqual({ 'x-trace': 'a-${user}' });
  });

  it('names the file, the pointer and the case id for schema errors', () => {
    const bad = GOOD.replace('description: Ping first, then search.', 'description: short');
    const error = errorOf(() => suiteFromText('suites/mem0/bad.yaml', bad, context));
    expect(error.code).toBe('MC_ERR_SUITE');
    expect(error.message).toBe(
      'suites/mem0/bad.yaml: /cases/1/description (case "two-steps"): must NOT have fewer than 10 characters',
    );
    const both = GOOD.replace("    request:\n      body: { query: food, user_id: '${user}' }", '');
    expect(errorOf(() => suiteFromText('f.yaml', both, context)).message).toMatch(
      /\/cases\/0 \(case "basic-search"\): a case needs exactly one of "request" or "steps"/,
    );
    expect(
      errorOf(() => suiteFromText('f.yaml', 'api: mem0\noperation: x\ncases: []\nextra: 1', context)).message,
    ).toMatch(/unknown property "extra"/);
    expect(errorOf(() => suiteFromText('f.yaml', 'api: [', context)).message).toMatch(
      /^f\.yaml: is not valid YAML/,
    );
  });

  it('rejects operations the spec does not have, naming the case and step', () => {
    const bad = GOOD.replace('operation: ping', 'operation: noSuchOperation');
    // The list of known operations grows with the spec: only its start is pinned.
    expect(errorOf(() => suiteFromText('f.yaml', bad, context)).message).toMatch(
      /^f\.yaml: \/cases\/1 \(case "two-steps"\), step "request": operation "noSuchOperation" is not in specs\/mem0\.openapi\.yaml \(known: searchMemories, .*\bping\b.*\)$/,
    );
    expect(
      errorOf(() =>
        suiteFromText('f.yaml', GOOD.replace('operation: searchMemories', 'operation: nope'), context),
      ).message,
    ).toMatch(/\/operation: "nope" is not an operation/);
  });

  it('rejects duplicate case ids within a file and across files of one operation', () => {
    const dup = GOOD.replace('id: two-steps', 'id: basic-search');
    expect(errorOf(() => suiteFromText('f.yaml', dup, context)).message).toMatch(
      /case id "basic-search" appears twice/,
    );
    const dir = mkdtempSync(join(tmpdir(), 'mc-suites-'));
    writeFileSync(join(dir, 'a.yaml'), GOOD);
    writeFileSync(join(dir, 'b.yml'), GOOD);
    writeFileSync(join(dir, 'notes.txt'), 'ignored');
    const error = errorOf(() => loadSuites([dir], context));
    expect(error.message).toMatch(
      /b\.yml: case "basic-search" is already defined for mem0\.searchMemories in .*a\.yaml/,
    );
    expect(errorOf(() => loadSuites([join(dir, 'missing.yaml')], context)).message).toMatch(
      /missing\.yaml: does not exist/,
    );
  });

  it('accepts step expressions that read earlier steps and names file, case and step for bad ones', () => {
    const derived = (body: string) => `
api: mem0
operation: searchMemories
cases:
  - id: derived-top-k
    description: The second step derives its top_k from the first answer.
    steps:
      - { name: all, body: { query: food, user_id: alex } }
      - { name: cut, body: ${body} }
`;
    const ok = suiteFromText(
      'f.yaml',
      derived(
        "{ query: food, user_id: alex, top_k: '${count(steps.all/*) - 1}', metadata: { id: 'x-${steps.all/0/id}' } }",
      ),
      context,
    );
    expect(ok.cases[0]?.steps[1]?.body).toMatchObject({ top_k: '${count(steps.all/*) - 1}' });
    const message = (body: string) => errorOf(() => suiteFromText('f.yaml', derived(body), context)).message;
    expect(message("{ query: '${steps.cut/0/id}', user_id: alex }")).toBe(
      'f.yaml: /cases/0 (case "derived-top-k"), step "cut": ${steps.cut/0/id} reads step "cut", which is not an earlier step of this case (earlier steps: all)',
    );
    expect(message("{ query: '${steps.nope/0/id}', user_id: alex }")).toMatch(
      /reads step "nope", which is not an earlier step/,
    );
    expect(message("{ query: x, user_id: alex, top_k: '${avg(steps.all/*/score)}' }")).toBe(
      'f.yaml: /cases/0/steps/1/body/top_k (case "derived-top-k"): ${avg(steps.all/*/score)}: unknown function "avg" (known: min, max, mid, first, count)',
    );
    expect(message("{ query: x, user_id: alex, top_k: '${steps.all/0/score+1}' }")).toMatch(
      /\/body\/top_k \(case "derived-top-k"\): .*pointer token "score\+1" is not allowed/,
    );
    expect(message("{ query: '${steps.all/*/id}', user_id: alex }")).toMatch(/wrap it in one of min, max/);
    expect(message("{ query: 'a ${ b', user_id: alex }")).toMatch(/has a malformed \$\{…\}/);
  });

  it.each([
    ['/dev/zero', 'is neither a file nor a folder'],
    ['/dev/null', 'is neither a file nor a folder'],
    ['/no/such/suite.yaml', 'does not exist'],
  ])('refuses %s as a suite path with MC_ERR_SUITE', (path, why) => {
    const error = errorOf(() => loadSuites([path], context));
    expect(error.code).toBe('MC_ERR_SUITE');
    expect(error.message).toBe(`${path}: ${why}`);
  });

  it('refuses a suite file larger than MAX_SUITE_BYTES before reading it', () => {
    const big = join(mkdtempSync(join(tmpdir(), 'mc-suite-')), 'big.yaml');
    writeFileSync(big, Buffer.alloc(MAX_SUITE_BYTES + 1, 0x20));
    const error = errorOf(() => loadSuites([big], context));
    expect(error.message).toMatch(/big\.yaml: is larger than 10 MB/);
  });

  it('loads the shipped suites', () => {
    const suites = loadSuites([join(ROOT, 'suites')], { root: ROOT, spec: (api) => loadApiSpec(api, ROOT) });
    expect(suites.every((s) => s.file.startsWith('suites/'))).toBe(true);
  });
});

describe('placeholders', () => {
  it('replaces whole-string and embedded placeholders in bodies, leaving keys alone', () => {
    const value = {
      user_id: '${user}',
      note: 'hi ${user} and ${other}',
      list: ['${other}', 3, null],
      '${user}': true,
    };
    expect(resolvePlaceholders(value, { user: 'alex', other: 'priya' })).toEqual({
      user_id: 'alex',
      note: 'hi alex and priya',
      list: ['priya', 3, null],
      '${user}': true,
    });
    expect(placeholdersIn(value).sort()).toEqual(['other', 'user']);
  });

  it('throws naming an unknown placeholder and the known ones', () => {
    expect(() => resolvePlaceholders({ a: 'x ${missing}' }, { user: 'u' })).toThrow(UnknownPlaceholderError);
    expect(() => resolvePlaceholders('${missing}', { user: 'u' })).toThrow(
      'unknown placeholder ${missing} (known: user)',
    );
  });

  it('provides a fresh unknownUser per run', () => {
    const a = builtInVariables().unknownUser;
    const b = builtInVariables().unknownUser;
    expect(a).toMatch(/^mc-unknown-/);
    expect(a).not.toBe(b);
  });
});
