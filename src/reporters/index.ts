import { consoleReporter } from './console.js';
import { harReporter } from './har.js';
import { htmlReporter } from './html.js';
import { jsonReporter } from './json.js';
import { junitReporter } from './junit.js';
import { markdownReporter } from './markdown.js';
import { ndjsonReporter } from './ndjson.js';
import type { AnyReporter } from './types.js';

/**
 * The one table of reporters; `--reporter` is validated against these names. A reporter with a `fileName`
 * writes that file into `--out`; one without writes to standard output. Stream reporters write while the run
 * goes; the others render the finished report.
 */
export const REPORTERS: readonly AnyReporter[] = [
  consoleReporter,
  jsonReporter,
  junitReporter,
  markdownReporter,
  htmlReporter,
  ndjsonReporter,
  harReporter,
];
