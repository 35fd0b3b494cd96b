import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ApiName } from '../apis.js';
import { parseYaml, shippedData } from '../data.js';
import { DataFileError } from '../errors.js';
import { isRecord, type JsonObject } from '../json.js';

/** A parsed OpenAPI document, as plain JSON values. */
export type SpecDocument = JsonObject;

/** The spec file of an api, relative to the package root. */
export function specFileFor(api: ApiName): string {
  return `specs/${api}.openapi.yaml`;
}

/** A spec document and whether the build already checked it (shipped JSON) or it still needs checking. */
export interface SpecSource {
  readonly doc: SpecDocument;
  readonly checkedAtBuild: boolean;
}

/**
 * Reads `specs/<api>.openapi.yaml` under `root`: the JSON the build checked when this is the installed package,
 * else the YAML. Each call returns a fresh copy (callers such as Prism may change it); a missing or unparsable
 * file is a DataFileError MC_ERR_SPEC naming the file.
 */
export function readSpecSource(api: ApiName, root: string): SpecSource {
  const file = specFileFor(api);
  const path = join(root, file);
  const shipped = shippedData(path, root);
  if (isRecord(shipped)) return { doc: shipped, checkedAtBuild: true };
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
  return { doc: specDocumentFromText(file, text), checkedAtBuild: false };
}

/** The document of `specs/<api>.openapi.yaml` under `root` (see readSpecSource). */
export function readSpecDocument(api: ApiName, root: string): SpecDocument {
  return readSpecSource(api, root).doc;
}

/** Parses YAML or JSON spec text: duplicate keys are errors, the top must be a mapping. */
export function specDocumentFromText(file: string, text: string): SpecDocument {
  let doc: unknown;
  try {
    doc = parseYaml(text);
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
