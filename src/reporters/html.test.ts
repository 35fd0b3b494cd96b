import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { Report } from '../runner/report.js';
import { escapeHtml } from './escape.js';
import { renderHtml } from './html.js';
import { firstRawControl, HOSTILE, passingReport, sampleReport } from './testing/sample-report.js';

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
    expect(page).toContain('6 findings at or above --fail-on error · 9 findings in total');
    expect(page.match(/<details class="finding /g)).toHaveLength(sampleReport.findings.length);
    expect(page.match(/<section class="target"/g)).toHaveLength(sampleReport.targets.length);
    expect(page).toContain('<section id="vacuous">');
    expect(renderHtml(passingReport)).toContain('<h1 id="verdict">memconform: PASSED</h1>');
  });

  it('is deterministic: the order of the report arrays does not matter', () => {
    const shuffled: Report = {
      ...sampleReport,
      targets: [...sampleReport.targets].reverse(),
      cases: [...sampleReport.cases].reverse(),
      findings: [...sampleReport.findings].reverse(),
    };
    expect(renderHtml(shuffled)).toBe(page);
  });
});
