/**
 * The package's data files (specs, suites, reference fixtures) as the running code reads them. They are written
 * as YAML; `npm run build` checks each one (specs meta-validated and every response validator compiled, suites
 * and fixtures validated against their schemas) and writes it as JSON under dist/data/. The built CLI reads that
 * JSON and trusts it; a file the user passes, and every file read from src/ (vitest, before a build), goes
 * through YAML parsing and full validation instead.
 */
import { readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { isAbsolute, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { packageRoot } from './package.js';

/** dist/data/ beside the built modules; src/data/ (never present) when running from source. */
const BUILT_DATA = fileURLToPath(new URL('./data/', import.meta.url));

/** Where the build writes the checked JSON form of a package data file (`specs/memos.openapi.yaml`, ...). */
export function builtDataPath(relativePath: string, dataDir = BUILT_DATA): string {
  return join(dataDir, relativePath.replace(/\.ya?ml$/i, '.json'));
}

/**
 * The checked JSON form of `path` when it is one of this package's data files and the build shipped it, and the
 * file has not changed since; undefined otherwise (a user's file, a test's folder, code running from src/).
 */
export function shippedData(path: string, root: string): unknown {
  if (root !== packageRoot()) return undefined;
  const inside = relative(root, path);
  if (inside === '' || inside.startsWith('..') || isAbsolute(inside)) return undefined;
  const built = builtDataPath(inside.split(sep).join('/'));
  // A YAML file edited after the build (a checkout under development) is read and validated afresh.
  const builtAt = statSync(built, { throwIfNoEntry: false })?.mtimeMs;
  const sourceAt = statSync(path, { throwIfNoEntry: false })?.mtimeMs;
  if (builtAt === undefined || (sourceAt !== undefined && sourceAt > builtAt)) return undefined;
  return JSON.parse(readFileSync(built, 'utf8'));
}

type YamlParse = (text: string, options: { prettyErrors: boolean; uniqueKeys: boolean }) => unknown;
let yamlParse: YamlParse | undefined;

/**
 * Parses YAML (or JSON) text with the options every data file uses: duplicate keys are errors, messages carry
 * line and column. `yaml` is loaded on the first call, so a run on shipped JSON never loads it.
 */
export function parseYaml(text: string): unknown {
  yamlParse ??= (createRequire(import.meta.url)('yaml') as { parse: YamlParse }).parse;
  return yamlParse(text, { prettyErrors: true, uniqueKeys: true });
}
