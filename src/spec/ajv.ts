import { createRequire } from 'node:module';
import type { Format, Options } from 'ajv';
import type { Ajv2020 } from 'ajv/dist/2020.js';
import type addFormatsNs from 'ajv-formats';
import { OPENAPI_FORMATS } from './formats.js';

/**
 * The keyword whose schema is a warning-level rule (README, "Where the specs depart from the vendors'
 * documents").
 */
export const WARN_KEYWORD = 'x-memconform-warn';

/**
 * How an ajv instance treats `x-memconform-warn`: `lenient` ignores it (the rules that make a value an
 * error), `strict` applies it like an `allOf` member (every error that only `strict` reports is a warning).
 */
export type AjvMode = 'lenient' | 'strict';

/** An ajv instance as memconform configures it. */
export type MemconformAjv = InstanceType<typeof Ajv2020>;

const instances = new Map<AjvMode, MemconformAjv>();

/**
 * The one ajv factory: JSON Schema 2020-12 (the specs set `jsonSchemaDialect` to it), all errors, verbose
 * (errors carry the failing data for "Received …" messages), formats, and the OpenAPI format names ajv does
 * not know. `strict: false` because whole OpenAPI documents are added as schemas and carry keywords such as
 * `example`, `discriminator` and `x-*` that are annotations, not validation rules. Instances are cached per
 * mode; schemas added to them stay for the life of the process.
 */
export function getAjv(mode: AjvMode): MemconformAjv {
  const cached = instances.get(mode);
  if (cached) return cached;
  const ajv = newAjv(mode, { allErrors: true, verbose: true });
  instances.set(mode, ajv);
  return ajv;
}

/**
 * A new ajv instance configured as every memconform validator is (dialect, formats, `x-memconform-warn` in
 * `strict` mode), with `options` on top: getAjv's diagnostics, or the build's code generation.
 */
export function newAjv(mode: AjvMode, options: Options): MemconformAjv {
  // Loaded on first use, so commands and runs that validate nothing (serve, --version) never load ajv.
  const require = createRequire(import.meta.url);
  const { Ajv2020: Ajv } = require('ajv/dist/2020.js') as typeof import('ajv/dist/2020.js');
  const addFormats = (require('ajv-formats') as typeof addFormatsNs).default;
  const ajv = new Ajv({ strict: false, logger: false, ...options });
  addFormats(ajv);
  for (const [name, format] of Object.entries(OPENAPI_FORMATS)) ajv.addFormat(name, format as Format);
  if (mode === 'strict') {
    // A macro keyword expands to its own value, so $refs inside it resolve in the enclosing document.
    ajv.addKeyword({ keyword: WARN_KEYWORD, macro: (schema: unknown) => schema as object });
  }
  return ajv;
}
