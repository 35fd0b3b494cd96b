import { describe, expect, it } from 'vitest';
import { escapeHtml, escapeXmlAttr, escapeXmlText, visibleControls } from './escape.js';
import { firstXmlIllegal, HOSTILE } from './testing/sample-report.js';

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
});
