import type { ErrorObject, ValidateFunction } from 'ajv';
import type { ApiName } from '../apis.js';
import type { SchemaViolation, SpecView } from '../checks/types.js';
import { DataFileError } from '../errors.js';
import { escapePointer, isRecord } from '../json.js';
import { type AjvMode, getAjv } from './ajv.js';
import { errorKey, reduceCompositeErrors, toViolations } from './violations.js';

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

/** One server object of the spec, with memconform's extensions read. */
export interface SpecServer {
  readonly url: string;
  readonly flavour: 'hosted' | 'self-hosted';
  readonly authRequired: boolean;
  readonly description?: string;
}

/** How the spec says to send the credential for an operation. */
export interface CredentialScheme {
  /** Lower-case header name. */
  readonly header: string;
  /** Text before the token: `Bearer ` for http bearer, `Token ` for an apiKey in Authorization. */
  readonly prefix: string;
  /** The security scheme's name in the spec. */
  readonly schemeName: string;
}

/** One operation of the spec. */
export interface SpecOperation {
  readonly operationId: string;
  readonly method: string;
  readonly path: string;
  /** Undefined when the operation needs no credential. */
  readonly credential?: CredentialScheme;
  readonly servers: readonly SpecServer[];
  /** JSON pointer of the operation object in the document. */
  readonly pointer: string;
  readonly summary?: string;
}

type Json = Record<string, unknown>;

let documentCounter = 0;

/**
 * One loaded OpenAPI document: operations indexed by operationId, servers and credentials read, response
 * validators compiled once (lenient for errors, strict for `x-memconform-warn` warnings) and a `SpecView`.
 */
export class ApiSpec {
  /** Operations by operationId. */
  readonly operations: ReadonlyMap<string, SpecOperation>;
  /** The document's top-level servers. */
  readonly servers: readonly SpecServer[];
  /** What checks see. */
  readonly view: SpecView;
  private readonly id: string;
  private readonly pointers = new WeakMap<object, string>();
  private readonly validators = new Map<string, ValidateFunction>();
  private readonly registered = new Set<AjvMode>();
  private readonly checkedAtBuild: boolean;
  private readonly precompiled: ((pointer: string) => ((body: unknown) => boolean) | undefined) | undefined;

  constructor(
    readonly api: ApiName,
    /** The file, relative to the package root, for messages. */
    readonly file: string,
    private readonly doc: Json,
    /**
     * `checkedAtBuild`: the build already meta-validated this document and compiled every response validator
     * (shipped JSON), so nothing is checked here and each validator compiles on first use. Otherwise the
     * document is checked now and every response validator compiled, so a broken spec fails before any
     * request is sent.
     */
    options: {
      readonly checkedAtBuild?: boolean;
      /**
       * The build's precompiled strict validator of a response schema pointer, if any: it only tells a valid
       * body from an invalid one, which is all a conforming answer needs (no ajv compile at run time).
       */
      readonly precompiled?: (pointer: string) => ((body: unknown) => boolean) | undefined;
    } = {},
  ) {
    this.checkedAtBuild = options.checkedAtBuild === true;
    this.precompiled = options.precompiled;
    if (!isRecord(doc) || typeof doc.openapi !== 'string' || !doc.openapi.startsWith('3.1')) {
      throw new DataFileError('MC_ERR_SPEC', file, 'not an OpenAPI 3.1 document (expected "openapi: 3.1.x")');
    }
    if (!isRecord(doc.paths)) throw new DataFileError('MC_ERR_SPEC', file, 'has no "paths" object');
    this.indexPointers(doc, '');
    this.servers = this.readServers(doc.servers, '/servers');
    this.operations = this.indexOperations();
    documentCounter += 1;
    this.id = `https://memconform.dev/specs/${api}-${documentCounter}.openapi.json`;
    if (!this.checkedAtBuild) this.compileAll();
    this.view = this.makeView();
  }

  /** Adds the document to the ajv instance of `mode` once (meta-validated unless the build checked it). */
  private register(mode: AjvMode): void {
    if (this.registered.has(mode)) return;
    try {
      getAjv(mode).addSchema(this.doc, this.id, undefined, !this.checkedAtBuild);
    } catch (error) {
      throw new DataFileError(
        'MC_ERR_SPEC',
        this.file,
        `cannot be used as a JSON schema: ${(error as Error).message}`,
      );
    }
    this.registered.add(mode);
  }

  /** The response schema location for an operation and status, or undefined when none is documented. */
  responseSchemaPointer(operationId: string, status: number): string | undefined {
    const key = this.responseKey(operationId, status);
    return key === undefined ? undefined : this.schemaPointerForKey(operationId, key);
  }

  private schemaPointerForKey(operationId: string, key: string): string | undefined {
    const { response, pointer } = this.responseForKey(operationId, key) ?? {};
    if (!response || pointer === undefined) return undefined;
    const content = response.content;
    if (!isRecord(content)) return undefined;
    const type = pickJsonMediaType(Object.keys(content).filter((k) => isRecord(content[k])));
    if (type === undefined) return undefined;
    const media = content[type];
    if (!isRecord(media) || media.schema === undefined) return undefined;
    return `${pointer}/content/${escapePointer(type)}/schema`;
  }

  /**
   * The operation's path with its documented parameter examples filled in (for ready-to-paste curl lines):
   * `{name}` path parameters by their `example`, and query parameters that document one appended. A path
   * parameter without an example stays `{name}`.
   */
  examplePath(operationId: string): string {
    const parameters = this.operationObject(operationId).parameters; // throws for an unknown operation
    const documented = (Array.isArray(parameters) ? parameters : [])
      .map((parameter) => this.deref(parameter))
      .filter(isRecord)
      .map((parameter) => {
        const schema = this.deref(parameter.schema);
        const example = parameter.example ?? (isRecord(schema) ? schema.example : undefined);
        return { name: String(parameter.name), in: parameter.in, example };
      })
      .filter((parameter) => ['string', 'number', 'boolean'].includes(typeof parameter.example));
    let path = this.operations.get(operationId)?.path ?? '';
    const query = new URLSearchParams();
    for (const parameter of documented) {
      const value = String(parameter.example);
      if (parameter.in === 'path') path = path.replace(`{${parameter.name}}`, encodeURIComponent(value));
      if (parameter.in === 'query') query.append(parameter.name, value);
    }
    const search = query.toString();
    return search === '' ? path : `${path}?${search}`;
  }

  /**
   * A documented request body example (for ready-to-paste curl lines), or undefined: the first named example
   * of `flavour` (an example's `x-memconform-flavour`, hosted when absent), else the first of any flavour.
   */
  requestExample(operationId: string, flavour: 'hosted' | 'self-hosted' = 'hosted'): unknown {
    const body = this.deref(this.operationObject(operationId).requestBody);
    if (!isRecord(body) || !isRecord(body.content)) return undefined;
    const type = pickJsonMediaType(Object.keys(body.content));
    const media = type === undefined ? undefined : body.content[type];
    if (!isRecord(media)) return undefined;
    if (media.example !== undefined) return media.example;
    if (isRecord(media.examples)) {
      const examples = Object.values(media.examples)
        .map((example) => this.deref(example))
        .filter(
          (example): example is Record<string, unknown> => isRecord(example) && example.value !== undefined,
        );
      const flavourOf = (example: Record<string, unknown>) => example['x-memconform-flavour'] ?? 'hosted';
      const chosen = examples.find((example) => flavourOf(example) === flavour) ?? examples[0];
      if (chosen !== undefined) return chosen.value;
    }
    const schema = this.deref(media.schema);
    if (isRecord(schema)) {
      if (schema.example !== undefined) return schema.example;
      if (Array.isArray(schema.examples) && schema.examples.length > 0) return schema.examples[0];
    }
    return undefined;
  }

  private makeView(): SpecView {
    return {
      api: this.api,
      documentedStatuses: (operationId) => Object.keys(this.responses(operationId)),
      responseKeyFor: (operationId, status) => this.responseKey(operationId, status),
      responseMediaTypes: (operationId, status) => {
        const content = this.response(operationId, status)?.response.content;
        return isRecord(content) ? Object.keys(content) : [];
      },
      validateResponse: (operationId, status, body) => this.validateResponse(operationId, status, body),
      responseHeaders: (operationId, status) => {
        const headers = this.response(operationId, status)?.response.headers;
        if (!isRecord(headers)) return [];
        return Object.entries(headers).map(([name, header]) => {
          const resolved = this.deref(header);
          return { name, required: isRecord(resolved) && resolved.required === true };
        });
      },
      requestProperty: (operationId, name) => this.requestProperty(operationId, name),
    };
  }

  private validateResponse(
    operationId: string,
    status: number,
    body: unknown,
  ): SchemaViolation[] | undefined {
    const pointer = this.responseSchemaPointer(operationId, status);
    if (pointer === undefined) return undefined;
    // The strict schema is the lenient one plus the x-memconform-warn rules (none sits under a `not`, and the
    // specs' oneOf branches exclude each other by `code`), so a body the strict schema accepts the lenient one
    // accepts too: a conforming answer needs one validator, and the lenient one compiles only when it is needed.
    const quick = this.precompiled?.(pointer);
    if (quick?.(body)) return [];
    const strict = this.validator('strict', pointer);
    if (strict(body)) return [];
    const strictErrors = this.reduce('strict', strict.errors ?? []);
    const lenient = this.validator('lenient', pointer);
    lenient(body);
    const errors = this.reduce('lenient', lenient.errors ?? []);
    // Everything the strict pass adds comes from an x-memconform-warn rule (or a composite it tipped over).
    const errorKeys = new Set(errors.map(errorKey));
    const warnings = strictErrors.filter((e) => !errorKeys.has(errorKey(e)));
    return [...toViolations(errors, 'error'), ...toViolations(warnings, 'warning')];
  }

  private reduce(mode: AjvMode, errors: readonly ErrorObject[]): ErrorObject[] {
    return reduceCompositeErrors(errors, (branch) => {
      if (!isRecord(branch) && typeof branch !== 'boolean') return undefined;
      const pointer = isRecord(branch) ? this.pointers.get(branch) : undefined;
      return pointer === undefined ? undefined : this.validator(mode, pointer);
    });
  }

  private validator(mode: AjvMode, pointer: string): ValidateFunction {
    const key = `${mode}${pointer}`;
    const cached = this.validators.get(key);
    if (cached) return cached;
    this.register(mode);
    let validate: ValidateFunction | undefined;
    try {
      validate = getAjv(mode).getSchema(`${this.id}#${encodePointerForUri(pointer)}`);
    } catch (error) {
      throw new DataFileError(
        'MC_ERR_SPEC',
        this.file,
        `schema at #${pointer} does not compile: ${(error as Error).message}`,
      );
    }
    if (!validate) throw new DataFileError('MC_ERR_SPEC', this.file, `no schema at #${pointer}`);
    this.validators.set(key, validate);
    return validate;
  }

  /** Compiles every response schema in both modes, so a broken spec fails before any request is sent. */
  private compileAll(): void {
    for (const mode of ['lenient', 'strict'] as const) this.register(mode);
    for (const pointer of this.responseSchemaPointers()) {
      this.validator('lenient', pointer);
      this.validator('strict', pointer);
    }
  }

  /** The JSON pointer of every documented response schema (each once), for compiling or precompiling them. */
  responseSchemaPointers(): string[] {
    const pointers = new Set<string>();
    for (const operation of this.operations.values()) {
      for (const key of Object.keys(this.responses(operation.operationId))) {
        const pointer = this.schemaPointerForKey(operation.operationId, key);
        if (pointer !== undefined) pointers.add(pointer);
      }
    }
    return [...pointers];
  }

  /** The `$id` under which the document is added to ajv (validators are `${schemaId}#<pointer>`). */
  get schemaId(): string {
    return this.id;
  }

  private responses(operationId: string): Json {
    const operation = this.operationObject(operationId);
    return isRecord(operation.responses) ? operation.responses : {};
  }

  private responseKey(operationId: string, status: number): string | undefined {
    const keys = Object.keys(this.responses(operationId));
    const exact = keys.find((k) => k === String(status));
    if (exact) return exact;
    const range = keys.find((k) => k.toUpperCase() === `${Math.floor(status / 100)}XX`);
    if (range) return range;
    return keys.includes('default') ? 'default' : undefined;
  }

  private response(operationId: string, status: number): { response: Json; pointer: string } | undefined {
    const key = this.responseKey(operationId, status);
    return key === undefined ? undefined : this.responseForKey(operationId, key);
  }

  private responseForKey(operationId: string, key: string): { response: Json; pointer: string } | undefined {
    const op = this.operations.get(operationId);
    if (!op) return undefined;
    let pointer = `${op.pointer}/responses/${escapePointer(key)}`;
    let response: unknown = this.responses(operationId)[key];
    // Follow $ref chains (components/responses) so the schema pointer is the real location.
    for (let hops = 0; isRecord(response) && typeof response.$ref === 'string' && hops < 10; hops += 1) {
      pointer = refToPointer(response.$ref, this.file);
      response = this.at(pointer);
    }
    return isRecord(response) ? { response, pointer } : undefined;
  }

  private requestProperty(operationId: string, name: string): Readonly<Record<string, unknown>> | undefined {
    const body = this.deref(this.operationObject(operationId).requestBody);
    if (!isRecord(body) || !isRecord(body.content)) return undefined;
    const type = pickJsonMediaType(Object.keys(body.content));
    const media = type === undefined ? undefined : body.content[type];
    if (!isRecord(media)) return undefined;
    return this.findProperty(media.schema, name, 0);
  }

  private findProperty(schema: unknown, name: string, depth: number): Json | undefined {
    const resolved = this.deref(schema);
    if (!isRecord(resolved) || depth > 8) return undefined;
    if (isRecord(resolved.properties) && resolved.properties[name] !== undefined) {
      const property = this.deref(resolved.properties[name]);
      if (!isRecord(property)) return undefined;
      // Merge a property that is only `$ref` plus siblings (OpenAPI 3.1 allows both).
      const raw = resolved.properties[name];
      return isRecord(raw) && raw.$ref !== undefined ? { ...property, ...omit(raw, '$ref') } : property;
    }
    for (const key of ['allOf', 'anyOf', 'oneOf'] as const) {
      const list = resolved[key];
      if (!Array.isArray(list)) continue;
      for (const member of list) {
        const found = this.findProperty(member, name, depth + 1);
        if (found) return found;
      }
    }
    return undefined;
  }

  private operationObject(operationId: string): Json {
    const op = this.operations.get(operationId);
    if (!op) {
      // A check or suite asked for an operation the spec does not have: a memconform bug, not a user error.
      throw new Error(
        `${this.file}: no operation "${operationId}" (known: ${[...this.operations.keys()].join(', ')})`,
      );
    }
    const value = this.at(op.pointer);
    return isRecord(value) ? value : {};
  }

  private deref(value: unknown): unknown {
    let current = value;
    for (let hops = 0; isRecord(current) && typeof current.$ref === 'string' && hops < 10; hops += 1) {
      current = this.at(refToPointer(current.$ref, this.file));
    }
    return current;
  }

  private at(pointer: string): unknown {
    let current: unknown = this.doc;
    for (const raw of pointer.split('/').slice(1)) {
      const segment = raw.replace(/~1/g, '/').replace(/~0/g, '~');
      if (Array.isArray(current)) current = current[Number(segment)];
      else if (isRecord(current)) current = current[segment];
      else return undefined;
    }
    return current;
  }

  private indexPointers(value: unknown, pointer: string): void {
    if (typeof value !== 'object' || value === null) return;
    if (this.pointers.has(value)) return; // YAML anchors may share objects; the first location wins.
    this.pointers.set(value, pointer);
    const entries = Array.isArray(value)
      ? value.map((v, i) => [String(i), v] as const)
      : Object.entries(value);
    for (const [key, child] of entries) this.indexPointers(child, `${pointer}/${escapePointer(key)}`);
  }

  private readServers(value: unknown, pointer: string): SpecServer[] {
    if (value === undefined) return [];
    if (!Array.isArray(value)) throw new DataFileError('MC_ERR_SPEC', this.file, `${pointer} must be a list`);
    return value.map((server, i) => {
      if (!isRecord(server) || typeof server.url !== 'string') {
        throw new DataFileError('MC_ERR_SPEC', this.file, `${pointer}/${i} needs a url`);
      }
      const flavour = server['x-memconform-flavour'] ?? 'hosted';
      if (flavour !== 'hosted' && flavour !== 'self-hosted') {
        throw new DataFileError(
          'MC_ERR_SPEC',
          this.file,
          `${pointer}/${i}/x-memconform-flavour must be hosted or self-hosted`,
        );
      }
      const auth = server['x-memconform-auth'] ?? 'required';
      if (auth !== 'required' && auth !== 'none') {
        throw new DataFileError(
          'MC_ERR_SPEC',
          this.file,
          `${pointer}/${i}/x-memconform-auth must be required or none`,
        );
      }
      return {
        url: server.url,
        flavour,
        authRequired: auth === 'required',
        ...(typeof server.description === 'string' ? { description: server.description } : {}),
      };
    });
  }

  private indexOperations(): Map<string, SpecOperation> {
    const operations = new Map<string, SpecOperation>();
    const paths = this.doc.paths as Json;
    for (const [path, item] of Object.entries(paths)) {
      if (!isRecord(item)) continue;
      const itemPointer = `/paths/${escapePointer(path)}`;
      const itemServers =
        item.servers === undefined ? undefined : this.readServers(item.servers, `${itemPointer}/servers`);
      for (const method of METHODS) {
        const operation = item[method];
        if (!isRecord(operation)) continue;
        const pointer = `${itemPointer}/${method}`;
        if (typeof operation.operationId !== 'string') {
          throw new DataFileError(
            'MC_ERR_SPEC',
            this.file,
            `${method.toUpperCase()} ${path} has no operationId`,
          );
        }
        const operationId = operation.operationId;
        if (operations.has(operationId)) {
          throw new DataFileError('MC_ERR_SPEC', this.file, `operationId "${operationId}" is used twice`);
        }
        const security = operation.security ?? this.doc.security;
        const credential = this.readCredential(security, `${pointer}/security`);
        const servers =
          operation.servers === undefined
            ? (itemServers ?? this.servers)
            : this.readServers(operation.servers, `${pointer}/servers`);
        operations.set(operationId, {
          operationId,
          method: method.toUpperCase(),
          path,
          ...(credential ? { credential } : {}),
          servers,
          pointer,
          ...(typeof operation.summary === 'string' ? { summary: operation.summary } : {}),
        });
      }
    }
    return operations;
  }

  private readCredential(security: unknown, pointer: string): CredentialScheme | undefined {
    if (!Array.isArray(security) || security.length === 0) return undefined;
    // An empty requirement ({}) means "anonymous allowed": the first non-empty one is what clients send.
    const requirement = security.find((r) => isRecord(r) && Object.keys(r).length > 0);
    if (!isRecord(requirement)) return undefined;
    const schemeName = Object.keys(requirement)[0] as string;
    const components = isRecord(this.doc.components) ? this.doc.components : {};
    const schemes = isRecord(components.securitySchemes) ? components.securitySchemes : {};
    const scheme = this.deref(schemes[schemeName]);
    if (!isRecord(scheme)) {
      throw new DataFileError(
        'MC_ERR_SPEC',
        this.file,
        `${pointer} names an unknown security scheme "${schemeName}"`,
      );
    }
    if (
      scheme.type === 'http' &&
      typeof scheme.scheme === 'string' &&
      scheme.scheme.toLowerCase() === 'bearer'
    ) {
      return { header: 'authorization', prefix: 'Bearer ', schemeName };
    }
    if (scheme.type === 'apiKey' && scheme.in === 'header' && typeof scheme.name === 'string') {
      const header = scheme.name.toLowerCase();
      // MemOS (M-API TokenAuth) and Mem0 (Z-OAS ApiKeyAuth) both document `Authorization: Token <key>`.
      return { header, prefix: header === 'authorization' ? 'Token ' : '', schemeName };
    }
    throw new DataFileError(
      'MC_ERR_SPEC',
      this.file,
      `security scheme "${schemeName}" is not supported (memconform sends http bearer or an apiKey header)`,
    );
  }
}

/** Picks the JSON media type of a content map: application/json, then any +json / json type. */
export function pickJsonMediaType(types: readonly string[]): string | undefined {
  return (
    types.find((t) => t.toLowerCase() === 'application/json') ??
    types.find((t) => /json/i.test(t)) ??
    types.find((t) => t === '*/*')
  );
}

function refToPointer(ref: string, file: string): string {
  if (!ref.startsWith('#')) {
    throw new DataFileError(
      'MC_ERR_SPEC',
      file,
      `$ref "${ref}" points outside the document (only "#/..." is supported)`,
    );
  }
  return decodeURIComponent(ref.slice(1));
}

/** A JSON pointer as the fragment of a schema URI (`#/paths/~1search/...`). */
export function encodePointerForUri(pointer: string): string {
  return pointer
    .split('/')
    .map((s) => encodeURIComponent(s).replace(/%7E/gi, '~'))
    .join('/');
}

function omit(record: Json, key: string): Json {
  const { [key]: _, ...rest } = record;
  return rest;
}
