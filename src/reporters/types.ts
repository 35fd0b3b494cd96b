import type { RunListener } from '../runner/events.js';
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

/** Writes the run as it happens: subscribes to the event stream instead of rendering the finished report. */
export interface StreamReporter {
  readonly name: string;
  /** File in `--out` the stream is written to, line by line. */
  readonly fileName: string;
  readonly description: string;
  /** A subscriber that hands each piece of text to `write` as soon as it is known. */
  subscribe(write: (text: string) => void): RunListener;
}

/** An entry of the reporter table: `--reporter` accepts the name of either kind. */
export type AnyReporter = Reporter | StreamReporter;

/** True for reporters that subscribe to the event stream. */
export function isStreamReporter(reporter: AnyReporter): reporter is StreamReporter {
  return 'subscribe' in reporter;
}
