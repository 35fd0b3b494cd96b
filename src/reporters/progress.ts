import type { Severity } from '../checks/types.js';
import type { RunEvent, RunListener } from '../runner/events.js';
import type { TargetSummary } from '../runner/report.js';
import { terminalSafe } from './console.js';

/** How progress is shown: redrawn in place on a terminal, or plain lines that a CI log keeps. */
export type ProgressMode = 'live' | 'plain';

/** In plain mode, a line for a running target at most this often (a slow hosted API is not silent). */
export const PLAIN_HEARTBEAT_MS = 10_000;
/** In live mode, the fastest redraw (a local target finishes hundreds of cases a second). */
const LIVE_REDRAW_MS = 80;
/** In live mode, the elapsed time moves even while every case waits on a slow target. */
const LIVE_TICK_MS = 1_000;

/** Where and how progress is written. */
export interface ProgressOptions {
  readonly write: (text: string) => void;
  readonly mode: ProgressMode;
  readonly color: boolean;
  /** Milliseconds since some fixed point; injected by tests. */
  readonly now?: () => number;
}

/** The console's live part: a subscriber, and `close()` to stop its timer and erase what it drew. */
export interface Progress {
  readonly listener: RunListener;
  close(): void;
}

interface Row {
  readonly target: TargetSummary;
  readonly total: number;
  readonly started: number;
  done: number;
  findings: Record<Severity, number>;
  ended?: number;
  lastLine: number;
}

/**
 * Per target: cases done out of planned, findings so far, elapsed. `live` redraws one line per target in place
 * (ANSI cursor movement) and erases the block at the end, before the summary; `plain` writes a line when a
 * target ends and a heartbeat line while it runs, for logs that cannot redraw.
 */
export function createProgress(options: ProgressOptions): Progress {
  const now = options.now ?? (() => performance.now());
  const rows: Row[] = [];
  let drawn = 0;
  let lastDraw = -Infinity;
  let timer: NodeJS.Timeout | undefined;

  const rowOf = (targetUrl: string, api: string): Row | undefined =>
    rows.find((r) => r.target.url === targetUrl && r.target.api === api);

  const draw = (force: boolean): void => {
    const t = now();
    if (!force && t - lastDraw < LIVE_REDRAW_MS) return;
    lastDraw = t;
    const up = drawn > 0 ? `\u001b[${drawn}F` : '';
    options.write(`${up}${rows.map((row) => `\u001b[2K${line(row, t, options.color)}\n`).join('')}`);
    drawn = rows.length;
  };

  const erase = (): void => {
    if (drawn > 0) options.write(`\u001b[${drawn}F\u001b[J`);
    drawn = 0;
  };

  const listener: RunListener = (event: RunEvent) => {
    switch (event.type) {
      case 'target-start': {
        const t = now();
        rows.push({
          target: event.target,
          total: event.cases,
          started: t,
          done: 0,
          findings: { error: 0, warning: 0, info: 0 },
          lastLine: t,
        });
        if (options.mode === 'live') {
          timer ??= setInterval(() => draw(true), LIVE_TICK_MS).unref();
          draw(true);
        }
        break;
      }
      case 'case-end': {
        const row = rowOf(event.case.targetUrl, event.case.api);
        if (!row) break;
        row.done += 1;
        for (const severity of ['error', 'warning', 'info'] as const) {
          row.findings[severity] += event.findings[severity];
        }
        if (options.mode === 'live') draw(false);
        else if (now() - row.lastLine >= PLAIN_HEARTBEAT_MS && row.done < row.total) {
          row.lastLine = now();
          options.write(`${line(row, now(), options.color)}\n`);
        }
        break;
      }
      case 'target-end': {
        const row = rowOf(event.target.url, event.target.api);
        if (!row) break;
        row.ended = now();
        if (options.mode === 'live') draw(true);
        // A target cut short (an error, --max-failures, Ctrl-C) gets no line: the summary or the error says why.
        else if (row.done === row.total) options.write(`${line(row, row.ended, options.color)}\n`);
        break;
      }
      case 'run-end':
        close();
        break;
      default:
        break;
    }
  };

  function close(): void {
    if (timer) clearInterval(timer);
    timer = undefined;
    if (options.mode === 'live') erase();
  }

  return { listener, close };
}

function line(row: Row, t: number, color: boolean): string {
  const paint = (code: number, text: string) => (color ? `\u001b[${code}m${text}\u001b[39m` : text);
  const mark = row.ended === undefined ? '…' : row.findings.error > 0 ? paint(31, '✗') : paint(32, '✓');
  const total = row.findings.error + row.findings.warning + row.findings.info;
  const findings =
    total === 0
      ? 'no findings'
      : `${total} finding${total === 1 ? '' : 's'} (${row.findings.error} error${row.findings.error === 1 ? '' : 's'}, ${row.findings.warning} warning${row.findings.warning === 1 ? '' : 's'})`;
  const elapsed = ((row.ended ?? t) - row.started) / 1000;
  return `${mark} ${row.target.api} ${terminalSafe(row.target.url)}  ${row.done}/${row.total} cases · ${findings} · ${elapsed.toFixed(1)} s`;
}
