import { describe, expect, it } from 'vitest';
import { REDACTED_CREDENTIAL } from './exchange.js';
import { redactText } from './redact.js';
import { base64Forms } from './secret-forms.js';

const TOKEN = 'mc-Secret/Token+9';
const percentAll = (text: string): string =>
  [...Buffer.from(text)].map((b) => `%${b.toString(16).toUpperCase().padStart(2, '0')}`).join('');
const unicodeEscaped = (text: string, index: number): string =>
  `${text.slice(0, index)}\\u${text.charCodeAt(index).toString(16).padStart(4, '0')}${text.slice(index + 1)}`;

describe('redactText finds the token however it was written', () => {
  it.each([
    ['plain', `key=${TOKEN};`],
    ['one character \\u-escaped', `{"echo":"${unicodeEscaped(TOKEN, 3)}"}`],
    [
      'every character \\u-escaped',
      [...TOKEN].map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`).join(''),
    ],
    ['\\/-escaped', `{"echo":"${TOKEN.replace('/', '\\/')}"}`],
    ['percent-encoded, every byte', `?k=${percentAll(TOKEN)}&x=1`],
    ['percent-encoded by encodeURIComponent', `?k=${encodeURIComponent(TOKEN)}`],
    ['percent-encoded, lower-case hex', `?k=${percentAll(TOKEN).toLowerCase()}`],
    [
      'HTML character references',
      `<p>${[...TOKEN].map((c) => `&#x${c.charCodeAt(0).toString(16)};`).join('')}</p>`,
    ],
    ['mixed escapes', `${TOKEN.slice(0, 2)}%2D${unicodeEscaped(TOKEN.slice(3), 0)}`],
    ['base64', `Basic ${Buffer.from(`user:${TOKEN}`).toString('base64')}`],
    ['base64 at offset 1', Buffer.from(`x${TOKEN}`).toString('base64')],
    ['base64 at offset 2', Buffer.from(`xy${TOKEN}zz`).toString('base64')],
    ['base64url', Buffer.from(`Token ${TOKEN}`).toString('base64url')],
  ])('%s', (_, text) => {
    const out = redactText(text, [TOKEN]);
    expect(out).toContain(REDACTED_CREDENTIAL);
    expect(out).not.toContain(TOKEN);
    // Decoding what is left never brings the token back.
    expect(decodeURIComponent(out.replace(/%(?![0-9a-f]{2})/gi, '%25'))).not.toContain(TOKEN);
    expect(JSON.parse(`"${out.replace(/"/g, '\\"')}"`)).not.toContain(TOKEN);
    expect(Buffer.from(out, 'base64').toString('latin1')).not.toContain(TOKEN);
  });

  it('keeps the text around the token and text without it untouched', () => {
    expect(redactText(`a ${unicodeEscaped(TOKEN, 0)} b`, [TOKEN])).toBe(`a ${REDACTED_CREDENTIAL} b`);
    const plain = 'nothing to see: 100% \\n &amp; QUJD';
    expect(redactText(plain, [TOKEN])).toBe(plain);
  });

  it('derives a base64 fragment for each byte alignment', () => {
    const forms = base64Forms(TOKEN);
    for (const prefix of ['', 'a', 'ab']) {
      const encoded = Buffer.from(`${prefix}${TOKEN}`).toString('base64');
      expect(forms.some((form) => encoded.includes(form))).toBe(true);
    }
  });
});
