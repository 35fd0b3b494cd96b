import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { ApiName } from '../apis.js';
import { builtDataPath } from '../data.js';
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
  const spec = new ApiSpec(
    api,
    specFileFor(api),
    doc,
    checkedAtBuild ? { checkedAtBuild, precompiled: precompiledValidators(api) } : {},
  );
  cache.set(path, spec);
  return spec;
}

/** Builds an ApiSpec from YAML or JSON text (used by tests with small documents). */
export function specFromText(api: ApiName, file: string, text: string): ApiSpec {
  return new ApiSpec(api, file, specDocumentFromText(file, text));
}

/** Where the build writes the precompiled strict response validators of `api` (src/spec/precompile.ts). */
export function precompiledValidatorsPath(api: ApiName): string {
  return builtDataPath(`validators/${api}.cjs`);
}

type PrecompiledModule = Record<string, unknown> & { pointers?: Record<string, string> };

/** The build's validators of `api`, loaded on first use; undefined for a pointer the module does not have. */
function precompiledValidators(api: ApiName): (pointer: string) => ((body: unknown) => boolean) | undefined {
  let loaded: PrecompiledModule | null | undefined;
  return (pointer) => {
    if (loaded === undefined) {
      const file = precompiledValidatorsPath(api);
      loaded = existsSync(file) ? (createRequire(import.meta.url)(file) as PrecompiledModule) : null;
    }
    const name = loaded?.pointers?.[pointer];
    const validate = name === undefined ? undefined : loaded?.[name];
    return typeof validate === 'function' ? (validate as (body: unknown) => boolean) : undefined;
  };
}
