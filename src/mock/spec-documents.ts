import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'yaml';
import type { ApiName } from '../apis.js';
import { DataFileError } from '../errors.js';
import { packageRoot } from '../package.js';

/** A parsed OpenAPI document, as plain JSON values. */
export type SpecDocument = Record<string, unknown>;

/** Absolute path of the spec that describes `api` (specs/<api>.openapi.yaml in the package). */
export function specFile(api: ApiName): string {
  return join(packageRoot(), 'specs', `${api}.openapi.yaml`);
}

/** Reads and parses the spec of `api`; a missing or unparsable file is an MC_ERR_SPEC error naming the file. */
export async function loadSpecDocument(api: ApiName): Promise<SpecDocument> {
  const file = specFile(api);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new DataFileError('MC_ERR_SPEC', file, `cannot read the spec (${(error as Error).message})`);
  }
  let doc: unknown;
  try {
    doc = parse(text);
  } catch (error) {
    throw new DataFileError('MC_ERR_SPEC', file, `not valid YAML (${(error as Error).message})`);
  }
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc) || !('openapi' in doc)) {
    throw new DataFileError('MC_ERR_SPEC', file, 'not an OpenAPI document (no `openapi` key)');
  }
  return doc as SpecDocument;
}
