/** Every reporter shows the seed section and the recall figure of a seeded run, escaped for its format. */
import { describe, expect, it } from 'vitest';
import type { Report } from '../runner/report.js';
import { REPORTERS } from './index.js';
import { seedLines } from './seed.js';
import { passingReport } from './testing/sample-report.js';
import { isStreamReporter, type Reporter } from './types.js';

const recall = { k: 5, queries: 4, recallAtK: 0.792, mrr: 1, matchedBy: 'id' as const };
const seeded: Report = {
  ...passingReport,
  seed: {
    runId: '3f9a01c2',
    indexingMs: 1234,
    kept: false,
    written: 31,
    created: 47,
    deleted: 47,
    notDeleted: 0,
    recall,
    targets: [
      {
        api: 'memmachine',
        url: 'http://127.0.0.1:8080/api',
        variables: { user: 'mc-3f9a01c2-u-123<script>' },
        written: 31,
        created: 47,
        deleted: 47,
        notDeleted: [],
        keptIds: [],
        recall,
      },
    ],
  },
};

// Stream reporters (ndjson, HAR) write events while the run goes; the seed section lives in the finished report.
const RENDERED = REPORTERS.filter((reporter): reporter is Reporter => !isStreamReporter(reporter));

describe('seed section', () => {
  it.each(RENDERED.map((reporter) => [reporter.name, reporter] as const))(
    '%s shows it',
    (_name, reporter) => {
      // Markdown keeps "@name" from pinging people with a zero-width space; JSON carries the figures as data.
      const text = reporter.render(seeded, { color: false }).replaceAll('@\u200b', '@');
      if (reporter.name === 'json') expect(text).toContain('"recallAtK": 0.792');
      else expect(text).toContain('recall@5 0.79, MRR 1.00 over 4 golden queries');
      expect(text).toMatch(/deleted"?:? 47/);
      expect(text).toContain('3f9a01c2');
    },
  );

  it('is absent from reports of unseeded runs', () => {
    for (const reporter of RENDERED)
      expect(reporter.render(passingReport, { color: false })).not.toMatch(/golden queries|recallAtK/);
  });
});

describe('seed line', () => {
  it('says when the seeded data became searchable on a run that went through', () => {
    expect(seedLines(seeded)[0]).toBe(
      'Seed (run id 3f9a01c2): wrote 31 messages, the target made 47 memories, searchable after 1.2 s; deleted 47',
    );
  });

  it('never claims the data became searchable when seeding failed', () => {
    const failed: Report = {
      ...seeded,
      error: { code: 'MC_ERR_SEED', message: 'seeded data never became searchable within 1 s' },
    };
    expect(seedLines(failed)[0]).toContain('seeding failed (see the error); deleted 47');
    expect(seedLines(failed)[0]).not.toContain('searchable after');
  });

  it('says the run was interrupted before its cases when no case ran', () => {
    const interrupted: Report = { ...seeded, cases: [], interrupted: true };
    expect(seedLines(interrupted)[0]).toContain('interrupted before the cases ran; deleted 47');
  });
});
