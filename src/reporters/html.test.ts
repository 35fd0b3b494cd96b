import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { escapeHtml } from './escape.js';
import { renderHtml } from './html.js';
import {
  firstRawControl,
  HOSTILE,
  passingReport,
  reversedSampleReport,
  SAMPLE_URLS,
  sampleReport,
} from './testing/sample-report.js';

/** The elements the reporter itself writes; anything else would have come from the data. */
const OWN_TAGS = new Set(
  'html head meta title style body header div h1 h2 h3 h4 p main nav a section span table thead tbody tr th td code br pre details summary dl dt dd ul li footer'.split(
    ' ',
  ),
);

describe('html reporter (markup level; the browser test loads it for real)', () => {
  const page = renderHtml(sampleReport);
  const tags = [...page.matchAll(/<([A-Za-z][\w-]*)((?:[^>"']|"[^"]*"|'[^']*')*)>/g)];

  it('is one self-contained document with a CSP that allows no script and only its own stylesheet', () => {
    expect(page.startsWith('<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n')).toBe(true);
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(page)?.[1];
    const style = /<style>([\s\S]*?)<\/style>/.exec(page)?.[1] ?? '';
    const hash = createHash('sha256').update(style, 'utf8').digest('base64');
    expect(csp).toBe(`default-src 'none'; style-src 'sha256-${hash}'; base-uri 'none'; form-action 'none'`);
    expect(page.match(/<style>/g)).toHaveLength(1);
  });

  it('contains only its own elements, no event handler, no external reference', () => {
    for (const [, name] of tags) expect(OWN_TAGS, `<${name}>`).toContain(name?.toLowerCase());
    for (const [whole, , attrs = ''] of tags) {
      expect(attrs, whole.slice(0, 100)).not.toMatch(/\son\w+\s*=|\ssrc\s*=|\sstyle\s*=/i);
      for (const [, href] of attrs.matchAll(/\shref="([^"]*)"/g)) expect(href).toMatch(/^#[\w-]+$/);
    }
    expect(page).not.toMatch(/<script|<img|<svg|<iframe|<object|<embed|<link|<base|url\(/i);
  });

  it('shows every hostile string as escaped text', () => {
    expect(page).toContain(escapeHtml(HOSTILE.script));
    expect(page).toContain(escapeHtml(HOSTILE.attribute));
    expect(page).toContain(escapeHtml(HOSTILE.svg));
    expect(page).toContain('\\u001B[31mRED');
    expect(page).toContain('safe\\u202Eevil\\u202C');
    expect(page).toContain(HOSTILE.unicode);
    expect(firstRawControl(page)).toBe(-1);
  });

  it('caps the 100 KB value and says how much it left out', () => {
    expect(page).toContain('… (95002 more characters)');
    expect(page.length).toBeLessThan(80_000);
  });

  it('carries the verdict, counts and sections', () => {
    expect(page).toContain('<h1 id="verdict">memconform: FAILED</h1>');
    expect(page).toContain('7 findings at or above --fail-on error · 11 findings in total');
    expect(page.match(/<details class="finding /g)).toHaveLength(sampleReport.findings.length);
    expect(page.match(/<details class="root-cause finding /g)).toHaveLength(sampleReport.groups.length);
    expect(page.indexOf('id="failures"')).toBeLessThan(page.indexOf('id="checks"'));
    expect(page.match(/<section class="target"/g)).toHaveLength(sampleReport.targets.length);
    expect(page).toContain('<section id="vacuous">');
    expect(renderHtml(passingReport)).toContain('<h1 id="verdict">memconform: PASSED</h1>');
  });

  it('gives each target a section with exactly its own cases and findings, even two of one api', () => {
    const sections = page.split('<section class="target"').slice(1);
    expect(sections).toHaveLength(sampleReport.targets.length);
    for (const target of sampleReport.targets) {
      const url = `<dt>URL</dt><dd><code>${escapeHtml(target.url)}</code></dd>`;
      const mine = sections.filter((section) => section.includes(url));
      expect(mine, target.url).toHaveLength(1);
      const section = mine[0] ?? '';
      const cases = sampleReport.cases.filter((c) => c.api === target.api && c.targetUrl === target.url);
      const findings = sampleReport.findings.filter(
        (f) => f.api === target.api && f.targetUrl === target.url,
      );
      expect(section).toContain(`<h3>Findings (${findings.length})</h3>`);
      expect(section.match(/<details class="finding /g) ?? []).toHaveLength(findings.length);
      expect(section).toContain(`<summary>Cases (${cases.length})</summary>`);
      const caseCells = [...section.matchAll(/<tr><td><code>([^<]*)<\/code> › <code>([^<]*)<\/code>/g)].map(
        (m) => `${m[1]}/${m[2]}`,
      );
      expect(caseCells.sort()).toEqual(cases.map((c) => `${c.operationId}/${c.id}`).sort());
      // Every replay line in the section is one of this target's findings.
      const replays = [...section.matchAll(/<dt>Replay<\/dt><dd><pre>([^<]*)/g)].map((m) => m[1] ?? '');
      expect(replays).toHaveLength(findings.length);
      for (const replay of replays) expect(replay).toContain(escapeHtml(target.url));
    }
    const hosted = sections.find((s) => s.includes(`<code>${SAMPLE_URLS.memmachineHosted}</code>`)) ?? '';
    const selfHosted =
      sections.find((s) => s.includes(`<code>${SAMPLE_URLS.memmachineSelfHosted}</code>`)) ?? '';
    expect(hosted).toContain('(hosted target)');
    expect(selfHosted).not.toContain('(hosted target)');
    expect(hosted).not.toContain('echoed-content-search');
  });

  it('is deterministic: the order of the report arrays does not matter', () => {
    expect(renderHtml(reversedSampleReport)).toBe(page);
  });
});
