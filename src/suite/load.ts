import { readdirSync, readFileSync, statSync } from 'node:fs';
import { isAbsolute, join, relative, sep } from 'node:path';
import type { ErrorObject, ValidateFunction } from 'ajv';
import type { ApiName } from '../apis.js';
import { parseYaml, shippedData } from '../data.js';
import { DataFileError } from '../errors.js';
import { getAjv } from '../spec/ajv.js';
import type { ApiSpec } from '../spec/api-spec.js';
import { ExpressionSyntaxError, type StepExpression, stepExpressionsIn } from './expressions.js';
import type { AuthMode, SuiteCase, SuiteFile, SuiteStep } from './types.js';

/** Where a suite loader finds the package's files and the specs to check operations against. */
export interface SuiteLoadContext {
  /** Package root: schemas/suite.schema.json lives there; suite paths inside it are shown relative to it. */
  readonly root: string;
  /** The loaded spec of an api. */
  readonly spec: (api: ApiName) => ApiSpec;
}

const validators = new Map<string, ValidateFunction>();

/** The package's default suite folder of an api. */
export function defaultSuitePath(api: ApiName, root: string): string {
  return join(root, 'suites', api);
}

/**
 * Loads suite files and folders (folders: every .yaml/.yml file below them, sorted), validates each against
 * schemas/suite.schema.json, normalises it and checks it against the api's spec. Case ids must be unique per
 * api and operation across all loaded files.
 */
export function loadSuites(paths: readonly string[], context: SuiteLoadContext): SuiteFile[] {
  const files: string[] = [];
  for (const path of paths) files.push(...suiteFilesUnder(path, context.root));
  const suites = [...new Set(files)].map((file) => loadSuiteFile(file, context));
  const seen = new Map<string, string>();
  for (const suite of suites) {
    for (const suiteCase of suite.cases) {
      const key = `${suite.api}.${suite.operation}.${suiteCase.id}`;
      const first = seen.get(key);
      if (first !== undefined) {
        throw new DataFileError(
          'MC_ERR_SUITE',
          suite.file,
          `case "${suiteCase.id}" is already defined for ${suite.api}.${suite.operation} in ${first}; case ids must be unique per operation`,
        );
      }
      seen.set(key, suite.file);
    }
  }
  return suites;
}

/** Suite files under a path (the path itself when it is a file). */
export function suiteFilesUnder(path: string, root: string): string[] {
  let stat: ReturnType<typeof statSync>;
  try {
    stat = statSync(path);
  } catch {
    throw new DataFileError('MC_ERR_SUITE', displayPath(path, root), 'does not exist');
  }
  if (stat.isFile()) return [path];
  // A device, FIFO or socket (`--suite /dev/zero`) would be read forever or block: only files and folders.
  if (!stat.isDirectory()) {
    throw new DataFileError('MC_ERR_SUITE', displayPath(path, root), 'is neither a file nor a folder');
  }
  let entries: string[];
  try {
    entries = readdirSync(path, { recursive: true, withFileTypes: false }) as string[];
  } catch (error) {
    throw new DataFileError(
      'MC_ERR_SUITE',
      displayPath(path, root),
      `cannot be listed (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
    );
  }
  return entries
    .filter((name) => /\.ya?ml$/i.test(name))
    .map((name) => join(path, name))
    .filter((file) => statSync(file).isFile())
    .sort();
}

/** Larger suite files are refused before they are read: suites are small, a huge file is a wrong path. */
export const MAX_SUITE_BYTES = 10 * 1024 * 1024;

/** Loads and normalises one suite file. */
export function loadSuiteFile(path: string, context: SuiteLoadContext): SuiteFile {
  const file = displayPath(path, context.root);
  // A suite the package ships was validated when the build wrote its JSON; only user files are checked here.
  const shipped = shippedData(path, context.root);
  if (shipped !== undefined) return normaliseSuite(file, shipped as RawSuite, context);
  let text: string;
  try {
    if (statSync(path).size > MAX_SUITE_BYTES) {
      throw new DataFileError(
        'MC_ERR_SUITE',
        file,
        `is larger than ${MAX_SUITE_BYTES / 1024 / 1024} MB; a suite is a few kilobytes of YAML`,
      );
    }
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if (error instanceof DataFileError) throw error;
    throw new DataFileError(
      'MC_ERR_SUITE',
      file,
      `cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
    );
  }
  return suiteFromText(file, text, context);
}

/** Parses, validates and normalises suite text (exported for tests). */
export function suiteFromText(file: string, text: string, context: SuiteLoadContext): SuiteFile {
  let raw: unknown;
  try {
    raw = parseYaml(text);
  } catch (error) {
    throw new DataFileError(
      'MC_ERR_SUITE',
      file,
      `is not valid YAML: ${(error as Error).message.split('\n')[0]}`,
    );
  }
  const validate = suiteValidator(context.root);
  if (!validate(raw)) {
    throw new DataFileError('MC_ERR_SUITE', file, describeSchemaErrors(validate.errors ?? [], raw));
  }
  return normaliseSuite(file, raw as RawSuite, context);
}

/** Turns a suite document that passed the schema into a SuiteFile, checking its operations against the spec. */
function normaliseSuite(file: string, doc: RawSuite, context: SuiteLoadContext): SuiteFile {
  const spec = context.spec(doc.api);
  const known = [...spec.operations.keys()];
  if (!spec.operations.has(doc.operation)) {
    throw new DataFileError(
      'MC_ERR_SUITE',
      file,
      `/operation: "${doc.operation}" is not an operation of ${spec.file} (known: ${known.join(', ')})`,
    );
  }
  const ids = new Set<string>();
  const cases: SuiteCase[] = doc.cases.map((rawCase, index) => {
    const where = `/cases/${index} (case "${rawCase.id}")`;
    if (ids.has(rawCase.id)) {
      throw new DataFileError(
        'MC_ERR_SUITE',
        file,
        `${where}: case id "${rawCase.id}" appears twice in this file`,
      );
    }
    ids.add(rawCase.id);
    const rawSteps = rawCase.steps ?? (rawCase.request ? [rawCase.request] : []);
    const names = new Set<string>();
    const steps: SuiteStep[] = rawSteps.map((rawStep, stepIndex) => {
      const name = rawStep.name ?? (stepIndex === 0 ? 'request' : `request-${stepIndex + 1}`);
      const stepWhere = `${where}, step "${name}"`;
      if (names.has(name))
        throw new DataFileError('MC_ERR_SUITE', file, `${stepWhere}: step name appears twice`);
      checkStepExpressions(file, stepWhere, rawStep, names);
      names.add(name);
      const operation = rawStep.operation ?? doc.operation;
      if (!spec.operations.has(operation)) {
        throw new DataFileError(
          'MC_ERR_SUITE',
          file,
          `${stepWhere}: operation "${operation}" is not in ${spec.file} (known: ${known.join(', ')})`,
        );
      }
      return {
        name,
        operation,
        auth: rawStep.auth ?? 'valid',
        headers: Object.fromEntries(
          Object.entries(rawStep.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v]),
        ),
        ...(rawStep.body === undefined ? {} : { body: rawStep.body }),
        ...(rawStep.rawBody === undefined ? {} : { rawBody: rawStep.rawBody }),
        ...(rawStep.contentType === undefined ? {} : { contentType: rawStep.contentType }),
        ...(rawStep.invalid === undefined ? {} : { invalid: rawStep.invalid }),
      };
    });
    return { id: rawCase.id, description: rawCase.description, steps, tags: rawCase.tags ?? [] };
  });
  return { file, api: doc.api, operation: doc.operation, variables: doc.variables ?? {}, cases };
}

/**
 * Step expressions (`${steps.…}`) must parse and may read only earlier steps of the same case: a typo or a
 * forward reference fails at load, naming the file, case and step, instead of silently skipping the step.
 */
function checkStepExpressions(
  file: string,
  where: string,
  step: RawStep,
  earlier: ReadonlySet<string>,
): void {
  let expressions: StepExpression[];
  try {
    expressions = stepExpressionsIn([step.body, step.headers]);
  } catch (error) {
    if (error instanceof ExpressionSyntaxError)
      throw new DataFileError('MC_ERR_SUITE', file, `${where}: ${error.message}`);
    throw error;
  }
  for (const expression of expressions) {
    if (earlier.has(expression.step)) continue;
    const known = earlier.size === 0 ? 'none, it is the first step' : [...earlier].join(', ');
    throw new DataFileError(
      'MC_ERR_SUITE',
      file,
      `${where}: \${${expression.text}} reads step "${expression.step}", which is not an earlier step of this case (earlier steps: ${known})`,
    );
  }
}

interface RawStep {
  name?: string;
  operation?: string;
  body?: unknown;
  rawBody?: string;
  contentType?: string;
  auth?: AuthMode;
  headers?: Record<string, string>;
  invalid?: string;
}

interface RawSuite {
  api: ApiName;
  operation: string;
  variables?: Record<string, string>;
  cases: { id: string; description: string; tags?: string[]; request?: RawStep; steps?: RawStep[] }[];
}

function suiteValidator(root: string): ValidateFunction {
  const path = join(root, 'schemas', 'suite.schema.json');
  const cached = validators.get(path);
  if (cached) return cached;
  let schema: Record<string, unknown>;
  try {
    schema = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
  } catch (error) {
    throw new DataFileError(
      'MC_ERR_SUITE',
      'schemas/suite.schema.json',
      `cannot be loaded: ${(error as Error).message}`,
    );
  }
  const ajv = getAjv('lenient');
  const id = typeof schema.$id === 'string' ? schema.$id : undefined;
  const validate = (id !== undefined ? ajv.getSchema(id) : undefined) ?? ajv.compile(schema);
  validators.set(path, validate);
  return validate;
}

/** Turns suite-schema errors into one sentence naming the JSON pointer and, under /cases/N, the case id. */
function describeSchemaErrors(errors: readonly ErrorObject[], doc: unknown): string {
  // oneOf/not noise: the schema's "request or steps" and "body or rawBody" rules are stated plainly instead.
  const shown: string[] = [];
  for (const error of errors) {
    let text: string;
    const p = error.params as Record<string, unknown>;
    switch (error.keyword) {
      case 'required':
        text = `missing property "${String(p.missingProperty)}"`;
        break;
      case 'additionalProperties':
        text = `unknown property "${String(p.additionalProperty)}"`;
        break;
      case 'oneOf':
        text = 'a case needs exactly one of "request" or "steps"';
        break;
      case 'not':
        text = 'a step has either "body" or "rawBody", not both';
        break;
      case 'pattern': {
        // The template pattern ($defs/template) is the one a string with `${` can break; say precisely how.
        const value = valueAt(doc, error.instancePath);
        text =
          typeof value === 'string' && value.includes('${')
            ? templateProblem(value)
            : (error.message ?? error.keyword);
        break;
      }
      case 'enum':
        text = `must be one of ${(p.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
        break;
      default:
        text = error.message ?? error.keyword;
    }
    const line = `${locate(error.instancePath, doc)}: ${text}`;
    if (!shown.includes(line)) shown.push(line);
  }
  // With "request or steps", ajv also reports the missing alternative as `required`; drop those duplicates.
  const filtered = shown.some((s) => s.includes('exactly one of "request"'))
    ? shown.filter((s) => !/missing property "(request|steps)"/.test(s))
    : shown;
  const more = filtered.length > 3 ? ` (and ${filtered.length - 3} more)` : '';
  return filtered.slice(0, 3).join('; ') + more;
}

/** The precise reason a string breaks the template pattern, from the expression parser. */
function templateProblem(value: string): string {
  try {
    stepExpressionsIn(value);
  } catch (error) {
    if (error instanceof ExpressionSyntaxError) return error.message;
    throw error;
  }
  return `${JSON.stringify(value)} has a malformed \${…}: write \${name} for a variable or \${steps.<step>/<json-pointer>} for a step expression`;
}

/** The value at a JSON pointer of the parsed document. */
function valueAt(doc: unknown, pointer: string): unknown {
  let value = doc;
  for (const raw of pointer.split('/').slice(1)) {
    const token = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (typeof value !== 'object' || value === null) return undefined;
    value = (value as Record<string, unknown>)[token];
  }
  return value;
}

function locate(pointer: string, doc: unknown): string {
  const match = /^\/cases\/(\d+)/.exec(pointer);
  if (!match) return pointer === '' ? '/' : pointer;
  const cases = (doc as { cases?: unknown[] }).cases;
  const item = Array.isArray(cases) ? cases[Number(match[1])] : undefined;
  const id = typeof item === 'object' && item !== null ? (item as { id?: unknown }).id : undefined;
  return typeof id === 'string' ? `${pointer} (case "${id}")` : pointer;
}

/** Paths inside the package are shown relative to it; others as given. */
function displayPath(path: string, root: string): string {
  const rel = relative(root, path);
  if (rel !== '' && !rel.startsWith('..') && !isAbsolute(rel)) return rel.split(sep).join('/');
  return path;
}
