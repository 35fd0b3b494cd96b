import { describe, expect, it } from 'vitest';
import type { Report, TargetSummary } from '../runner/report.js';
import { caseVerdict, groupByTarget, targetLabel } from './report-view.js';
import { SAMPLE_URLS, sampleReport } from './testing/sample-report.js';

describe('report helpers', () => {
  it('groups cases and findings by target (api + URL) in a stable order and keeps unknown targets', () => {
    const groups = groupByTarget(sampleReport);
    expect(groups.map((g) => [g.api, g.url])).toEqual([
      ['mem0', SAMPLE_URLS.mem0],
      ['memmachine', SAMPLE_URLS.memmachineHosted],
      ['memmachine', SAMPLE_URLS.memmachineSelfHosted],
      ['memos', SAMPLE_URLS.memos],
    ]);
    for (const g of groups) {
      expect(g.target?.url).toBe(g.url);
      expect(g.cases.every((c) => c.api === g.api && c.targetUrl === g.url)).toBe(true);
      expect(g.findings.every((f) => f.api === g.api && f.targetUrl === g.url)).toBe(true);
    }
    expect(groups.reduce((n, g) => n + g.cases.length, 0)).toBe(sampleReport.cases.length);
    expect(groups.reduce((n, g) => n + g.findings.length, 0)).toBe(sampleReport.findings.length);
    // The two memmachine targets share a case id but keep their own cases and findings.
    const [, hosted, selfHosted] = groups;
    expect(hosted?.cases.map((c) => c.id)).toEqual(['basic-search', 'hosted-filtered-search']);
    expect(selfHosted?.cases.map((c) => c.id)).toEqual(['basic-search', 'echoed-content-search']);
    expect(hosted?.findings.map((f) => [f.checkId, f.caseId])).toEqual([
      ['json-content-type', 'hosted-filtered-search'],
      ['result-limit-respected', 'basic-search'],
    ]);
    expect(selfHosted?.findings.every((f) => f.caseId === 'echoed-content-search')).toBe(true);

    const orphaned: Report = {
      ...sampleReport,
      targets: sampleReport.targets.filter((t) => t.api !== 'mem0'),
    };
    const orphanGroups = groupByTarget(orphaned);
    expect(orphanGroups.at(-1)).toMatchObject({ api: 'mem0', url: SAMPLE_URLS.mem0, target: undefined });
    expect(orphanGroups.at(-1)?.cases).toHaveLength(2);
    expect(orphanGroups.at(-1)?.findings).toHaveLength(1);
    expect(orphanGroups.reduce((n, g) => n + g.cases.length, 0)).toBe(sampleReport.cases.length);

    const doubled: Report = {
      ...sampleReport,
      targets: [
        ...sampleReport.targets,
        { ...(sampleReport.targets[0] as TargetSummary), url: 'https://zz.example' },
      ],
    };
    const doubledGroups = groupByTarget(doubled);
    expect(doubledGroups.find((g) => g.url === 'https://zz.example')?.cases).toEqual([]);
    expect(doubledGroups.reduce((n, g) => n + g.cases.length, 0)).toBe(sampleReport.cases.length);
  });

  it('labels targets so that two of one api can be told apart', () => {
    expect(targetLabel(sampleReport, 'memos', SAMPLE_URLS.memos)).toBe('memos');
    expect(targetLabel(sampleReport, 'memmachine', SAMPLE_URLS.memmachineHosted)).toBe('memmachine (hosted)');
    expect(targetLabel(sampleReport, 'memmachine', 'http://elsewhere')).toBe('memmachine (http://elsewhere)');
    const twoSelfHosted: Report = {
      ...sampleReport,
      targets: sampleReport.targets.map((t) => ({ ...t, flavour: 'self-hosted' as const })),
    };
    expect(targetLabel(twoSelfHosted, 'memmachine', SAMPLE_URLS.memmachineHosted)).toBe(
      `memmachine (self-hosted, ${SAMPLE_URLS.memmachineHosted})`,
    );
  });

  it('tells failing cases from cases with findings below --fail-on', () => {
    const verdict = (id: string, url: string): string => {
      const found = sampleReport.cases.find((c) => c.id === id && c.targetUrl === url);
      if (!found) throw new Error(`no case ${url} ${id}`);
      return caseVerdict(sampleReport, found);
    };
    expect(verdict('basic-search', SAMPLE_URLS.memos)).toBe('failed');
    expect(verdict('get-by-id', SAMPLE_URLS.memos)).toBe('below-fail-on');
    // Same api and case id, different targets: only the hosted one's findings count against it.
    expect(verdict('basic-search', SAMPLE_URLS.memmachineSelfHosted)).toBe('passed');
    expect(verdict('basic-search', SAMPLE_URLS.memmachineHosted)).toBe('failed');
    expect(verdict('hosted-filtered-search', SAMPLE_URLS.memmachineHosted)).toBe('below-fail-on');
  });
});
