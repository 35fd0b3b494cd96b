/**
 * Finding a secret however a target wrote it back. A hostile or careless server can echo the token with
 * characters escaped (`\u0072`, `\/`, `%72`, `&#x72;`, in any mix) or base64-encoded; a plain substring search
 * misses all of those, and JSON.parse or a person decoding a report restores them. Here the text is decoded
 * once, the secret is searched in the decoded view, and each match is cut out of the original text.
 */

/** One decoded character and the span of source text it came from. */
interface Decoded {
  readonly text: string;
  /** Source index where decoded character i starts; `starts[text.length]` is the source length. */
  readonly starts: readonly number[];
}

const HEX2 = /^[0-9a-fA-F]{2}$/;
const HEX4 = /^[0-9a-fA-F]{4}$/;
const NAMED_ENTITIES: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
const SIMPLE_ESCAPES: Readonly<Record<string, string>> = {
  '"': '"',
  '\\': '\\',
  '/': '/',
  "'": "'",
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
};

/** Decodes percent escapes, JSON/JS string escapes and HTML/XML character references, keeping positions. */
function decode(source: string): Decoded {
  let text = '';
  const starts: number[] = [];
  let i = 0;
  while (i < source.length) {
    starts.push(i);
    const ch = source[i] as string;
    if (ch === '%' && HEX2.test(source.slice(i + 1, i + 3))) {
      text += String.fromCharCode(Number.parseInt(source.slice(i + 1, i + 3), 16));
      i += 3;
      continue;
    }
    if (ch === '\\') {
      const next = source[i + 1] ?? '';
      if (next === 'u' && HEX4.test(source.slice(i + 2, i + 6))) {
        text += String.fromCharCode(Number.parseInt(source.slice(i + 2, i + 6), 16));
        i += 6;
        continue;
      }
      if (next === 'x' && HEX2.test(source.slice(i + 2, i + 4))) {
        text += String.fromCharCode(Number.parseInt(source.slice(i + 2, i + 4), 16));
        i += 4;
        continue;
      }
      const simple = SIMPLE_ESCAPES[next];
      if (simple !== undefined) {
        text += simple;
        i += 2;
        continue;
      }
    }
    if (ch === '&') {
      const entity = /^&(#x[0-9a-fA-F]{1,6}|#[0-9]{1,7}|[a-z]{2,4});/.exec(source.slice(i, i + 12));
      const name = entity?.[1];
      if (entity && name !== undefined) {
        const code = name.startsWith('#x')
          ? Number.parseInt(name.slice(2), 16)
          : name.startsWith('#')
            ? Number.parseInt(name.slice(1), 10)
            : undefined;
        const value =
          code !== undefined && code <= 0x10ffff ? String.fromCodePoint(code) : NAMED_ENTITIES[name];
        if (value !== undefined) {
          text += value;
          // A code point above 0xFFFF is two UTF-16 units: both map back to the same reference.
          if (value.length === 2) starts.push(i);
          i += entity[0].length;
          continue;
        }
      }
    }
    text += ch;
    i += 1;
  }
  starts.push(source.length);
  return { text, starts };
}

/**
 * The base64 (standard and URL-safe) fragments that any base64 text containing `secret` must contain, at
 * each of the three byte alignments: the characters that encode only bytes of the secret.
 */
export function base64Forms(secret: string): readonly string[] {
  let forms = base64FormsOf.get(secret);
  if (forms === undefined) {
    forms = computeBase64Forms(secret);
    // A long-lived process (the library API) may see many tokens: keep only a few.
    if (base64FormsOf.size >= 16) base64FormsOf.clear();
    base64FormsOf.set(secret, forms);
  }
  return forms;
}

/** A run redacts every string of every answer with the same one or two secrets: their forms are computed once. */
const base64FormsOf = new Map<string, readonly string[]>();

function computeBase64Forms(secret: string): string[] {
  const bytes = Buffer.from(secret, 'utf8');
  const forms = new Set<string>();
  for (let pad = 0; pad < 3; pad += 1) {
    const encoded = Buffer.concat([Buffer.alloc(pad), bytes]).toString('base64');
    const first = Math.ceil((pad * 4) / 3);
    const last = Math.floor(((pad + bytes.length) * 8) / 6);
    const core = encoded.slice(first, last);
    if (core.length < 4) continue;
    forms.add(core);
    forms.add(core.replace(/\+/g, '-').replace(/\//g, '_'));
  }
  return [...forms];
}

/**
 * Replaces every occurrence of `secret` in `text` with `replacement`: plain, base64-encoded at any alignment,
 * or written with escapes (percent, `\u`, `\x`, `\/` and other backslash escapes, HTML/XML references).
 */
export function redactSecretForms(text: string, secret: string, replacement: string): string {
  if (secret === '') return text;
  let out = text;
  for (const form of [secret, ...base64Forms(secret)]) {
    if (out.includes(form)) out = out.split(form).join(replacement);
  }
  // Only text with an escape character can hide the secret in an escaped form.
  if (!/[%\\&]/.test(out)) return out;
  const { text: decoded, starts } = decode(out);
  let from = decoded.indexOf(secret);
  if (from === -1) return out;
  let result = '';
  let copied = 0;
  while (from !== -1) {
    const start = starts[from] as number;
    const end = starts[from + secret.length] as number;
    result += out.slice(copied, start) + replacement;
    copied = end;
    from = decoded.indexOf(secret, from + secret.length);
  }
  return result + out.slice(copied);
}
