import { describe, expect, it } from 'vitest';
import { groupFindings } from '../runner/findings.js';
import type { Finding } from '../runner/report.js';
import { visibleControls } from './escape.js';
import {
  longestRun,
  MARKDOWN_COMMENT_BUDGET,
  MARKDOWN_CUT_NOTICE,
  MARKDOWN_FINDINGS_PER_CHECK,
  mdCode,
  mdFence,
  mdText,
  renderMarkdown,
} from './markdown.js';
import {
  firstRawControl,
  HOSTILE,
  passingReport,
  reversedSampleReport,
  SAMPLE_URLS,
  sampleReport,
} from './testing/sample-report.js';
import { formatValue } from './text.js';

interface Parsed {
  /** Fenced code blocks, in order. */
  readonly blocks: { readonly info: string; readonly content: string }[];
  /** Lines outside fenced blocks. */
  readonly outside: string[];
}

/** Splits Markdown into fenced code blocks and the rest, following CommonMark's backtick-fence rules. */
function splitFences(markdown: string): Parsed {
  const blocks: Parsed['blocks'] = [];
  const outside: string[] = [];
  let open: { fence: number; info: string; lines: string[] } | undefined;
  for (const line of markdown.split('\n')) {
    if (open) {
      const close = /^ {0,3}(`+)[ \t]*$/.exec(line);
      if (close?.[1] && close[1].length >= open.fence) {
        blocks.push({ info: open.info, content: open.lines.join('\n') });
        open = undefined;
      } else {
        open.lines.push(line);
      }
      continue;
    }
    const start = /^ {0,3}(`{3,})([^`]*)$/.exec(line);
    if (start?.[1]) open = { fence: start[1].length, info: start[2]?.trim() ?? '', lines: [] };
    else outside.push(line);
  }
  if (open) throw new Error('unclosed fenced code block');
  return { blocks, outside };
}

/** Removes CommonMark code spans from a line, returning the text outside them and the spans' contents. */
function splitCodeSpans(line: string): { text: string; spans: string[] } {
  let text = '';
  const spans: string[] = [];
  let i = 0;
  while (i < line.length) {
    if (line[i] === '\\' && i + 1 < line.length) {
      text += line.slice(i, i + 2);
      i += 2;
      continue;
    }
    if (line[i] !== '`') {
      text += line[i];
      i++;
      continue;
    }
    let n = 0;
    while (line[i + n] === '`') n++;
    const fence = '`'.repeat(n);
    let j = i + n;
    let close = -1;
    while (j < line.length) {
      const k = line.indexOf(fence, j);
      if (k === -1) break;
      if (line[k + n] !== '`' && line[k - 1] !== '`') {
        close = k;
        break;
      }
      j = k + 1;
      while (line[j] === '`') j++;
    }
    if (close === -1) {
      text += fence;
      i += n;
      continue;
    }
    let content = line.slice(i + n, close);
    if (/^ .* $/.test(content) && content.trim() !== '') content = content.slice(1, -1);
    spans.push(content);
    i = close + n;
  }
  return { text, spans };
}

/** Undoes `mdText`: backslash escapes, the three entities and the mention breaker. */
function unescapeInline(text: string): string {
  return text
    .replace(/\\([!-/:-@[-`{-~])/g, '$1')
    .replace(/&(amp|lt|gt);/g, (_m, e: string) => ({ amp: '&', lt: '<', gt: '>' })[e] ?? '')
    .replace(/@\u200b/g, '@');
}

const countCells = (row: string): number => (row.match(/(?<!\\)(?:\\\\)*\|/g) ?? []).length - 1;

describe('markdown escaping helpers', () => {
  it.each(Object.entries(HOSTILE))('mdText keeps %s as text that round-trips', (_name, value) => {
    const escaped = mdText(value, 200_000);
    expect(unescapeInline(escaped)).toBe(visibleControls(value));
    // Nothing Markdown or HTML would act on is left unescaped (every backslash starts a valid escape).
    const bare = escaped.replace(/\\[!-/:-@[-`{-~]/g, '');
    expect(bare).not.toMatch(/[\\*_`[\]|~<>\n]/);
    expect(escaped).not.toMatch(/@[\w-]/);
  });

  it('mdText neutralises syntax that only matters at the start of a line', () => {
    expect(mdText('# heading')).toBe('\\# heading');
    expect(mdText('- item')).toBe('\\- item');
    expect(mdText('1. item')).toBe('1\\. item');
  });

  it('mdCode picks a fence no content can close, and escapes pipes only in tables', () => {
    for (const value of [
      HOSTILE.fence,
      '`lead',
      'trail`',
      'a|b',
      formatValue(sampleReport.findings[6]?.actual),
    ]) {
      const code = mdCode(value, { cap: 200_000 });
      const { text, spans } = splitCodeSpans(code);
      expect(text).toBe('');
      expect(spans).toEqual([visibleControls(value)]);
    }
    expect(mdCode('a|b', { inTable: true })).toBe('`a\\|b`');
  });

  it('mdFence cannot be closed early by the content', () => {
    const { blocks, outside } = splitFences(`${mdFence(HOSTILE.fence, 'sh')}\nafter`);
    expect(blocks).toEqual([{ info: 'sh', content: visibleControls(HOSTILE.fence, true) }]);
    expect(outside).toEqual(['after']);
  });
});

describe('markdown reporter', () => {
  const md = renderMarkdown(sampleReport);
  const { blocks, outside } = splitFences(md);
  const outsideText = outside.map((line) => splitCodeSpans(line).text).join('\n');

  it('opens with the verdict and the counts against --fail-on', () => {
    expect(md.split('\n')[0]).toBe('## ❌ memconform: failed');
    expect(md).toContain('7 findings at or above `--fail-on error` · 7 errors, 3 warnings, 1 info');
    expect(renderMarkdown(passingReport).split('\n')[0]).toBe('## ✅ memconform: passed');
  });

  it('leaves no raw control character, ANSI escape or bidi override in the output', () => {
    expect(firstRawControl(md)).toBe(-1);
  });

  it('lets no target-derived HTML through: the only tags outside code are its own details/summary/br', () => {
    const tags = [...outsideText.matchAll(/<\/?([A-Za-z][\w-]*)/g)].map((m) => m[1]);
    expect(new Set(tags)).toEqual(new Set(['details', 'summary', 'br']));
    expect(outsideText.match(/<details/g)?.length).toBe(outsideText.match(/<\/details>/g)?.length);
    expect(outsideText).not.toMatch(/@octocat/);
    // Every <details> summary line is followed by a blank line, so GitHub renders the Markdown inside.
    const lines = md.split('\n');
    lines.forEach((line, i) => {
      if (line.startsWith('<details')) expect(lines[i + 1]).toBe('');
    });
  });

  it('keeps hostile fences inside their code block', () => {
    expect(outside).not.toContain('# injected heading');
    const curl = sampleReport.findings.find(
      (f) => f.caseId === 'echoed-content-search' && f.step === 'search',
    );
    expect(blocks).toContainEqual({ info: 'sh', content: visibleControls(curl?.curl ?? '', true) });
    // One replay block per finding (each is an example of its group), plus evidence blocks without a language.
    expect(blocks.filter((b) => b.info === 'sh')).toHaveLength(sampleReport.findings.length);
    expect(blocks.every((b) => b.info === 'sh' || b.info === '')).toBe(true);
    const evidence = sampleReport.findings.find((f) => f.evidence?.bodyExcerpt !== undefined);
    expect(blocks).toContainEqual({
      info: '',
      content: visibleControls(evidence?.evidence?.bodyExcerpt ?? '', true),
    });
  });

  it('shows pointer, expected and received as intact code spans', () => {
    const hostile = sampleReport.findings[6];
    const spans = outside.flatMap((line) => splitCodeSpans(line).spans);
    expect(spans).toContain(visibleControls(hostile?.pointer ?? ''));
    expect(spans).toContain(visibleControls(formatValue(hostile?.actual)));
    expect(spans).toContain('"<script>alert(1)</script>"');
  });

  it('keeps every table row at its header width despite pipes in the data', () => {
    let width: number | undefined;
    for (const line of outside) {
      if (!line.startsWith('|')) {
        width = undefined;
        continue;
      }
      const cells = countCells(line);
      width ??= cells;
      expect(cells, line.slice(0, 120)).toBe(width);
    }
    expect(md).toContain('| Check | Default severity | Findings | Occurrences | Cases |');
  });

  it('lists failing checks, findings by check and vacuous checks with their reasons', () => {
    const failingTable = md.slice(md.indexOf('### Failing checks'), md.indexOf('### Findings'));
    for (const id of ['response-schema-conformance', 'status-code-documented', 'invalid-input-rejected']) {
      expect(failingTable).toContain(`\`${id}\``);
    }
    expect(failingTable).not.toContain('json-content-type');
    expect(md).toContain('#### `response-schema-conformance` — Response matches the documented schema');
    expect(md).toContain('- **Pointer:** `/data/memory_detail_list/*/create_time`');
    expect(md).toContain('3 occurrences in 1 case');
    expect(md).toContain(
      'Case `basic-search` › step `request` · ×3 at `/data/memory_detail_list/0/create_time`',
    );
    expect(md).toContain('**⚠️ warning** (below `--fail-on`)');
    const vacuous = md.slice(md.indexOf('### Vacuous checks'));
    expect(vacuous).toContain('Hint:');
    expect(vacuous).toContain('**vacuous everywhere**');
    expect(vacuous).toContain(
      'results carried no score field; the first result was &lt;script&gt;alert(1)&lt;/script&gt;',
    );
  });

  it('keeps the two memmachine targets apart in the targets table, the findings and the cases', () => {
    const row = (url: string): string[] => {
      const line = outside.find((l) => l.startsWith('| `memmachine` |') && l.includes(`\`${url}\``));
      if (!line) throw new Error(`no targets row for ${url}`);
      return line.split(' | ').map((cell) => cell.replace(/^\| |\s\|$/g, ''));
    };
    // Target, URL, Flavour, Auth, Cases, Errors, Warnings, Info.
    expect(row(SAMPLE_URLS.memmachineHosted).slice(2)).toEqual(['hosted', 'required', '2', '1', '1', '0']);
    expect(row(SAMPLE_URLS.memmachineSelfHosted).slice(2)).toEqual([
      'self-hosted (built-in reference)',
      'none',
      '2',
      '2',
      '0',
      '1',
    ]);
    // Each group names its target; its example cases follow it.
    const headings = outside.filter((l) => l.startsWith('**') && l.includes(' › '));
    expect(headings).toHaveLength(sampleReport.groups.length);
    const casesUnder = (label: string): string[] =>
      outside.flatMap((line, i) => {
        if (!line.startsWith('Case ')) return [];
        const heading = outside.slice(0, i).findLast((l) => l.startsWith('**') && l.includes(' › '));
        return heading?.includes(`\`${label}\` › `) ? [/^Case `([\w-]+)`/.exec(line)?.[1] ?? ''] : [];
      });
    expect(casesUnder('memmachine (hosted)').sort()).toEqual(['basic-search', 'hosted-filtered-search']);
    expect(casesUnder('memmachine (self-hosted)')).toEqual([
      'echoed-content-search',
      'echoed-content-search',
      'echoed-content-search',
    ]);
    // Cases table: one row per case, labelled with its own target.
    const caseRows = outside.filter((l) => l.startsWith('| `memmachine ('));
    expect(caseRows).toHaveLength(4);
    const casesOf = (label: string): string[] =>
      caseRows
        .filter((l) => l.startsWith(`| \`${label}\` |`))
        .map((l) => /\| `searchMemories` \| `([\w-]+)`/.exec(l)?.[1] ?? '');
    expect(casesOf('memmachine (hosted)')).toEqual(['basic-search', 'hosted-filtered-search']);
    expect(casesOf('memmachine (self-hosted)')).toEqual(['basic-search', 'echoed-content-search']);
    const hostedBasic = caseRows.find((l) =>
      l.startsWith('| `memmachine (hosted)` | `searchMemories` | `basic-search`'),
    );
    const selfBasic = caseRows.find((l) =>
      l.startsWith('| `memmachine (self-hosted)` | `searchMemories` | `basic-search`'),
    );
    expect(hostedBasic).toContain('❌ failed');
    expect(selfBasic).toContain('✅ passed');
    // The failing-checks table names the hosted case by its target.
    expect(md).toContain('`memmachine (hosted)/searchMemories/basic-search`');
  });

  it('caps long values and says how much it left out', () => {
    expect(md).toContain('… (98002 more characters)');
    expect(md.length).toBeLessThan(40_000);
  });

  it('lists at most MARKDOWN_FINDINGS_PER_CHECK findings per check and counts the rest', () => {
    const base = sampleReport.findings[0] as Finding;
    const many: Finding[] = Array.from({ length: MARKDOWN_FINDINGS_PER_CHECK + 7 }, (_, i) => ({
      ...base,
      caseId: `case-${String(i).padStart(2, '0')}`,
      pointer: `/field${i}`,
    }));
    const out = renderMarkdown({ ...sampleReport, findings: many, groups: groupFindings(many) });
    expect(splitFences(out).blocks.filter((b) => b.info === 'sh')).toHaveLength(MARKDOWN_FINDINGS_PER_CHECK);
    expect(out).toContain('… and 7 more groups of this check');
    expect(out).toContain('<details><summary>response-schema-conformance: 27 findings</summary>');
  });

  it('shortens itself to fit a pull-request comment when the full rendering is too long', () => {
    const huge = sampleReport.findings.find((f) => f.actual === HOSTILE.huge) as Finding;
    const checkIds = sampleReport.checks.slice(0, 4).map((c) => c.id);
    const many: Finding[] = checkIds.flatMap((checkId) =>
      Array.from({ length: 20 }, (_, i) => ({
        ...huge,
        checkId,
        caseId: `case-${String(i).padStart(2, '0')}`,
        pointer: `/field${i}`,
      })),
    );
    const out = renderMarkdown({ ...sampleReport, findings: many, groups: groupFindings(many) });
    expect(out.length).toBeLessThanOrEqual(MARKDOWN_COMMENT_BUDGET);
    expect(out).toContain('_Shortened to fit a pull-request comment');
    expect(splitFences(out).blocks.filter((b) => b.info === 'sh')).toHaveLength(4 * 5);
    expect(out).toContain('… and 15 more groups of this check');
    expect(md).not.toContain('Shortened');
  });

  it('is cut at MARKDOWN_COMMENT_BUDGET when even the short form is too long, with a pointer to the full report', () => {
    const huge = sampleReport.findings.find((f) => f.actual === HOSTILE.huge) as Finding;
    const many: Finding[] = sampleReport.checks.flatMap((check) =>
      Array.from({ length: 20 }, (_, i) => ({
        ...huge,
        checkId: check.id,
        caseId: `case-${i}`,
        pointer: `/field${i}`,
        evidence: { bodyExcerpt: '{"x": "'.concat('y'.repeat(2_000), '"}'), requestBody: 'z'.repeat(2_000) },
      })),
    );
    const out = renderMarkdown({ ...sampleReport, findings: many, groups: groupFindings(many) });
    expect(out.length).toBeLessThanOrEqual(MARKDOWN_COMMENT_BUDGET);
    expect(out.trimEnd().endsWith(MARKDOWN_CUT_NOTICE)).toBe(true);
    // The cut leaves no fence or <details> open.
    const { outside: rest } = splitFences(out);
    expect(rest.filter((l) => l !== '').at(-1)).toBe(MARKDOWN_CUT_NOTICE);
    const text = rest.join('\n');
    expect(text.match(/<details/g)?.length).toBe(text.match(/<\/details>/g)?.length);
  });

  it('is deterministic: the order of the report arrays does not matter', () => {
    expect(renderMarkdown(reversedSampleReport)).toBe(md);
  });
});

describe('longestRun', () => {
  it('finds the longest backtick run', () => {
    expect(longestRun(HOSTILE.fence, '`')).toBe(10);
    expect(longestRun('none', '`')).toBe(0);
  });
});
