/**
 * The dispatch rules: the pure parts (pointer lookup, condition matching, rule validation) against tables,
 * and every rule the shipped specs declare against the real mock (Prism in-process on 127.0.0.1, port 0).
 * For each rule a request is built from the operation's first request example so that the rule's conditions
 * hold, and the mock must answer exactly the rule's example; a `Prefer` header must still win; an invalid
 * request or a missing credential must still get Prism's rejection, never the example.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_NAMES, type ApiName } from '../apis.js';
import { DataFileError } from '../errors.js';
import { isRecord, type JsonObject } from '../json.js';
import { packageRoot } from '../package.js';
import { readSpecDocument } from '../spec/document.js';
import { chooseExample, type DispatchRule, readDispatchRules, valueAt } from './dispatch.js';
import { type RunningMock, startMock } from './server.js';

describe('valueAt', () => {
  it.each([
    ['/a', { a: 1 }, 1],
    ['/a/0/b', { a: [{ b: 'x' }] }, 'x'],
    ['/a~1b/c~0d', { 'a/b': { 'c~d': true } }, true],
    ['/missing', { a: 1 }, undefined],
    ['/a/1', { a: [0] }, undefined],
    ['/toString', {}, undefined],
  ])('%s', (pointer, document, expected) => {
    expect(valueAt(document, pointer)).toEqual(expected);
  });
});

describe('chooseExample', () => {
  const rules: DispatchRule[] = [
    { example: 'both', when: { '/format': 'v1.1', '/user': { notIn: ['alex'] } } },
    { example: 'wrapped', when: { '/format': 'v1.1' } },
    { example: 'episodic', when: { '/types': ['episodic'] } },
    { example: 'listed', when: { '/user': { in: ['sam', 'priya'] } } },
    { example: 'stranger', when: { '/user': { notIn: ['alex'] } } },
  ];
  it.each([
    [{ format: 'v1.1', user: 'zoe' }, 'both'],
    [{ format: 'v1.1', user: 'alex' }, 'wrapped'],
    [{ types: ['episodic'] }, 'episodic'],
    [{ types: ['episodic', 'semantic'] }, undefined],
    [{ user: 'priya' }, 'listed'],
    [{ user: 'zoe' }, 'stranger'],
    // notIn needs the value to be there: a request without a user names no unknown user.
    [{ format: 'v1.0' }, undefined],
    [{ user: 'alex' }, undefined],
    ['not an object', undefined],
  ])('%j -> %s', (body, expected) => {
    expect(chooseExample(rules, body)).toBe(expected);
  });
});

describe('readDispatchRules', () => {
  const doc = (rules: unknown): JsonObject => ({
    paths: {
      '/search': {
        post: {
          'x-memconform-dispatch': rules,
          responses: { '200': { content: { 'application/json': { examples: { full: {}, empty: {} } } } } },
        },
      },
    },
  });
  it('keys the rules by method and spec path', () => {
    const rules = readDispatchRules(
      's.yaml',
      doc([{ example: 'empty', when: { '/user': { notIn: ['a'] } } }]),
    );
    expect([...rules.keys()]).toEqual(['post /search']);
  });
  it.each([
    ['not a list', { example: 'empty' }, /must be a list of rules/],
    ['no when', [{ example: 'empty' }], /a rule is \{example/],
    [
      'an unknown example',
      [{ example: 'nope', when: { '/u': 1 } }],
      /"nope" is not an example of the success response \(full, empty\)/,
    ],
    ['an empty when', [{ example: 'empty', when: {} }], /names no condition/],
    ['a pointer without /', [{ example: 'empty', when: { user: 1 } }], /"user" is not a JSON pointer/],
    ['notIn without a list', [{ example: 'empty', when: { '/u': { notIn: 'a' } } }], /takes a list/],
  ])('refuses %s with MC_ERR_SPEC naming the rule', (_name, rules, message) => {
    const error = (() => {
      try {
        readDispatchRules('s.yaml', doc(rules));
      } catch (caught) {
        return caught;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(DataFileError);
    expect((error as DataFileError).code).toBe('MC_ERR_SPEC');
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).toContain('s.yaml');
  });
});

/** Every rule of the shipped specs, with the request that must select it. */
interface RuleCase {
  readonly api: ApiName;
  readonly path: string;
  readonly rule: DispatchRule;
  readonly body: unknown;
  readonly expected: unknown;
}

/** Writes `value` at `pointer`, creating objects (and arrays for numeric tokens) on the way. */
function setAt(document: JsonObject, pointer: string, value: unknown): void {
  const tokens = pointer
    .split('/')
    .slice(1)
    .map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'));
  let node: Record<string, unknown> | unknown[] = document;
  tokens.forEach((token, i) => {
    const last = i === tokens.length - 1;
    const key = Array.isArray(node) ? Number(token) : token;
    const container = node as Record<string | number, unknown>;
    if (last) container[key] = value;
    else {
      const next = container[key];
      const fresh = /^\d+$/.test(tokens[i + 1] ?? '') ? [] : {};
      if (typeof next !== 'object' || next === null) container[key] = fresh;
      node = container[key] as Record<string, unknown> | unknown[];
    }
  });
}

/** A value that satisfies the condition: the value itself, the first listed one, or an id no list names. */
function satisfying(condition: unknown): unknown {
  if (isRecord(condition) && Array.isArray(condition.in)) return condition.in[0];
  if (isRecord(condition) && Array.isArray(condition.notIn)) return 'mc-dispatch-unknown-user';
  return condition;
}

function ruleCases(): RuleCase[] {
  const cases: RuleCase[] = [];
  for (const api of API_NAMES) {
    const doc = readSpecDocument(api, packageRoot());
    const rules = readDispatchRules(`specs/${api}.openapi.yaml`, doc);
    const paths = doc.paths as Record<string, Record<string, JsonObject>>;
    for (const [key, list] of rules) {
      const [method, path] = key.split(' ') as [string, string];
      const operation = paths[path]?.[method] as JsonObject;
      const media = ((operation.requestBody as JsonObject).content as JsonObject)[
        'application/json'
      ] as JsonObject;
      const first = Object.values(media.examples as JsonObject)[0] as JsonObject;
      const success = ((operation.responses as JsonObject)['200'] as JsonObject).content as JsonObject;
      const examples = (success['application/json'] as JsonObject).examples as JsonObject;
      for (const rule of list) {
        const body = structuredClone(first.value) as JsonObject;
        for (const [pointer, condition] of Object.entries(rule.when))
          setAt(body, pointer, satisfying(condition));
        // The rule under test must be the first that matches the body built for it.
        expect(chooseExample(list, body), `${api} ${path} ${rule.example}`).toBe(rule.example);
        cases.push({ api, path, rule, body, expected: (examples[rule.example] as JsonObject).value });
      }
    }
  }
  return cases;
}

describe('every dispatch rule of the specs, through the mock', () => {
  let mock: RunningMock;
  beforeAll(async () => {
    mock = await startMock({ apis: [...API_NAMES], host: '127.0.0.1', port: 0, flavour: 'hosted' });
  });
  afterAll(() => mock.close());

  const base = (api: ApiName) => mock.endpoints.find((e) => e.api === api)?.baseUrl ?? '';
  const auth = (api: ApiName) => (api === 'memmachine' ? 'Bearer any-key' : 'Token any-key');
  const post = async (api: ApiName, path: string, body: unknown, headers: Record<string, string> = {}) => {
    const response = await fetch(`${base(api)}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: auth(api), ...headers },
      body: JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as unknown };
  };

  const cases = ruleCases();
  it('covers the rules the issue asks for', () => {
    const named = cases.map((c) => `${c.api} ${c.path} ${c.rule.example}`);
    expect(named).toEqual(
      expect.arrayContaining([
        'mem0 /v1/memories/search/ v1.1-results',
        'mem0 /v1/memories/search/ empty',
        'mem0 /v3/memories/search/ empty',
        'memmachine /v2/memories/search episodic-only',
        'memmachine /v2/memories/search semantic-only',
        'memos /search/memory without-preferences',
      ]),
    );
  });

  it.each(cases.map((c) => [`${c.api} ${c.path} -> ${c.rule.example}`, c] as const))(
    '%s',
    async (_name, { api, path, body, expected }) => {
      expect(await post(api, path, body)).toEqual({ status: 200, body: expected });
    },
  );

  it('lets a Prefer header win over the rules', async () => {
    const unknownUser = { query: 'food', user_id: 'mc-dispatch-unknown-user' };
    const preferred = await post('mem0', '/v1/memories/search/', unknownUser, {
      prefer: 'example=v1.1-results',
    });
    expect(preferred.body).toMatchObject({ results: expect.any(Array) });
    const coded = await post('mem0', '/v1/memories/search/', unknownUser, { prefer: 'code=429' });
    expect(coded.status).toBe(429);
  });

  it('still rejects invalid or unauthenticated requests the rules match', async () => {
    const invalid = await post('mem0', '/v1/memories/search/', {
      query: '',
      user_id: 'mc-dispatch-unknown-user',
    });
    expect(invalid.status).toBe(400);
    const response = await fetch(`${base('mem0')}/v1/memories/search/`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: 'food', user_id: 'mc-dispatch-unknown-user' }),
    });
    expect(response.status).toBe(401);
  });
});

describe('mock tokens', () => {
  let mock: RunningMock;
  beforeAll(async () => {
    mock = await startMock({ apis: ['mem0'], host: '127.0.0.1', port: 0, tokens: ['right-key'] });
  });
  afterAll(() => mock.close());

  it.each([
    ['the accepted key', 'Token right-key', 200],
    ['another key', 'Token wrong-key', 401],
  ])('answers %s with %i', async (_name, authorization, status) => {
    const response = await fetch(`${mock.url}/v1/memories/search/`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization },
      body: JSON.stringify({ query: 'food', user_id: 'alex' }),
    });
    expect(response.status).toBe(status);
  });
});
