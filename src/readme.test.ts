/**
 * README is the user's reference: its checks table and error-code table must list exactly what the code has.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CHECKS } from './checks/index.js';
import { ERROR_CODES } from './errors.js';
import { loadApiSpec } from './spec/index.js';
import { loadSuites } from './suite/index.js';

const readme = readFileSync(join(import.meta.dirname, '..', 'README.md'), 'utf8');
const ALL_OPERATIONS = new Set(CHECKS.flatMap((check) => check.operations));

function checksTableRows(): string[] {
  const start = readme.indexOf('<!-- checks:start');
  const end = readme.indexOf('<!-- checks:end -->');
  expect(start, 'checks table markers').toBeGreaterThan(-1);
  return readme
    .slice(start, end)
    .split('\n')
    .filter((line) => line.startsWith('| `'));
}

describe('README', () => {
  it('lists every check, in table order, with its category, severity, sources, operations and description', () => {
    const expected = CHECKS.map((check) => {
      const operations =
        check.operations.length === ALL_OPERATIONS.size ? 'all' : check.operations.join(', ');
      const description = check.description.replaceAll('|', '\\|');
      const sources = check.severity === 'error' ? (check.sources ?? []).join(', ') : 'inferred';
      return `| \`${check.id}\` | ${check.category} | ${check.severity} | ${sources} | ${operations} | ${description} |`;
    });
    expect(checksTableRows()).toEqual(expected);
  });

  it('maps documented rules to cases that exist and checks that cover them, every defaults case included', () => {
    const root = join(import.meta.dirname, '..');
    const suites = loadSuites([join(root, 'suites')], { root, spec: (api) => loadApiSpec(api, root) });
    const start = readme.indexOf('<!-- rules:start -->');
    const end = readme.indexOf('<!-- rules:end -->');
    expect(start, 'rules table markers').toBeGreaterThan(-1);
    const rows = readme
      .slice(start, end)
      .split('\n')
      .filter((line) => line.startsWith('| ') && !line.startsWith('| rule') && !line.startsWith('| ---'));
    expect(rows.length).toBeGreaterThan(0);
    const ids = (cell: string) => [...cell.matchAll(/`([a-z0-9-]+)`/g)].map((m) => m[1] as string);
    const listed = new Set<string>();
    const problems: string[] = [];
    for (const row of rows) {
      const [rule, api, cases, checks] = row.split(' | ').map((cell) => cell.replace(/^\| |\s*\|$/g, ''));
      for (const caseId of ids(cases ?? '')) {
        const found = suites.flatMap((suite) =>
          suite.api === api ? suite.cases.filter((c) => c.id === caseId).map((c) => ({ suite, c })) : [],
        );
        if (found.length === 0) problems.push(`${rule}: no ${api} case ${caseId}`);
        listed.add(`${api} ${caseId}`);
        for (const checkId of ids(checks ?? '')) {
          const check = CHECKS.find((c) => c.id === checkId);
          const covers = found.some(({ c, suite }) =>
            c.steps.some((step) => check?.operations.includes(`${suite.api}.${step.operation}`)),
          );
          if (!covers) problems.push(`${rule}: check ${checkId} does not cover ${api} case ${caseId}`);
        }
      }
    }
    for (const suite of suites) {
      for (const c of suite.cases) {
        if (c.tags.includes('defaults') && !listed.has(`${suite.api} ${c.id}`))
          problems.push(`${suite.file}: case ${c.id} is tagged defaults but not in the rules table`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('names, for every error-level check, the vendor sources that document it (ids in docs/sources.md)', () => {
    for (const check of CHECKS) {
      const sources = check.sources ?? [];
      if (check.severity === 'error') expect(sources, check.id).not.toEqual([]);
      else expect(sources, `${check.id} is inferred (warning)`).toEqual([]);
      for (const key of sources) expect(key, check.id).toMatch(/^(M|Z|MM)-[A-Z0-9]+$/);
    }
  });

  it('lists every error code with its meaning', () => {
    for (const [code, meaning] of Object.entries(ERROR_CODES)) {
      expect(readme).toContain(`| \`${code}\` | ${meaning} |`);
    }
  });

  it('gives the two set-up commands of the quick start', () => {
    expect(readme).toContain('npm ci && npx memconform run');
    expect(readme).toMatch(/^npm test\b/m);
  });
});
