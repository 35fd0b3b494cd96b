import { describe, expect, it } from 'vitest';
import type { Report, TargetSummary } from '../runner/report.js';
import {
  capText,
  caseVerdict,
  escapeHtml,
  escapeXmlAttr,
  escapeXmlText,
  failsRun,
  formatValue,
  groupByTarget,
  longestRun,
  targetLabel,
  visibleControls,
} from './escape.js';
import { firstXmlIllegal, HOSTILE, SAMPLE_URLS, sampleReport } from './testing/sample-report.js';

describe('visibleControls', () => {
  it.each([
    ['ANSI escape', '\u001b[31mred', '\\u001B[31mred'],
    ['NUL and bell', 'a\u0000b\u0007', 'a\\u0000b\\u0007'],
    ['DEL and C1', '\u007f\u0085', '\\u007F\\u0085'],
    ['bidi override', 'safe\u202Eevil\u202C', 'safe\\u202Eevil\\u202C'],
    ['lone high surrogate', 'x\ud800y', 'x\\uD800y'],
    ['lone low surrogate', 'x\udc00', 'x\\uDC00'],
    ['noncharacter', '\ufffe\uffff', '\\uFFFE\\uFFFF'],
    ['line breaks inline', 'a\nb\tc\rd', 'a\\nb\\tc\\rd'],
  ])('makes %s visible', (_name, input, expected) => {
    expect(visibleControls(input)).toBe(expected);
  });

  it('keeps astral characters, emoji and combining marks', () => {
    expect(visibleControls(HOSTILE.unicode)).toBe(HOSTILE.unicode);
  });

  it('keeps tab and line feed for preformatted text and turns CR/CRLF into LF', () => {
    expect(visibleControls('a\tb\r\nc\rd\ne', true)).toBe('a\tb\nc\nd\ne');
  });
});

describe('capText', () => {
  it('leaves short text alone and says how much it cut', () => {
    expect(capText('abc', 5)).toBe('abc');
    expect(capText('abcdefgh', 5)).toBe('abcde… (3 more characters)');
    expect(capText(HOSTILE.huge)).toBe(`${HOSTILE.huge.slice(0, 2_000)}… (98000 more characters)`);
  });

  it('never cuts a surrogate pair in half', () => {
    const cut = capText('ab🧠cd', 3);
    expect(cut).toBe('ab… (4 more characters)');
    expect(firstXmlIllegal(cut)).toBe(-1);
  });
});

describe('formatValue', () => {
  it('prints JSON so strings and numbers differ, and describes what JSON cannot express', () => {
    expect(formatValue('1')).toBe('"1"');
    expect(formatValue(1)).toBe('1');
    expect(formatValue({ a: [true, null] })).toBe('{"a":[true,null]}');
    expect(formatValue(undefined)).toBe('undefined');
    expect(formatValue(10n)).toBe('10n');
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    expect(formatValue(circular)).toBe('[object Object]');
  });
});

describe('markup escaping', () => {
  it('escapes all five HTML specials', () => {
    expect(escapeHtml(`<a href="x" title='y'>&</a>`)).toBe(
      '&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;',
    );
  });

  it('produces XML text with no illegal character, no markup and no CDATA terminator', () => {
    for (const value of Object.values(HOSTILE)) {
      const text = escapeXmlText(value);
      expect(firstXmlIllegal(text)).toBe(-1);
      expect(text).not.toMatch(/[<]|]]>/);
      expect(text).not.toMatch(/&(?!(amp|lt|gt|quot|apos|#\d+);)/);
    }
  });

  it('produces XML attribute values that keep tabs and line feeds and cannot close the quote', () => {
    const attr = escapeXmlAttr(`${HOSTILE.attribute}\t${HOSTILE.svg}\n${HOSTILE.controls}`);
    expect(attr).not.toMatch(/["<\t\n]/);
    expect(firstXmlIllegal(attr)).toBe(-1);
    expect(attr).toContain('&#9;');
    expect(attr).toContain('&#10;');
  });

  it('finds the longest backtick run', () => {
    expect(longestRun(HOSTILE.fence, '`')).toBe(10);
    expect(longestRun('none', '`')).toBe(0);
  });
});

describe('report helpers', () => {
  it('compares severities against --fail-on', () => {
    expect(failsRun('error', 'error')).toBe(true);
    expect(failsRun('warning', 'error')).toBe(false);
    expect(failsRun('warning', 'warning')).toBe(true);
    expect(failsRun('info', 'warning')).toBe(false);
    expect(failsRun('info', 'info')).toBe(true);
  });

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
