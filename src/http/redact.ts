import { REDACTED_CREDENTIAL } from './exchange.js';
import { redactSecretForms } from './secret-forms.js';

/**
 * Returns headers with the credential header's value replaced by `REDACTED_CREDENTIAL`, and any other value
 * that contains one of `secrets` (a token pasted into a custom header) redacted too.
 */
export function redactHeaders(
  headers: Readonly<Record<string, string>>,
  credentialHeader: string | undefined,
  secrets: readonly string[] = [],
): Record<string, string> {
  const out: Record<string, string> = {};
  const credential = credentialHeader?.toLowerCase();
  for (const [name, value] of Object.entries(headers)) {
    const lower = name.toLowerCase();
    out[lower] = lower === credential ? REDACTED_CREDENTIAL : redactText(value, secrets);
  }
  return out;
}

/**
 * Shorter secrets cannot be redacted without redacting ordinary text (a 3-letter token is in many words);
 * options refuse them, and redaction skips them.
 */
export const MIN_SECRET_LENGTH = 4;

/**
 * Replaces every occurrence of each secret in `text` with `REDACTED_CREDENTIAL`, also where the text writes
 * it escaped (`\u0072`, `\/`, `%72`, `&#x72;`) or base64-encoded (see secret-forms.ts).
 */
export function redactText(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) {
    if (secret.length >= MIN_SECRET_LENGTH) out = redactSecretForms(out, secret, REDACTED_CREDENTIAL);
  }
  return out;
}

/**
 * A URL with any user name and password removed: `https://user:secret@host/x` -> `https://host/x`.
 * Userinfo is a credential too, so recorded requests, reports and curl lines never carry it.
 */
export function withoutUserinfo(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.username === '' && parsed.password === '') return url;
    parsed.username = '';
    parsed.password = '';
    return parsed.href.replace(/\/$/, url.endsWith('/') ? '/' : '');
  } catch {
    return url;
  }
}
