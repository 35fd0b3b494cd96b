/**
 * Reads a printed curl line (README, the `serve` and `mock` banners) back into the request it sends, so a
 * test can replay it without a curl binary. Only the shell and curl syntax those lines use is understood;
 * anything else fails the test instead of being dropped.
 */

/** A request as a curl line sends it. */
export interface ParsedCurl {
  readonly line: string;
  readonly method: string;
  readonly url: string;
  /** Header names in lower case. */
  readonly headers: Record<string, string>;
  readonly body?: string;
}

/**
 * Splits a shell line into words: single quotes literal, double quotes with \-escapes and `$NAME` expanded
 * from `env`, adjacent pieces joined (`'a'\''b'` is a'b), `#` at the start of a word starts a comment.
 */
export function shellWords(line: string, env: Readonly<Record<string, string>> = {}): string[] {
  const words: string[] = [];
  let word: string | undefined;
  const variable = (at: number): { value: string; end: number } | undefined => {
    const name = /^\$([A-Za-z_][A-Za-z0-9_]*)/.exec(line.slice(at))?.[1];
    if (name === undefined) return undefined;
    const value = env[name];
    if (value === undefined) throw new Error(`$${name} is not set for: ${line}`);
    return { value, end: at + name.length };
  };
  for (let i = 0; i < line.length; i++) {
    const char = line[i] as string;
    if (/\s/.test(char)) {
      if (word !== undefined) words.push(word);
      word = undefined;
    } else if (char === '#' && word === undefined) {
      break;
    } else if (char === "'") {
      const end = line.indexOf("'", i + 1);
      if (end < 0) throw new Error(`unclosed ' in: ${line}`);
      word = (word ?? '') + line.slice(i + 1, end);
      i = end;
    } else if (char === '"') {
      let text = '';
      for (i++; i < line.length && line[i] !== '"'; i++) {
        const expanded = line[i] === '$' ? variable(i) : undefined;
        if (expanded !== undefined) {
          text += expanded.value;
          i = expanded.end;
        } else text += line[i] === '\\' ? line[++i] : line[i];
      }
      if (i >= line.length) throw new Error(`unclosed " in: ${line}`);
      word = (word ?? '') + text;
    } else if (char === '$' && variable(i) !== undefined) {
      const expanded = variable(i) as { value: string; end: number };
      word = (word ?? '') + expanded.value;
      i = expanded.end;
    } else {
      word = (word ?? '') + (char === '\\' ? (line[++i] ?? '') : char);
    }
  }
  if (word !== undefined) words.push(word);
  return words;
}

/** The request a curl line sends; an option these lines do not use is an error, so none is silently dropped. */
export function parseCurl(line: string, env: Readonly<Record<string, string>> = {}): ParsedCurl {
  const [command, ...args] = shellWords(line, env);
  if (command !== 'curl') throw new Error(`not a curl line: ${line}`);
  let method: string | undefined;
  let url: string | undefined;
  let body: string | undefined;
  const headers: Record<string, string> = {};
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    const value = () => {
      const next = args[++i];
      if (next === undefined) throw new Error(`${arg} without a value in: ${line}`);
      return next;
    };
    if (arg === '-s' || arg === '-S' || arg === '-sS') continue;
    if (arg === '-X' || arg === '--request') method = value();
    else if (arg === '-H' || arg === '--header') {
      const header = value();
      const colon = header.indexOf(':');
      headers[header.slice(0, colon).trim().toLowerCase()] = header.slice(colon + 1).trim();
    } else if (arg === '-d' || arg === '--data' || arg === '--data-raw') body = value();
    else if (!arg.startsWith('-') && url === undefined) url = arg;
    else throw new Error(`the curl line uses ${arg}, which parseCurl does not read: ${line}`);
  }
  if (url === undefined) throw new Error(`no URL in: ${line}`);
  // curl's own defaults: POST when there is a body, else GET.
  return {
    line,
    method: method ?? (body === undefined ? 'GET' : 'POST'),
    url,
    headers,
    ...(body === undefined ? {} : { body }),
  };
}

/** Sends what a printed curl line sends (with `env` for its `$NAME`s); resolves with the status and body text. */
export async function pasteCurl(
  line: string,
  env: Readonly<Record<string, string>> = {},
): Promise<{ status: number; text: string }> {
  const request = parseCurl(line, env);
  const response = await fetch(request.url, {
    method: request.method,
    headers: request.headers,
    ...(request.body === undefined ? {} : { body: request.body }),
  });
  return { status: response.status, text: await response.text() };
}
