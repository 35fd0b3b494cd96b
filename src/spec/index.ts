import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import type { ApiName } from '../apis.js';
import { DataFileError } from '../errors.js';
import { ApiSpec } from './api-spec.js';

export { escapePointer } from '../json.js';
export { type AjvMode, getAjv, WARN_KEYWORD } from './ajv.js';
export {
  ApiSpec,
  type CredentialScheme,
  pickJsonMediaType,
  type SpecOperation,
  type SpecServer,
} from './api-spec.js';
export { type CollapsedViolation, collapseViolations, pointerPattern } from './violations.js';

const cache = new Map<string, ApiSpec>();

/** The spec file of an api, relative to the package root. */
export function specFileFor(api: ApiName): string {
  return `specs/${api}.openapi.yaml`;
}

/** Loads `specs/<api>.openapi.yaml` under `root` once per process; a bad file is a DataFileError MC_ERR_SPEC. */
export function loadApiSpec(api: ApiName, root: string): ApiSpec {
  const file = specFileFor(api);
  const path = join(root, file);
  const cached = cache.get(path);
  if (cached) return cached;
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new DataFileError(
      'MC_ERR_SPEC',
      file,
      `cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
    );
  }
  const spec = specFromText(api, file, text);
  cache.set(path, spec);
  return spec;
}

/** Builds an ApiSpec from YAML or JSON text (used by loadApiSpec and by tests with small documents). */
export function specFromText(api: ApiName, file: string, text: string): ApiSpec {
  let doc: unknown;
  try {
    doc = parse(text, { prettyErrors: true, uniqueKeys: true });
  } catch (error) {
    throw new DataFileError('MC_ERR_SPEC', file, `is not valid YAML: ${firstLine((error as Error).message)}`);
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) {
    throw new DataFileError(
      'MC_ERR_SPEC',
      file,
      'is not an OpenAPI document (expected a mapping at the top)',
    );
  }
  return new ApiSpec(api, file, doc as Record<string, unknown>);
}

function firstLine(text: string): string {
  return text.split('\n')[0] ?? text;
}
