/**
 * Keeps the hand-written specs honest: each is valid OpenAPI 3.1 by a maintained validator, every example
 * satisfies its own schema (including the warn-level `x-memconform-warn` rules, which examples must keep
 * too), every operation is complete, and Prism can load it.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { Validator } from '@seriousme/openapi-schema-validator';
import { getHttpOperationsFromSpec } from '@stoplight/prism-cli/dist/operations.js';
import { Ajv2020 } from 'ajv/dist/2020.js';
import * as addFormatsNs from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import { API_NAMES, type ApiName } from '../apis.js';
import { loadApiSpec } from './index.js';
import { FORMATS_MODULE, formatsModuleSource, precompiledValidatorsSource } from './precompile.js';

const root = join(import.meta.dirname, '..', '..');
mkdirSync(join(root, 'node_modules', '.cache'), { recursive: true });
type Json = Record<string, unknown>;

function loadSpec(api: ApiName): { file: string; doc: Json } {
  const file = join(root, 'specs', `${api}.openapi.yaml`);
  const parsed = parseDocument(readFileSync(file, 'utf8'), { uniqueKeys: true });
  expect(parsed.errors, `${api}: YAML errors`).toEqual([]);
  return { file, doc: parsed.toJS() as Json };
}

/** A copy where every `x-memconform-warn` schema is enforced, so examples are held to the warn rules too. */
function enforceWarnRules(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(enforceWarnRules);
  if (node === null || typeof node !== 'object') return node;
  const out: Json = {};
  for (const [key, value] of Object.entries(node)) out[key] = enforceWarnRules(value);
  const warn = out['x-memconform-warn'];
  if (warn !== undefined) out.allOf = [...((out.allOf as unknown[] | undefined) ?? []), warn];
  return out;
}

const pointer = (parts: readonly string[]): string =>
  parts.map((p) => p.replaceAll('~', '~0').replaceAll('/', '~1')).join('/');

function resolve(doc: Json, value: unknown): { node: Json; path?: string } {
  const ref = (value as Json | undefined)?.$ref;
  if (typeof ref !== 'string') return { node: value as Json };
  const path = ref.replace(/^#\//, '');
  const node = path
    .split('/')
    .map((s) => s.replaceAll('~1', '/').replaceAll('~0', '~'))
    .reduce<unknown>((at, key) => (at as Json)[key], doc);
  return { node: node as Json, path };
}

interface ExampleUse {
  where: string;
  schemaPointer: string;
  value: unknown;
}

/** Every named or inline example of every request body and response, with the pointer of its schema. */
function examplesOf(doc: Json): ExampleUse[] {
  const uses: ExampleUse[] = [];
  const fromMedia = (media: Json, base: string, where: string) => {
    const schemaPointer = `${base}/schema`;
    if ('example' in media) uses.push({ where: `${where} example`, schemaPointer, value: media.example });
    for (const [name, example] of Object.entries((media.examples as Json | undefined) ?? {})) {
      uses.push({
        where: `${where} example '${name}'`,
        schemaPointer,
        value: resolve(doc, example).node.value,
      });
    }
  };
  for (const [path, item] of Object.entries(doc.paths as Json)) {
    for (const [method, op] of Object.entries(item as Json)) {
      const operation = op as Json;
      if (typeof operation !== 'object' || !('responses' in operation)) continue;
      const base = ['paths', path, method];
      const id = String(operation.operationId);
      const requestBody = resolve(doc, operation.requestBody);
      for (const [type, media] of Object.entries((requestBody.node?.content as Json | undefined) ?? {})) {
        const at = requestBody.path ?? pointer([...base, 'requestBody']);
        fromMedia(media as Json, `${at}/content/${pointer([type])}`, `${id} request`);
      }
      for (const [status, response] of Object.entries(operation.responses as Json)) {
        const resolved = resolve(doc, response);
        const at = resolved.path ?? pointer([...base, 'responses', status]);
        for (const [type, media] of Object.entries((resolved.node.content as Json | undefined) ?? {})) {
          fromMedia(media as Json, `${at}/content/${pointer([type])}`, `${id} ${status}`);
        }
      }
    }
  }
  return uses;
}

function operationsOf(doc: Json): { id: string; operation: Json }[] {
  return Object.values(doc.paths as Json).flatMap((item) =>
    Object.values(item as Json)
      .filter((op): op is Json => typeof op === 'object' && op !== null && 'responses' in op)
      .map((operation) => ({ id: String(operation.operationId), operation })),
  );
}

describe.each(API_NAMES)('specs/%s.openapi.yaml', (api) => {
  const { file, doc } = loadSpec(api);

  it('is valid OpenAPI 3.1 with the 2020-12 dialect Prism needs', async () => {
    expect(doc.openapi).toMatch(/^3\.1\./);
    expect(doc.jsonSchemaDialect).toBe('https://json-schema.org/draft/2020-12/schema');
    const result = await new Validator().validate(doc as never);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
  });

  it('declares a flavour and an auth mode on every server', () => {
    const servers = doc.servers as Json[];
    expect(servers.length).toBeGreaterThan(0);
    for (const server of servers) {
      expect(['hosted', 'self-hosted']).toContain(server['x-memconform-flavour']);
      expect(['required', 'none']).toContain(server['x-memconform-auth']);
    }
  });

  it('gives every operation an operationId, a 2xx example and documented error responses', () => {
    for (const { id, operation } of operationsOf(doc)) {
      expect(id, 'operationId').toMatch(/^[a-z][A-Za-z0-9]+$/);
      const statuses = Object.keys(operation.responses as Json);
      const success = statuses.find((s) => s.startsWith('2'));
      expect(success, `${id}: a 2xx response`).toBeDefined();
      const media = resolve(doc, (operation.responses as Json)[success as string]).node.content as Json;
      // A 204 answers no body (MemMachine deletes), so it has nothing to exemplify.
      if (success === '204' && media === undefined) continue;
      const examples = Object.values(media).flatMap((m) => Object.keys(((m as Json).examples as Json) ?? {}));
      expect(examples.length, `${id}: named 2xx examples`).toBeGreaterThan(0);
      expect(
        statuses.some((s) => /^[45]/.test(s) || s === 'default'),
        `${id}: error responses`,
      ).toBe(true);
    }
  });

  it('has examples that satisfy their own schemas, warn-level rules included', () => {
    const addFormats = addFormatsNs.default as unknown as (ajv: Ajv2020) => Ajv2020;
    const strict = addFormats(new Ajv2020({ strict: false, allErrors: true }));
    strict.addSchema(enforceWarnRules(doc) as Json, 'doc');
    const uses = examplesOf(doc);
    expect(uses.length).toBeGreaterThan(3);
    const failures = uses.flatMap(({ where, schemaPointer, value }) => {
      const validate = strict.compile({ $ref: `doc#/${schemaPointer}` });
      return validate(value) ? [] : [`${where}: ${strict.errorsText(validate.errors)}`];
    });
    expect(failures).toEqual([]);
  });

  it('has build-precompiled validators that accept every response example and refuse a non-body', () => {
    const spec = loadApiSpec(api, root);
    const folder = mkdtempSync(join(root, 'node_modules', '.cache', 'memconform-precompiled-'));
    try {
      // Inside the package, so the generated code's require('ajv-formats/...') resolves as it does in dist/.
      writeFileSync(join(folder, FORMATS_MODULE), formatsModuleSource());
      writeFileSync(join(folder, `${api}.cjs`), precompiledValidatorsSource(spec, structuredClone(doc)));
      const compiled = createRequire(import.meta.url)(join(folder, `${api}.cjs`)) as Record<
        string,
        unknown
      > & {
        pointers: Record<string, string>;
      };
      const validator = (pointer: string) =>
        compiled[compiled.pointers[pointer] ?? ''] as (body: unknown) => boolean;
      expect(Object.keys(compiled.pointers).sort()).toEqual(spec.responseSchemaPointers().sort());
      const responses = examplesOf(doc).filter(
        (use) => compiled.pointers[`/${use.schemaPointer}`] !== undefined,
      );
      expect(responses.length).toBeGreaterThan(3);
      for (const { where, schemaPointer, value } of responses) {
        expect(validator(`/${schemaPointer}`)(value), where).toBe(true);
        expect(validator(`/${schemaPointer}`)('not a response body'), where).toBe(false);
      }
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });

  it('loads in Prism with every operation', async () => {
    const operations = await getHttpOperationsFromSpec(file);
    const ids = operations.map((op) => op.iid);
    expect(ids.sort()).toEqual(
      operationsOf(doc)
        .map((o) => o.id)
        .sort(),
    );
  });
});
