import { describe, expect, it } from 'vitest';
import { firstXmlIllegal, HOSTILE } from './testing/sample-report.js';
import { capText, formatValue } from './text.js';

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
