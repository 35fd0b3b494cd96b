import { describe, expect, it } from 'vitest';
import { groupFindings } from '../runner/findings.js';
import type { Finding } from '../runner/report.js';
import { GITHUB_MAX_ANNOTATIONS, renderGithubAnnotations } from './github.js';
import { sampleReport } from './testing/sample-report.js';

describe('GitHub annotations', () => {
  const out = renderGithubAnnotations(sampleReport);
  const lines = out.trimEnd().split('\n');

  it('writes one workflow command per root cause, errors first, then a summary line', () => {
    expect(lines).toHaveLength(sampleReport.groups.length + 1);
    const kinds = lines.map((line) => /^::(error|warning|notice) title=/.exec(line)?.[1]);
    expect(kinds.every((k) => k !== undefined)).toBe(true);
    const errors = sampleReport.groups.filter((g) => g.severity === 'error').length;
    expect(kinds.slice(0, errors).every((k) => k === 'error')).toBe(true);
    expect(lines.at(-1)).toMatch(
      /^::error title=memconform::memconform failed: 7 at or above --fail-on error/,
    );
  });

  it('titles each annotation with the check and a case, and keeps hostile text on its one line', () => {
    expect(out).toContain('::error title=memconform response-schema-conformance%3A basic-search');
    for (const line of lines) {
      expect(line.startsWith('::')).toBe(true);
      // Nothing a target sends may start a second command or carry an escape sequence.
      expect(line.includes('\u001b')).toBe(false);
    }
    expect(out.split('\n').filter((l) => l.startsWith('::'))).toHaveLength(lines.length);
    expect(out).toContain('Replay: curl');
  });

  it(`annotates at most ${GITHUB_MAX_ANNOTATIONS} root causes and says how many it left out`, () => {
    const base = sampleReport.findings[0] as Finding;
    const many = Array.from({ length: 70 }, (_, i) => ({ ...base, pointer: `/field${i}` }));
    const text = renderGithubAnnotations({ ...sampleReport, findings: many, groups: groupFindings(many) });
    const commands = text.trimEnd().split('\n');
    expect(commands).toHaveLength(GITHUB_MAX_ANNOTATIONS + 1);
    expect(commands.at(-1)).toContain('20 not annotated');
  });
});
