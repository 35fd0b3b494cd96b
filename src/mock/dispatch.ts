/**
 * Examples chosen by the request, the way Microcks dispatches by request content: Prism picks a named example
 * only from a `Prefer: example=…` header, which SDKs cannot send, so an SDK asking for `output_format: v1.1`
 * or for a user the examples do not know would get the first example whatever it asked.
 *
 * The rules are data in the specs: an operation's `x-memconform-dispatch` lists rules, tried in order, each
 * naming a success example and the conditions (`when`: JSON pointer into the request body -> condition) that
 * must all hold for it. A condition is a value the body must equal (scalars and arrays compared deeply),
 * `{in: [...]}` (present and one of them) or `{notIn: [...]}` (present and none of them):
 *
 * ```yaml
 * x-memconform-dispatch:
 *   - { example: v1.1-results, when: { /output_format: v1.1 } }
 *   - { example: empty, when: { /user_id: { notIn: [alex, priya, sam] } } }
 * ```
 *
 * The first matching rule sets the example key Prism mocks with, unless the request chose for itself (a
 * `Prefer` header or Prism's `__example`/`__code`/`__dynamic` query parameters win), the server generates
 * bodies (`--dynamic`), or Prism will not answer with a success: the example is only named for a request
 * that passes Prism's own security and input validation, because Prism looks the named example up in the
 * error response too and would answer 404 where it owes a 401 or 400.
 */
// First: takes faker's place before Prism loads it (see english-faker.ts).
import './english-faker.js';
import { isDeepStrictEqual } from 'node:util';
import type { PrismHttpComponents } from '@stoplight/prism-http';
import { validateSecurity } from '@stoplight/prism-http/dist/validator/index.js';
import type { createServer } from '@stoplight/prism-http-server';
import { DataFileError } from '../errors.js';
import { isRecord } from '../json.js';
import type { SpecDocument } from '../spec/document.js';
import type { HttpOperation, Mount } from './mounts.js';

/** The spec extension that holds the rules of an operation. */
export const DISPATCH_EXTENSION = 'x-memconform-dispatch';

/** A condition on one value of the request body. */
export type DispatchCondition =
  | { readonly in: readonly unknown[] }
  | { readonly notIn: readonly unknown[] }
  | unknown;

/** One rule: the success example to serve when every condition holds. */
export interface DispatchRule {
  readonly example: string;
  /** JSON pointer into the request body -> condition. */
  readonly when: Readonly<Record<string, DispatchCondition>>;
}

const operationKey = (method: string, path: string): string => `${method.toLowerCase()} ${path}`;

/** The example names of an operation's first 2xx JSON response. */
function successExamples(operation: Record<string, unknown>): string[] {
  const responses = isRecord(operation.responses) ? operation.responses : {};
  const success = Object.entries(responses).find(([code]) => /^2\d\d$/.test(code))?.[1];
  const content = isRecord(success) && isRecord(success.content) ? success.content : {};
  const media = Object.values(content).find(isRecord);
  return media !== undefined && isRecord(media.examples) ? Object.keys(media.examples) : [];
}

/**
 * The dispatch rules of one spec, keyed by method and path (as written in the spec, without a base path).
 * A malformed rule, or one naming an example the operation's success response does not have, is an
 * MC_ERR_SPEC error naming the file and the rule.
 */
export function readDispatchRules(file: string, doc: SpecDocument): Map<string, DispatchRule[]> {
  const rules = new Map<string, DispatchRule[]>();
  const paths = isRecord(doc.paths) ? doc.paths : {};
  for (const [path, item] of Object.entries(paths)) {
    if (!isRecord(item)) continue;
    for (const [method, operation] of Object.entries(item)) {
      if (!isRecord(operation) || operation[DISPATCH_EXTENSION] === undefined) continue;
      const where = `/paths/${path.replace(/~/g, '~0').replace(/\//g, '~1')}/${method}/${DISPATCH_EXTENSION}`;
      const raw = operation[DISPATCH_EXTENSION];
      if (!Array.isArray(raw))
        throw new DataFileError('MC_ERR_SPEC', file, `${where}: must be a list of rules`);
      const examples = successExamples(operation);
      rules.set(
        operationKey(method, path),
        raw.map((rule, index) => checkedRule(file, `${where}/${index}`, rule, examples)),
      );
    }
  }
  return rules;
}

function checkedRule(file: string, where: string, rule: unknown, examples: readonly string[]): DispatchRule {
  const fail = (why: string) => new DataFileError('MC_ERR_SPEC', file, `${where}: ${why}`);
  if (!isRecord(rule) || typeof rule.example !== 'string' || !isRecord(rule.when)) {
    throw fail('a rule is {example: <name>, when: {<JSON pointer>: <condition>, ...}}');
  }
  if (!examples.includes(rule.example)) {
    throw fail(
      `example "${rule.example}" is not an example of the success response (${examples.join(', ')})`,
    );
  }
  const pointers = Object.keys(rule.when);
  if (pointers.length === 0) throw fail('`when` names no condition');
  for (const pointer of pointers) {
    if (!pointer.startsWith('/')) throw fail(`"${pointer}" is not a JSON pointer (it starts with /)`);
    const condition = rule.when[pointer];
    if (isOperator(condition) && !Array.isArray(Object.values(condition)[0])) {
      throw fail(`the ${Object.keys(condition)[0]} condition of "${pointer}" takes a list`);
    }
  }
  return { example: rule.example, when: rule.when };
}

function isOperator(condition: unknown): condition is Record<'in' | 'notIn', unknown> {
  return (
    isRecord(condition) && Object.keys(condition).length === 1 && ('in' in condition || 'notIn' in condition)
  );
}

/** The value at a JSON pointer (RFC 6901), or undefined when the path does not exist. */
export function valueAt(document: unknown, pointer: string): unknown {
  let node = document;
  for (const raw of pointer.split('/').slice(1)) {
    const token = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(node) && /^(0|[1-9]\d*)$/.test(token)) node = node[Number(token)];
    else if (isRecord(node) && Object.hasOwn(node, token)) node = node[token];
    else return undefined;
  }
  return node;
}

function holds(value: unknown, condition: DispatchCondition): boolean {
  if (isOperator(condition)) {
    if (value === undefined) return false;
    const listed = ((condition.in ?? condition.notIn) as unknown[]).some((entry) =>
      isDeepStrictEqual(entry, value),
    );
    return 'in' in condition ? listed : !listed;
  }
  return isDeepStrictEqual(value, condition);
}

/** The example of the first rule whose conditions all hold for `body`, if any. */
export function chooseExample(rules: readonly DispatchRule[], body: unknown): string | undefined {
  return rules.find((rule) =>
    Object.entries(rule.when).every(([pointer, condition]) => holds(valueAt(body, pointer), condition)),
  )?.example;
}

type PrismInstance = ReturnType<typeof createServer>['prism'];
type ValidateInput = PrismHttpComponents['validateInput'];

/** Prism's per-request choices: the `Prefer` header or its query-parameter spelling. */
const CHOOSING_QUERY = ['__example', '__code', '__dynamic'];

/** What the mock decides before Prism sees a request. */
export interface RequestPolicy {
  /** Dispatch rules by method and full (mounted) path, with the operation they belong to. */
  readonly rules: ReadonlyMap<string, { rules: readonly DispatchRule[]; operation: HttpOperation }>;
  /** API keys the mock accepts; empty: any credential that is present (Prism's own check). */
  readonly tokens: ReadonlySet<string>;
  /** The input validator the server uses (it knows the malformed bodies the JSON pre-check replaced). */
  readonly validateInput: ValidateInput;
}

/** The rules of every mounted operation, keyed by its method and mounted path. */
export function mountedRules(
  mounted: readonly {
    readonly mount: Mount;
    readonly rules: ReadonlyMap<string, readonly DispatchRule[]>;
    readonly operations: readonly HttpOperation[];
  }[],
): RequestPolicy['rules'] {
  const byKey = new Map<string, { rules: readonly DispatchRule[]; operation: HttpOperation }>();
  for (const { mount, rules, operations } of mounted) {
    for (const operation of operations) {
      const own = rules.get(operationKey(operation.method, operation.path.slice(mount.basePath.length)));
      if (own !== undefined)
        byKey.set(operationKey(operation.method, operation.path), { rules: own, operation });
    }
  }
  return byKey;
}

/** The key of an `Authorization: <scheme> <key>` header (or the whole value without a scheme). */
function keyOf(authorization: string): string {
  return authorization.trim().replace(/^\S+\s+/, '');
}

/**
 * Wraps `prism.request` (the server calls it on this same object, see server.ts `observeRequests`) so that:
 * - with `tokens`, a credential that names another key is dropped before Prism checks security, so Prism
 *   answers it with the operation's own 401 (or MemOS's auth error), as it answers a missing one;
 * - a request the rules match is mocked with the rule's example (see the module comment for when not).
 */
export function applyRequestPolicy(prism: PrismInstance, policy: RequestPolicy): void {
  if (policy.rules.size === 0 && policy.tokens.size === 0) return;
  const request = prism.request.bind(prism);
  prism.request = (given, resources, config) => {
    const input = withAcceptedCredentials(given, policy.tokens);
    const example = exampleFor(input, config, policy);
    // The HTTP server always passes its full config, with the Prefer choices merged into `mock`.
    if (example === undefined || config === undefined) return request(input, resources, config);
    return request(input, resources, { ...config, mock: { ...config.mock, exampleKey: example } });
  };
}

type PrismInput = Parameters<PrismInstance['request']>[0];

function withAcceptedCredentials(input: PrismInput, tokens: ReadonlySet<string>): PrismInput {
  const authorization = input.headers?.authorization;
  if (tokens.size === 0 || typeof authorization !== 'string' || tokens.has(keyOf(authorization)))
    return input;
  const { authorization: _dropped, ...headers } = input.headers ?? {};
  return { ...input, headers };
}

function exampleFor(
  input: PrismInput,
  config: Parameters<PrismInstance['request']>[2],
  policy: RequestPolicy,
): string | undefined {
  const entry = policy.rules.get(operationKey(input.method, input.url.path));
  if (entry === undefined) return undefined;
  const chose =
    input.headers?.prefer !== undefined ||
    CHOOSING_QUERY.some((name) => input.url.query?.[name] !== undefined) ||
    config?.mock?.dynamic === true;
  if (chose) return undefined;
  const example = chooseExample(entry.rules, input.body);
  if (example === undefined) return undefined;
  const check = { resource: entry.operation, element: input };
  const answeredWithSuccess =
    validateSecurity(check)._tag === 'Right' && policy.validateInput(check)._tag === 'Right';
  return answeredWithSuccess ? example : undefined;
}
