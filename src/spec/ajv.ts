import { createRequire } from 'node:module';
import type { Ajv2020 } from 'ajv/dist/2020.js';
import type addFormatsNs from 'ajv-formats';

/** The keyword whose schema is a warning-level rule (docs/dev/HELPER-BRIEF.md, "Spec extensions"). */
export const WARN_KEYWORD = 'x-memconform-warn';

/**
 * How an ajv instance treats `x-memconform-warn`: `lenient` ignores it (the rules that make a value an
 * error), `strict` applies it like an `allOf` member (every error that only `strict` reports is a warning).
 */
export type AjvMode = 'lenient' | 'strict';

/** An ajv instance as memconform configures it. */
export type MemconformAjv = InstanceType<typeof Ajv2020>;

const instances = new Map<AjvMode, MemconformAjv>();

const INT32 = { min: -(2 ** 31), max: 2 ** 31 - 1 };

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
  // Loaded on first use, so commands and runs that validate nothing (serve, --version) never load ajv.
  const require = createRequire(import.meta.url);
  const { Ajv2020: Ajv } = require('ajv/dist/2020.js') as typeof import('ajv/dist/2020.js');
  const addFormats = (require('ajv-formats') as typeof addFormatsNs).default;
  const ajv = new Ajv({ strict: false, allErrors: true, verbose: true, logger: false });
  addFormats(ajv);
  ajv.addFormat('int32', {
    type: 'number',
    validate: (n: number) => Number.isInteger(n) && n >= INT32.min && n <= INT32.max,
  });
  ajv.addFormat('int64', { type: 'number', validate: (n: number) => Number.isInteger(n) });
  ajv.addFormat('float', { type: 'number', validate: () => true });
  ajv.addFormat('double', { type: 'number', validate: () => true });
  ajv.addFormat('password', true);
  ajv.addFormat('binary', true);
  ajv.addFormat('byte', /^[A-Za-z0-9+/]*={0,2}$/);
  if (mode === 'strict') {
    // A macro keyword expands to its own value, so $refs inside it resolve in the enclosing document.
    ajv.addKeyword({ keyword: WARN_KEYWORD, macro: (schema: unknown) => schema as object });
  }
  instances.set(mode, ajv);
  return ajv;
}
