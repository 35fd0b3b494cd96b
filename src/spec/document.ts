import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import type { ApiName } from '../apis.js';
import { DataFileError } from '../errors.js';
import { isRecord, type JsonObject } from '../json.js';

/** A parsed OpenAPI document, as plain JSON values. */
export type SpecDocument = JsonObject;

/** The spec file of an api, relative to the package root. */
export function specFileFor(api: ApiName): string {
  return `specs/${api}.openapi.yaml`;
}

/**
 * Reads and parses `specs/<api>.openapi.yaml` under `root` (a fresh copy per call: callers such as Prism may
 * change it); a missing or unparsable file is a DataFileError MC_ERR_SPEC naming the file.
 */
export function readSpecDocument(api: ApiName, root: string): SpecDocument {
  const file = specFileFor(api);
  let text: string;
  try {
    text = readFileSync(join(root, file), 'utf8');
  } catch (error) {
    throw new DataFileError(
      'MC_ERR_SPEC',
      file,
      `cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
    );
  }
  return specDocumentFromText(file, text);
}

/** Parses YAML or JSON spec text: duplicate keys are errors, the top must be a mapping. */
export function specDocumentFromText(file: string, text: string): SpecDocument {
  let doc: unknown;
  try {
    doc = parse(text, { prettyErrors: true, uniqueKeys: true });
  } catch (error) {
    throw new DataFileError('MC_ERR_SPEC', file, `is not valid YAML: ${firstLine((error as Error).message)}`);
  }
  if (!isRecord(doc)) {
    throw new DataFileError(
      'MC_ERR_SPEC',
      file,
      'is not an OpenAPI document (expected a mapping at the top)',
    );
  }
  return doc;
}

function firstLine(text: string): string {
  return text.split('\n')[0] ?? text;
}
