import type { Report } from '../runner/report.js';

/** Options every reporter receives. */
export interface RenderOptions {
  /** ANSI colours (console only, and only on a TTY without NO_COLOR). */
  readonly color: boolean;
}

/** Turns a finished report into text. Pure: reporters read only the report. */
export interface Reporter {
  /** The `--reporter` name. */
  readonly name: string;
  /** File written into `--out`; undefined means the text goes to standard output. */
  readonly fileName?: string;
  /** One line for `--help`. */
  readonly description: string;
  render(report: Report, options: RenderOptions): string;
}
