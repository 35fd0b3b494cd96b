/**
 * Build-time code generation (src/build-data.ts): each shipped spec's strict response validators as one
 * standalone CommonJS module, so a conforming answer is judged without compiling anything at run time. The
 * generated functions only tell valid from invalid (no allErrors, no verbose errors); an invalid body is
 * described by the validators ApiSpec compiles when it needs them.
 */
import { createRequire } from 'node:module';
import { newAjv } from './ajv.js';
import { type ApiSpec, encodePointerForUri } from './api-spec.js';
import type { SpecDocument } from './document.js';
import { formatsModuleSource } from './formats.js';

/** File names in the validators folder: the formats module every generated module requires. */
export const FORMATS_MODULE = 'formats.cjs';

/** The module source: `exports.v0 …` validators and `exports.pointers`, response schema pointer -> export name. */
export function precompiledValidatorsSource(spec: ApiSpec, doc: SpecDocument): string {
  const require = createRequire(import.meta.url);
  const standaloneCode = (
    require('ajv/dist/standalone/index.js') as typeof import('ajv/dist/standalone/index.js')
  ).default;
  const { _ } = require('ajv') as typeof import('ajv');
  const ajv = newAjv('strict', { code: { source: true, formats: _`require(${`./${FORMATS_MODULE}`})` } });
  ajv.addSchema(doc, spec.schemaId);
  const pointers = spec.responseSchemaPointers();
  const names = pointers.map((_pointer, index) => `v${index}`);
  const refs = Object.fromEntries(
    pointers.map((pointer, index) => [names[index], `${spec.schemaId}#${encodePointerForUri(pointer)}`]),
  );
  const index = Object.fromEntries(pointers.map((pointer, i) => [pointer, names[i]]));
  return `${standaloneCode(ajv, refs as Record<string, string>)}\nexports.pointers = ${JSON.stringify(index)};\n`;
}

/** The source of the formats module (see formats.ts). */
export { formatsModuleSource };
