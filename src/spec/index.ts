import { join } from 'node:path';
import type { ApiName } from '../apis.js';
import { ApiSpec } from './api-spec.js';
import { readSpecSource, specDocumentFromText, specFileFor } from './document.js';

export { escapePointer } from '../json.js';
export { type AjvMode, getAjv, WARN_KEYWORD } from './ajv.js';
export {
  ApiSpec,
  type CredentialScheme,
  pickJsonMediaType,
  type SpecOperation,
  type SpecServer,
} from './api-spec.js';
export { readSpecDocument, readSpecSource, type SpecDocument, specFileFor } from './document.js';
export { type CollapsedViolation, collapseViolations, pointerPattern } from './violations.js';

const cache = new Map<string, ApiSpec>();

/** Loads `specs/<api>.openapi.yaml` under `root` once per process; a bad file is a DataFileError MC_ERR_SPEC. */
export function loadApiSpec(api: ApiName, root: string): ApiSpec {
  const path = join(root, specFileFor(api));
  const cached = cache.get(path);
  if (cached) return cached;
  const { doc, checkedAtBuild } = readSpecSource(api, root);
  const spec = new ApiSpec(api, specFileFor(api), doc, { checkedAtBuild });
  cache.set(path, spec);
  return spec;
}

/** Builds an ApiSpec from YAML or JSON text (used by tests with small documents). */
export function specFromText(api: ApiName, file: string, text: string): ApiSpec {
  return new ApiSpec(api, file, specDocumentFromText(file, text));
}
