import { describe, expect, it } from 'vitest';
import type { RunEvent } from '../runner/events.js';
import type { CaseSummary, TargetSummary } from '../runner/report.js';
import { createProgress, PLAIN_HEARTBEAT_MS, type ProgressMode } from './progress.js';

const target: TargetSummary = {
  api: 'mem0',
  url: 'http://127.0.0.1:4010',
  flavour: 'hosted',
  authRequired: true,
  builtIn: false,
};

function caseEnd(index: number, errors: number): RunEvent {
  const summary: CaseSummary = {
    api: 'mem0',
    operationId: 'searchMemories',
    id: `case-${index}`,
    description: '',
    suiteFile: 'suites/mem0/x.yaml',
    steps: [],
    outcomes: [],
    durationMs: 1,
    targetUrl: target.url,
  };
  return { type: 'case-end', index, case: summary, findings: { error: errors, warning: 0, info: 0 } };
}

function drive(mode: ProgressMode, steps: readonly [number, RunEvent][]): string {
  let clock = 0;
  let out = '';
  const progress = createProgress({ write: (t) => (out += t), mode, color: false, now: () => clock });
  for (const [at, event] of steps) {
    clock = at;
    progress.listener(event);
  }
  progress.close();
  return out;
}

const RUN: [number, RunEvent][] = [
  [0, { type: 'target-start', target, cases: 3 }],
  [100, caseEnd(0, 2)],
  [PLAIN_HEARTBEAT_MS + 200, caseEnd(1, 0)],
  [PLAIN_HEARTBEAT_MS + 300, caseEnd(2, 1)],
  [
    PLAIN_HEARTBEAT_MS + 400,
    { type: 'target-end', target, cases: 3, findings: { error: 3, warning: 0, info: 0 }, durationMs: 1 },
  ],
];

describe('console progress', () => {
  it('plain: a heartbeat line while a target runs slowly, and one line when it ends; no escapes', () => {
    const out = drive('plain', RUN);
    expect(out).toBe(
      '… mem0 http://127.0.0.1:4010  2/3 cases · 2 findings (2 errors, 0 warnings) · 10.2 s\n' +
        '✗ mem0 http://127.0.0.1:4010  3/3 cases · 3 findings (3 errors, 0 warnings) · 10.4 s\n',
    );
  });

  it('live: redraws the target line in place and erases the block when the run ends', () => {
    const out = drive('live', [
      ...RUN,
      [PLAIN_HEARTBEAT_MS + 500, { type: 'run-end', durationMs: 1, summary: {} as never }],
    ]);
    // First draw, then each redraw moves back up over the one line drawn before.
    expect(out.startsWith('\u001b[2K… mem0 http://127.0.0.1:4010  0/3 cases · no findings · 0.0 s\n')).toBe(
      true,
    );
    expect(out).toContain('\u001b[1F\u001b[2K… mem0 http://127.0.0.1:4010  1/3 cases · 2 findings');
    expect(out).toContain('\u001b[1F\u001b[2K✗ mem0 http://127.0.0.1:4010  3/3 cases · 3 findings');
    expect(out.endsWith('\u001b[1F\u001b[J')).toBe(true);
  });

  it('live: erases what it drew when the run stops without run-end', () => {
    const out = drive('live', RUN.slice(0, 2));
    expect(out.endsWith('\u001b[1F\u001b[J')).toBe(true);
  });
});
