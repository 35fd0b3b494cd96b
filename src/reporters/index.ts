import { consoleReporter } from './console.js';
import { htmlReporter } from './html.js';
import { jsonReporter } from './json.js';
import { junitReporter } from './junit.js';
import { markdownReporter } from './markdown.js';
import type { Reporter } from './types.js';

/**
 * The one table of reporters; `--reporter` is validated against these names. A reporter with a `fileName`
 * writes that file into `--out`; one without writes to standard output.
 */
export const REPORTERS: readonly Reporter[] = [
  consoleReporter,
  jsonReporter,
  junitReporter,
  markdownReporter,
  htmlReporter,
];
