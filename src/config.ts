import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { ErrorObject, ValidateFunction } from 'ajv';
import { parseYaml } from './data.js';
import { MemconformError } from './errors.js';
import type { RunFlags } from './options.js';
import { packageRoot } from './package.js';
import { getAjv } from './spec/ajv.js';
import { didYouMean } from './suggest.js';

/** Config files looked for in the working folder, in this order, when `--config` is not given. */
export const CONFIG_FILES = ['memconform.config.yaml', 'memconform.config.yml', 'memconform.config.json'];
/** Prefix of the environment variables that set run options (`MEMCONFORM_FAIL_ON=warning`). */
export const ENV_PREFIX = 'MEMCONFORM_';

/** Flags that take several values: repeatable on the command line, lists in a file. */
const REPEATABLE = new Set(['suite', 'var', 'header']);
/** Flags that take a comma-separated list. */
const LISTS = new Set(['checks', 'exclude-checks', 'tags', 'reporter']);
const BOOLEANS = new Set(['no-color', 'list-cases', 'seed', 'keep-data']);

/** Run flags as the command line would give them, plus where each target's key lives. */
export type ConfigFlags = RunFlags & { readonly 'token-env'?: string };

/** A loaded config file: top-level flags and, when it names several servers, one set of flags per target. */
export interface LoadedConfig {
  readonly file: string;
  readonly flags: ConfigFlags;
  readonly targets: readonly ConfigFlags[];
}

/**
 * Finds and loads the config: `explicit` (from `--config` or MEMCONFORM_CONFIG) or the first of CONFIG_FILES in
 * `cwd`. Validates it against schemas/config.schema.json; a bad file is MC_ERR_CONFIG naming the file and the
 * JSON pointer. Undefined when there is no file.
 */
export function loadConfig(cwd: string, explicit?: string): LoadedConfig | undefined {
  const file =
    explicit === undefined ? CONFIG_FILES.map((f) => join(cwd, f)).find(existsSync) : resolve(cwd, explicit);
  if (file === undefined) return undefined;
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new MemconformError(
      'MC_ERR_CONFIG',
      `${file}: cannot read the config file (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`,
    );
  }
  let data: unknown;
  try {
    data = parseYaml(text);
  } catch (error) {
    throw new MemconformError(
      'MC_ERR_CONFIG',
      `${file}: not valid YAML or JSON (${(error as Error).message.split('\n')[0]})`,
    );
  }
  const validate = validator();
  if (!validate(data))
    throw new MemconformError('MC_ERR_CONFIG', `${file}: ${describe(validate.errors?.[0])}`);
  const { targets, ...top } = data as Record<string, unknown> & { targets?: Record<string, unknown>[] };
  return { file, flags: toFlags(top), targets: (targets ?? []).map(toFlags) };
}

const CONFIG_SCHEMA_ID = 'https://memconform.dev/schemas/config.schema.json';

function validator(): ValidateFunction {
  const ajv = getAjv('lenient');
  const known = ajv.getSchema(CONFIG_SCHEMA_ID);
  if (known) return known;
  const schema = JSON.parse(
    readFileSync(join(packageRoot(), 'schemas', 'config.schema.json'), 'utf8'),
  ) as object;
  return ajv.compile(schema);
}

function describe(error: ErrorObject | undefined): string {
  if (!error) return 'does not match schemas/config.schema.json';
  const at = error.instancePath === '' ? '/' : error.instancePath;
  if (error.keyword === 'additionalProperties') {
    const key = String(error.params.additionalProperty);
    const known = Object.keys((error.parentSchema as { properties?: object })?.properties ?? {});
    const hint =
      key === 'token'
        ? '; keep the API key out of files: set MEMCONFORM_TOKEN, or name its variable with token-env'
        : didYouMean(key, known);
    return `${at}: unknown key "${key}"${hint} (see schemas/config.schema.json)`;
  }
  return `${at}: ${error.message ?? 'is not valid'}${error.keyword === 'enum' ? ` (${(error.params.allowedValues as unknown[]).join(', ')})` : ''}`;
}

/** A config object (validated) as the flags parseArgs would give: one validation path for both. */
function toFlags(config: Record<string, unknown>): ConfigFlags {
  const flags: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(config)) {
    if (key === '$schema') continue;
    if (key === 'var' || key === 'header') {
      const separator = key === 'var' ? '=' : ': ';
      flags[key] = Object.entries(value as Record<string, unknown>).map(
        ([k, v]) => `${k}${separator}${String(v)}`,
      );
    } else if (REPEATABLE.has(key)) flags[key] = Array.isArray(value) ? value.map(String) : [String(value)];
    else if (LISTS.has(key)) flags[key] = Array.isArray(value) ? value.join(',') : String(value);
    else if (BOOLEANS.has(key)) flags[key] = value === true;
    else flags[key] = String(value);
  }
  return flags as ConfigFlags;
}

/**
 * `MEMCONFORM_<OPTION>` variables as flags: the flag name upper-cased with `-` as `_` (MEMCONFORM_FAIL_ON,
 * MEMCONFORM_RATE_LIMIT). Lists are comma-separated; repeatable flags take several values comma-separated too,
 * except MEMCONFORM_HEADER, one header a line. Booleans are on unless empty, 0 or false.
 */
export function envFlags(
  env: Readonly<Record<string, string | undefined>>,
  names: readonly string[],
): ConfigFlags {
  const flags: Record<string, unknown> = {};
  for (const name of names) {
    const value = env[ENV_PREFIX + name.toUpperCase().replaceAll('-', '_')];
    if (value === undefined || value === '') continue;
    if (BOOLEANS.has(name)) flags[name] = !['0', 'false'].includes(value.toLowerCase());
    else if (name === 'header') flags[name] = value.split(/\r?\n/).filter((line) => line.trim() !== '');
    else if (REPEATABLE.has(name))
      flags[name] = value
        .split(',')
        .map((v) => v.trim())
        .filter((v) => v !== '');
    else flags[name] = value;
  }
  return flags as ConfigFlags;
}

/** A commented starter config for `memconform init`. */
export const STARTER_CONFIG = `# memconform configuration (schemas/config.schema.json).
# Every key is a \`memconform run\` flag of the same name. Precedence: a flag beats MEMCONFORM_<OPTION> in the
# environment, which beats this file, which beats the defaults. The API key never goes here: export
# MEMCONFORM_TOKEN, or name the variable that holds it with token-env.
# yaml-language-server: $schema=./node_modules/memconform/schemas/config.schema.json

# The server under test: its base URL as the vendor documents it, and the API it speaks.
target: http://localhost:8080/api
api: memmachine            # memos | mem0 | memmachine
# flavour: self-hosted     # memmachine: hosted | self-hosted (default: self-hosted when the URL ends in /api)

# Two users of your deployment that hold memories the suites can find (isolation needs both).
user-id: alex
other-user-id: priya

# Several servers in one run instead (each entry overrides the keys above for its target):
# targets:
#   - { target: https://api.mem0.ai, api: mem0, token-env: MEM0_API_KEY }
#   - { target: https://memos.memtensor.cn/api/openmem/v1, api: memos, token-env: MEMOS_API_KEY, user-id: memos_user_345 }

# What to run.
# checks: [result-limit-respected, no-cross-user-leak]
# exclude-checks: [stable-results]
# tags: [isolation, pagination]
fail-on: error             # error | warning

# Reports: console, json, junit, markdown, html, ndjson; files go to out.
reporter: [console, json, junit, html]
out: reports

# Pacing a hosted API.
timeout: 10000             # per request, in milliseconds
concurrency: 4
# rate-limit: 5/s
# max-failures: 20
# header:
#   X-Org-Id: my-org
`;
