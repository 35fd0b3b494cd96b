/**
 * The OpenAPI format names ajv does not know, as ajv format definitions (ajv-formats supplies the JSON Schema
 * ones). Every `validate` is self-contained, without closures: the build writes them by their source text into
 * the formats module of the precompiled validators (src/build-data.ts), so both validate alike.
 */
export const OPENAPI_FORMATS = {
  int32: {
    type: 'number',
    validate: (n: number) => Number.isInteger(n) && n >= -2_147_483_648 && n <= 2_147_483_647,
  },
  int64: { type: 'number', validate: (n: number) => Number.isInteger(n) },
  float: { type: 'number', validate: () => true },
  double: { type: 'number', validate: () => true },
  password: true,
  binary: true,
  byte: /^[A-Za-z0-9+/]*={0,2}$/,
} as const;

/** The formats module the precompiled validators require: ajv-formats' full set plus OPENAPI_FORMATS. */
export function formatsModuleSource(): string {
  const entries = Object.entries(OPENAPI_FORMATS).map(([name, format]) => {
    if (format === true || format instanceof RegExp) return `  ${name}: ${String(format)},`;
    return `  ${name}: { type: ${JSON.stringify(format.type)}, validate: ${format.validate.toString()} },`;
  });
  return `"use strict";\nmodule.exports = {\n  ...require("ajv-formats/dist/formats").fullFormats,\n${entries.join('\n')}\n};\n`;
}
