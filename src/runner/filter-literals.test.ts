// biome-ignore-all lint/suspicious/noTemplateCurlyInString: suites use ${name} placeholders, not template literals.
import { describe, expect, it } from 'vitest';
import type { SuiteCase, SuiteFile, SuiteStep } from '../suite/types.js';
import { assertWritableFilterValues } from './filter-literals.js';

const suite = { file: 'suites/memmachine/x.yaml' } as SuiteFile;
const suiteCase = { id: 'by-user' } as SuiteCase;
const step = (body: unknown) => ({ name: 'only', body }) as SuiteStep;
const filtered = step({ query: '${travelQuery}', filter: "metadata.user_id='${user}'" });

describe('assertWritableFilterValues', () => {
  it("refuses a command-line value with ' that a MemMachine filter would carry, naming the flag", () => {
    const variables = { user: "o'brien" };
    expect(() =>
      assertWritableFilterValues('memmachine', suite, suiteCase, filtered, variables, variables),
    ).toThrow(
      expect.objectContaining({
        code: 'MC_ERR_USAGE',
        message: expect.stringContaining('--user-id/--var user "o\'brien"'),
      }),
    );
  });

  it("is a suite error when the suite's own variable holds the '", () => {
    expect(() =>
      assertWritableFilterValues('memmachine', suite, suiteCase, filtered, { user: "o'brien" }, {}),
    ).toThrow(expect.objectContaining({ code: 'MC_ERR_SUITE' }));
  });

  it("lets ' through outside filters and for other APIs", () => {
    const variables = { user: 'u-1', travelQuery: "user's trip" };
    expect(() =>
      assertWritableFilterValues('memmachine', suite, suiteCase, filtered, variables, variables),
    ).not.toThrow();
    const quoted = { user: "o'brien" };
    expect(() =>
      assertWritableFilterValues('mem0', suite, suiteCase, filtered, quoted, quoted),
    ).not.toThrow();
  });
});
