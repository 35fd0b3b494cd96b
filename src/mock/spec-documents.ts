import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import type { ApiName } from '../apis.js';
import { DataFileError } from '../errors.js';

/** A parsed OpenAPI document, as plain JSON values. */
export type SpecDocument = Record<string, unknown>;

/**
 * The folder holding memconform's package.json, found from this module's location so that specs resolve the
 * same way from src/ (vitest), dist/ (the built CLI) and node_modules/memconform, whatever the cwd is.
 */
export function packageRoot(fromUrl: string = import.meta.url): string {
  let dir = dirname(fileURLToPath(fromUrl));
  for (;;) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`memconform: no package.json above ${fileURLToPath(fromUrl)}`);
    dir = parent;
  }
}

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
