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
  visibleControls,
} from './escape.js';
import { firstXmlIllegal, HOSTILE, sampleReport } from './testing/sample-report.js';

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

  it('groups cases by target in a stable order and keeps cases of unknown targets', () => {
    const groups = groupByTarget(sampleReport);
    expect(groups.map((g) => g.api)).toEqual(['mem0', 'memmachine', 'memos']);
    expect(groups.reduce((n, g) => n + g.cases.length, 0)).toBe(sampleReport.cases.length);

    const orphaned: Report = {
      ...sampleReport,
      targets: sampleReport.targets.filter((t) => t.api !== 'mem0'),
    };
    const orphanGroups = groupByTarget(orphaned);
    expect(orphanGroups.at(-1)).toMatchObject({ api: 'mem0', target: undefined });
    expect(orphanGroups.reduce((n, g) => n + g.cases.length, 0)).toBe(sampleReport.cases.length);

    const doubled: Report = {
      ...sampleReport,
      targets: [
        ...sampleReport.targets,
        { ...(sampleReport.targets[0] as TargetSummary), url: 'https://zz.example' },
      ],
    };
    expect(groupByTarget(doubled).reduce((n, g) => n + g.cases.length, 0)).toBe(sampleReport.cases.length);
  });

  it('tells failing cases from cases with findings below --fail-on', () => {
    const verdict = (id: string, api: string): string => {
      const found = sampleReport.cases.find((c) => c.id === id && c.api === api);
      if (!found) throw new Error(`no case ${api}/${id}`);
      return caseVerdict(sampleReport, found);
    };
    expect(verdict('basic-search', 'memos')).toBe('failed');
    expect(verdict('get-by-id', 'memos')).toBe('below-fail-on');
    expect(verdict('basic-search', 'memmachine')).toBe('passed');
  });
});
