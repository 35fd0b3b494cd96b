/**
 * The default run's targets for a started reference server, built the way `memconform run` without
 * --target builds them (src/commands/run.ts): the four targets (memos, mem0, memmachine hosted and
 * self-hosted), the package specs and suites, the reference token and the default options. The mutation
 * tests and the benchmark use it to run the runner against a reference started with `faults`.
 */
import { fileURLToPath } from 'node:url';
import type { ApiName } from '../apis.js';
import { CHECKS } from '../checks/index.js';
import type { Check } from '../checks/types.js';
import {
  DEFAULT_CONCURRENCY,
  DEFAULT_FAIL_ON,
  DEFAULT_TIMEOUT_MS,
  MAX_BODY_BYTES,
  REFERENCE_TOKEN,
  TOKEN_ENV,
} from '../options.js';
import type { RunningReference } from '../reference/index.js';
import type { Report } from '../runner/report.js';
import { type RunTarget, runConformance } from '../runner/run.js';
import { type ApiSpec, loadApiSpec } from '../spec/index.js';
import { defaultSuitePath, loadSuites } from '../suite/index.js';
import type { SuiteFile } from '../suite/types.js';

/** The package root (specs/ and suites/ live there). */
export const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** One of the four targets the default run tests. */
export type ReferenceTargetName = 'memos' | 'mem0' | 'memmachine' | 'memmachine-self-hosted';

/** The four targets, in the order the default run lists them. */
export const REFERENCE_TARGET_NAMES: readonly ReferenceTargetName[] = [
  'memos',
  'mem0',
  'memmachine',
  'memmachine-self-hosted',
];

const PLAN: Readonly<
  Record<
    ReferenceTargetName,
    {
      api: ApiName;
      flavour: 'hosted' | 'self-hosted';
      url: (reference: RunningReference) => string;
    }
  >
> = {
  memos: { api: 'memos', flavour: 'hosted', url: (r) => r.targets.memos },
  mem0: { api: 'mem0', flavour: 'hosted', url: (r) => r.targets.mem0 },
  memmachine: { api: 'memmachine', flavour: 'hosted', url: (r) => r.targets.memmachine },
  'memmachine-self-hosted': {
    api: 'memmachine',
    flavour: 'self-hosted',
    url: (r) => r.targets.memmachineSelfHosted,
  },
};

const spec = (api: ApiName): ApiSpec => loadApiSpec(api, ROOT);
const suiteCache = new Map<ApiName, SuiteFile[]>();

/** The package suites of an api (suites/<api>/, the default run's suites), loaded once per process. */
export function defaultSuites(api: ApiName): SuiteFile[] {
  let suites = suiteCache.get(api);
  if (!suites) {
    suites = loadSuites([defaultSuitePath(api, ROOT)], { root: ROOT, spec });
    suiteCache.set(api, suites);
  }
  return suites;
}

/** The run targets of `names` on a started reference server, as the default run builds them. */
export function referenceTargets(
  reference: RunningReference,
  names: readonly ReferenceTargetName[] = REFERENCE_TARGET_NAMES,
): RunTarget[] {
  return names.map((name) => {
    const plan = PLAN[name];
    const apiSpec = spec(plan.api);
    const server = apiSpec.servers.find((s) => s.flavour === plan.flavour);
    if (!server) throw new Error(`${apiSpec.file} has no ${plan.flavour} server`);
    return {
      info: {
        api: plan.api,
        url: plan.url(reference).replace(/\/+$/, ''),
        flavour: plan.flavour,
        authRequired: server.authRequired,
      },
      builtIn: true,
      spec: apiSpec,
      suites: defaultSuites(plan.api),
      token: REFERENCE_TOKEN,
    };
  });
}

/**
 * Which of the four targets a finding came from, by its api and target URL (Mem0 and hosted MemMachine
 * share the server's root URL; the two MemMachine flavours share the api).
 */
export function targetNameOf(
  reference: RunningReference,
  entry: { readonly api: ApiName; readonly targetUrl?: string },
): ReferenceTargetName {
  const name = REFERENCE_TARGET_NAMES.find(
    (candidate) =>
      PLAN[candidate].api === entry.api &&
      PLAN[candidate].url(reference).replace(/\/+$/, '') === entry.targetUrl,
  );
  if (name === undefined) {
    throw new Error(`not a target of this reference server: ${entry.api} ${String(entry.targetUrl)}`);
  }
  return name;
}

/** Runs every check over the default suites of `names` with the default run's options. */
export function runAgainstReference(
  reference: RunningReference,
  names: readonly ReferenceTargetName[] = REFERENCE_TARGET_NAMES,
  checks: readonly Check[] = CHECKS,
): Promise<Report> {
  return runConformance({
    targets: referenceTargets(reference, names),
    checks,
    excludedChecks: [],
    failOn: DEFAULT_FAIL_ON,
    timeoutMs: DEFAULT_TIMEOUT_MS,
    concurrency: DEFAULT_CONCURRENCY,
    maxBodyBytes: MAX_BODY_BYTES,
    variables: {},
    toolVersion: '0.0.0-test',
    tokenEnv: TOKEN_ENV,
  });
}
