/**
 * `npm run build`, second step: checks every data file the package ships and writes it as JSON under dist/data/,
 * where the built CLI reads it without parsing YAML or validating it again (src/data.ts). Specs are
 * meta-validated and every response validator compiled in both modes; suites are validated against
 * schemas/suite.schema.json and their specs; reference fixtures against their schemas. A bad file fails the
 * build with the same one-line error the CLI would print.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { API_NAMES, type ApiName } from './apis.js';
import { builtDataPath, parseYaml } from './data.js';
import { isMemconformError } from './errors.js';
import { packageRoot } from './package.js';
import { loadReferenceDataset } from './reference/dataset.js';
import { ApiSpec } from './spec/api-spec.js';
import { specDocumentFromText, specFileFor } from './spec/document.js';
import { precompiledValidatorsPath } from './spec/index.js';
import { FORMATS_MODULE, formatsModuleSource, precompiledValidatorsSource } from './spec/precompile.js';
import { defaultSuitePath, loadSuites, suiteFilesUnder } from './suite/load.js';

/** Writes the checked data files; returns how many of each kind. */
export async function buildData(
  root = packageRoot(),
): Promise<Record<'specs' | 'suites' | 'fixtures', number>> {
  // Start from nothing, so every file below is read from its YAML source and checked, never from a stale build.
  rmSync(dirname(builtDataPath('x')), { recursive: true, force: true });
  const written: string[] = [];
  const write = (path: string, value: unknown): void => {
    const out = builtDataPath(relative(root, path).split(sep).join('/'));
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, JSON.stringify(value));
    written.push(out);
  };
  const writeText = (out: string, text: string): void => {
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, text);
    written.push(out);
  };
  const yamlOf = (path: string): unknown => parseYaml(readFileSync(path, 'utf8'));

  const specs = new Map<ApiName, ApiSpec>();
  for (const api of API_NAMES) {
    const file = specFileFor(api);
    const path = join(root, file);
    const doc = specDocumentFromText(file, readFileSync(path, 'utf8'));
    const spec = new ApiSpec(api, file, doc);
    specs.set(api, spec);
    write(path, yamlOf(path));
    // A fresh copy of the document: the code generator's ajv must not share objects with the spec's own.
    writeText(
      precompiledValidatorsPath(api),
      precompiledValidatorsSource(spec, specDocumentFromText(file, readFileSync(path, 'utf8'))),
    );
  }
  writeText(builtDataPath(`validators/${FORMATS_MODULE}`), formatsModuleSource());
  let suites = 0;
  for (const api of API_NAMES) {
    const files = suiteFilesUnder(defaultSuitePath(api, root), root);
    loadSuites(files, { root, spec: (name) => specs.get(name) as ApiSpec });
    for (const path of files) write(path, yamlOf(path));
    suites += files.length;
  }
  await loadReferenceDataset();
  const fixtures = ['memos', 'mem0', 'memmachine'].map((name) =>
    join(root, 'fixtures', 'reference', `${name}.yaml`),
  );
  for (const path of fixtures) write(path, yamlOf(path));
  return { specs: specs.size, suites, fixtures: fixtures.length };
}

buildData().then(
  (counts) => {
    process.stdout.write(
      `memconform build: checked ${counts.specs} specs, ${counts.suites} suites and ${counts.fixtures} fixtures; JSON in dist/data\n`,
    );
  },
  (error: unknown) => {
    process.stderr.write(
      isMemconformError(error)
        ? `memconform build: ${error.message} (${error.code})\n`
        : `memconform build: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exitCode = 1;
  },
);
