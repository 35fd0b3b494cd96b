import type { Reporter } from './types.js';

/** The report as pretty-printed JSON (`schemas/report.schema.json`), for machines and CI artefacts. */
export const jsonReporter: Reporter = {
  name: 'json',
  fileName: 'report.json',
  description: 'the full report as JSON (report.json, described by schemas/report.schema.json)',
  render: (report) => `${JSON.stringify(report, null, 2)}\n`,
};
