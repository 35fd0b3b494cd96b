/**
 * README is the user's reference: its checks table and error-code table must list exactly what the code has.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CHECKS } from './checks/index.js';
import { ERROR_CODES } from './errors.js';

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
  it('lists every check, in table order, with its category, severity, operations and description', () => {
    const expected = CHECKS.map((check) => {
      const operations =
        check.operations.length === ALL_OPERATIONS.size ? 'all' : check.operations.join(', ');
      const description = check.description.replaceAll('|', '\\|');
      return `| \`${check.id}\` | ${check.category} | ${check.severity} | ${operations} | ${description} |`;
    });
    expect(checksTableRows()).toEqual(expected);
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
