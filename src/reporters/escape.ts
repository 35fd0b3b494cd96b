/**
 * Escaping for the markup reporters (JUnit XML, Markdown, HTML). Everything in a report that came from a
 * target (bodies, keys, messages built from them, URLs, failure messages) is hostile data: these helpers turn
 * it into text that cannot become markup in any of the three formats.
 */

function hex(code: number, width: number): string {
  return code.toString(16).toUpperCase().padStart(width, '0');
}

/**
 * Characters shown as visible escapes instead of being passed through: C0/C1 controls and DEL (ANSI escape
 * sequences, NUL, bell, ...), bidirectional overrides/isolates (they can reorder what a reader sees, the
 * "Trojan Source" trick), U+2028/2029, BOM, noncharacters U+FFFE/U+FFFF and lone surrogates (illegal in
 * XML 1.0 and replaced by U+FFFD in HTML).
 * `keepLayout` keeps tab and line feed (and CRLF as LF) for preformatted blocks.
 * Differs from console.ts `terminalSafe` on purpose: report files keep every sent byte visible as evidence.
 */
export function visibleControls(text: string, keepLayout = false): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code >= 0xd800 && code <= 0xdbff) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        out += text[i] + (text[i + 1] ?? '');
        i++;
        continue;
      }
      out += `\\u${hex(code, 4)}`;
      continue;
    }
    if (code >= 0xdc00 && code <= 0xdfff) {
      out += `\\u${hex(code, 4)}`;
      continue;
    }
    if (keepLayout && (code === 0x0a || code === 0x09)) {
      out += text[i];
      continue;
    }
    if (keepLayout && code === 0x0d) {
      // CRLF and lone CR become LF: a bare CR would be normalised differently by each format.
      if (text.charCodeAt(i + 1) !== 0x0a) out += '\n';
      continue;
    }
    if (code === 0x0a) out += '\\n';
    else if (code === 0x09) out += '\\t';
    else if (code === 0x0d) out += '\\r';
    else if (
      code < 0x20 ||
      (code >= 0x7f && code <= 0x9f) ||
      (code >= 0x202a && code <= 0x202e) ||
      (code >= 0x2066 && code <= 0x2069) ||
      code === 0x200e ||
      code === 0x200f ||
      code === 0x061c ||
      code === 0x2028 ||
      code === 0x2029 ||
      code === 0xfeff ||
      code === 0xfffe ||
      code === 0xffff
    ) {
      out += `\\u${hex(code, 4)}`;
    } else {
      out += text[i];
    }
  }
  return out;
}

/** Escapes text for HTML element content and quoted attribute values (both quote kinds). */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ENTITIES[c] ?? c);
}

const HTML_ENTITIES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/**
 * Replaces every character XML 1.0 forbids (`Char ::= #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] |
 * [#x10000-#x10FFFF]`) with a visible escape, so a parser never rejects the document. Other controls and
 * bidi overrides are made visible too (see `visibleControls`); tab and line feed are kept.
 */
export function xmlSafe(text: string): string {
  return visibleControls(text, true);
}

/** Escapes text for XML element content. `>` is escaped too, so `]]>` can never appear. */
export function escapeXmlText(text: string): string {
  return xmlSafe(text).replace(/[&<>]/g, (c) => HTML_ENTITIES[c] ?? c);
}

/**
 * Escapes text for a double-quoted XML attribute value. Tab and line feed become character references
 * because attribute-value normalisation would otherwise turn them into spaces.
 */
export function escapeXmlAttr(text: string): string {
  return xmlSafe(text).replace(/[&<>"'\t\n]/g, (c) => XML_ATTR_ENTITIES[c] ?? c);
}

const XML_ATTR_ENTITIES: Readonly<Record<string, string>> = {
  ...HTML_ENTITIES,
  "'": '&apos;',
  '\t': '&#9;',
  '\n': '&#10;',
};
