import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { API_NAMES } from '../apis.js';
import { DataFileError } from '../errors.js';
import { collapseViolations, loadApiSpec, specFromText } from './index.js';
import { MAX_DESCRIBED_PER_RULE } from './violations.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

const DOC = `
openapi: 3.1.0
jsonSchemaDialect: https://json-schema.org/draft/2020-12/schema
info: { title: t, version: '1' }
servers:
  - url: https://example.test
    x-memconform-flavour: hosted
    x-memconform-auth: required
  - url: http://localhost:8080/api
    x-memconform-flavour: self-hosted
    x-memconform-auth: none
security: [{ TokenAuth: [] }]
paths:
  /search:
    post:
      operationId: search
      requestBody:
        content:
          application/json:
            schema: { $ref: '#/components/schemas/Req' }
            example: { query: hi }
      responses:
        '200':
          description: ok
          headers:
            X-Request-Id: { required: true, schema: { type: string } }
            X-Optional: { schema: { type: string } }
          content:
            application/json:
              schema: { $ref: '#/components/schemas/Envelope' }
        4XX:
          $ref: '#/components/responses/Err'
        default:
          description: anything
  /ping:
    get:
      operationId: ping
      security: [{ BearerAuth: [] }]
      responses:
        '200': { description: ok }
components:
  securitySchemes:
    TokenAuth: { type: apiKey, in: header, name: Authorization }
    BearerAuth: { type: http, scheme: bearer }
  responses:
    Err:
      description: error
      content:
        application/problem+json:
          schema: { type: object, required: [message], properties: { message: { type: string } } }
  schemas:
    Req:
      type: object
      properties:
        limit: { $ref: '#/components/schemas/Limit', description: 'how many' }
        query: { type: string }
    Limit: { type: integer, default: 10, maximum: 25 }
    Envelope:
      oneOf:
        - type: object
          required: [code, data]
          properties:
            code: { const: 0 }
            data:
              type: object
              required: [list]
              properties:
                list: { type: array, items: { $ref: '#/components/schemas/Item' } }
        - type: object
          required: [code, message]
          properties:
            code: { type: integer, not: { const: 0 } }
            message: { type: string }
            data: { type: 'null' }
    Item:
      type: object
      required: [id, kind]
      properties:
        id: { type: string }
        created: { type: integer }
        kind:
          type: string
          x-memconform-warn: { enum: [a, b] }
`;

const spec = () => specFromText('memos', 'specs/test.openapi.yaml', DOC);

describe('ApiSpec', () => {
  it('indexes operations with method, path and credential scheme', () => {
    const s = spec();
    expect(s.operations.get('search')).toMatchObject({
      method: 'POST',
      path: '/search',
      credential: { header: 'authorization', prefix: 'Token ' },
    });
    expect(s.operations.get('ping')?.credential).toMatchObject({ prefix: 'Bearer ' });
    expect(s.servers.map((server) => [server.flavour, server.authRequired])).toEqual([
      ['hosted', true],
      ['self-hosted', false],
    ]);
  });

  it('finds the response key: exact status, then range, then default', () => {
    const view = spec().view;
    expect(view.responseKeyFor('search', 200)).toBe('200');
    expect(view.responseKeyFor('search', 404)).toBe('4XX');
    expect(view.responseKeyFor('search', 503)).toBe('default');
    expect(view.responseKeyFor('ping', 500)).toBeUndefined();
    expect(view.documentedStatuses('search')).toEqual(['200', '4XX', 'default']);
    expect(view.responseMediaTypes('search', 401)).toEqual(['application/problem+json']);
    expect(view.responseHeaders('search', 200)).toEqual([
      { name: 'X-Request-Id', required: true },
      { name: 'X-Optional', required: false },
    ]);
  });

  it('resolves request properties through $ref, keeping sibling keywords', () => {
    expect(spec().view.requestProperty('search', 'limit')).toMatchObject({
      default: 10,
      maximum: 25,
      description: 'how many',
    });
    expect(spec().view.requestProperty('search', 'nope')).toBeUndefined();
    expect(spec().requestExample('search')).toEqual({ query: 'hi' });
  });

  it('picks the request example of a flavour, else the first', () => {
    const named = specFromText(
      'memmachine',
      'specs/named.openapi.yaml',
      `
openapi: 3.1.0
info: { title: t, version: '1' }
paths:
  /search:
    post:
      operationId: search
      requestBody:
        content:
          application/json:
            examples:
              hosted-default: { value: { project_id: '' } }
              explicit: { x-memconform-flavour: self-hosted, value: { project_id: universal } }
      responses: { '200': { description: ok } }
`,
    );
    expect(named.requestExample('search')).toEqual({ project_id: '' });
    expect(named.requestExample('search', 'hosted')).toEqual({ project_id: '' });
    expect(named.requestExample('search', 'self-hosted')).toEqual({ project_id: 'universal' });
    const hostedOnly = specFromText(
      'mem0',
      'specs/hosted.openapi.yaml',
      `
openapi: 3.1.0
info: { title: t, version: '1' }
paths:
  /search:
    post:
      operationId: search
      requestBody: { content: { application/json: { examples: { only: { value: { query: hi } } } } } }
      responses: { '200': { description: ok } }
`,
    );
    expect(hostedOnly.requestExample('search', 'self-hosted')).toEqual({ query: 'hi' });
  });

  it('validates a good body with no violations and undefined when no schema is documented', () => {
    const view = spec().view;
    expect(
      view.validateResponse('search', 200, { code: 0, data: { list: [{ id: 'x', kind: 'a' }] } }),
    ).toEqual([]);
    expect(view.validateResponse('search', 503, {})).toBeUndefined();
    expect(view.validateResponse('search', 400, {})).toEqual([
      expect.objectContaining({ pointer: '/message', keyword: 'required', severity: 'error' }),
    ]);
  });

  it('describes a bounded number of errors per broken rule and counts the rest', () => {
    const list = Array.from({ length: 1_000 }, (_, i) => ({ id: `m${i}`, kind: 'a', created: 'yesterday' }));
    const violations = spec().view.validateResponse('search', 200, { code: 0, data: { list } }) ?? [];
    expect(violations).toHaveLength(MAX_DESCRIBED_PER_RULE);
    expect(violations.reduce((sum, v) => sum + (v.count ?? 1), 0)).toBe(1_000);
    expect(collapseViolations(violations)).toEqual([
      {
        violation: expect.objectContaining({ pointer: '/data/list/0/created', keyword: 'type' }),
        count: 1_000,
      },
    ]);
  });

  it('reports the closest oneOf branch with JSON pointers and Expected/Received messages', () => {
    const violations = spec().view.validateResponse('search', 200, {
      code: 0,
      data: {
        list: [
          { id: 'x', kind: 'a', created: 'yesterday' },
          { id: 1, kind: 'b' },
          { id: 'z', kind: 'a', created: '1' },
        ],
      },
    });
    expect(violations).toEqual([
      {
        pointer: '/data/list/0/created',
        keyword: 'type',
        severity: 'error',
        message: 'Expected integer / Received string "yesterday"',
        expected: 'integer',
        actual: 'yesterday',
      },
      expect.objectContaining({ pointer: '/data/list/1/id', keyword: 'type', actual: 1 }),
      expect.objectContaining({ pointer: '/data/list/2/created', keyword: 'type' }),
    ]);
    const collapsed = collapseViolations(violations ?? []);
    expect(collapsed.map((c) => [c.violation.pointer, c.count])).toEqual([
      ['/data/list/0/created', 2],
      ['/data/list/1/id', 1],
    ]);
  });

  it('maps x-memconform-warn failures to warnings with the inner rule message', () => {
    const violations = spec().view.validateResponse('search', 200, {
      code: 0,
      data: { list: [{ id: 'x', kind: 'zz' }] },
    });
    expect(violations).toEqual([
      expect.objectContaining({
        pointer: '/data/list/0/kind',
        keyword: 'enum',
        severity: 'warning',
        message: 'Expected one of "a", "b" / Received "zz"',
        actual: 'zz',
      }),
    ]);
  });

  it('keeps errors and warnings apart in one body', () => {
    const violations =
      spec().view.validateResponse('search', 200, { code: 0, data: { list: [{ kind: 'zz' }] } }) ?? [];
    expect(violations.map((v) => [v.pointer, v.severity])).toEqual([
      ['/data/list/0/id', 'error'],
      ['/data/list/0/kind', 'warning'],
    ]);
  });

  it('rejects bad spec files with MC_ERR_SPEC naming the file', () => {
    const bad = (text: string) => () => specFromText('mem0', 'specs/bad.yaml', text);
    expect(bad('openapi: [')).toThrow(/specs\/bad\.yaml: is not valid YAML/);
    expect(bad('openapi: 3.0.0\npaths: {}')).toThrow(DataFileError);
    expect(bad('openapi: 3.1.0\npaths:\n  /x:\n    get:\n      responses: {}')).toThrow(/has no operationId/);
    expect(
      bad(
        "openapi: 3.1.0\npaths:\n  /x:\n    get:\n      operationId: a\n      responses:\n        '200':\n          description: x\n          content:\n            application/json:\n              schema: { $ref: '#/components/schemas/Missing' }",
      ),
    ).toThrow(/MC_ERR_SPEC|does not compile/);
    try {
      bad(
        'openapi: 3.1.0\nsecurity: [{ X: [] }]\npaths:\n  /x:\n    get:\n      operationId: a\n      responses: {}',
      )();
    } catch (error) {
      expect((error as DataFileError).code).toBe('MC_ERR_SPEC');
      expect((error as Error).message).toMatch(/^specs\/bad\.yaml: .*unknown security scheme "X"/);
    }
  });

  it.each(API_NAMES)('loads and compiles the shipped %s spec', (api) => {
    const loaded = loadApiSpec(api, ROOT);
    expect(loaded.operations.size).toBeGreaterThan(0);
    expect(loaded.servers.length).toBeGreaterThan(0);
    expect(loadApiSpec(api, ROOT)).toBe(loaded);
  });

  it('judges a MemOS success body with a warn-level memory_type as a warning only', () => {
    const view = loadApiSpec('memos', ROOT).view;
    const item = {
      id: 'm1',
      memory_key: 'k',
      memory_value: 'v',
      memory_type: 'FancyNewMemory',
      create_time: 1762675057192,
      update_time: 1762675057192,
      conversation_id: 'c',
      status: 'activated',
      confidence: 0.9,
      tags: [],
      relativity: 0.8,
    };
    const body = {
      code: 0,
      message: 'ok',
      data: {
        memory_detail_list: [item],
        preference_detail_list: [],
        tool_memory_detail_list: [],
        preference_note: '',
      },
    };
    const violations = view.validateResponse('searchMemory', 200, body) ?? [];
    expect(violations.filter((v) => v.severity === 'error')).toEqual([]);
    expect(violations).toContainEqual(
      expect.objectContaining({ pointer: '/data/memory_detail_list/0/memory_type', severity: 'warning' }),
    );
  });
});
