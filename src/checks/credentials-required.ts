import { checked, notApplicable } from './outcome.js';
import {
  ALL_OPERATIONS,
  answeredSteps,
  describeAnswer,
  MEMOS_AUTH_CODES,
  memosCode,
} from './protocol-support.js';
import type { CaseContext, Check, FindingDraft, Severity } from './types.js';

/**
 * How much a rejection with the wrong status matters. Where no source states the status it is a warning:
 * every MemMachine Platform auth answer (MM-PLAT documents only `default`). Mem0's 401 for a missing or
 * invalid key (Z-OAS, Z-EXC in docs/sources.md) and MemOS's auth codes (M-ERR) are documented, so a wrong
 * kind is an error.
 */
function wrongKindSeverity(context: CaseContext): Severity {
  return context.target.api === 'memmachine' ? 'warning' : 'error';
}

/**
 * The one status a vendor documents for refused credentials, where it documents one: Mem0 (Django REST
 * Framework's TokenAuthentication sends a WWW-Authenticate challenge, hence 401 for a missing and for an
 * invalid key, never 403; Z-OAS, Z-EXC in docs/sources.md). Elsewhere 401 and 403 both pass.
 */
function documentedStatus(context: CaseContext): number | undefined {
  return context.target.api === 'mem0' ? 401 : undefined;
}

/**
 * A request without credentials, or with credentials the target cannot know, is refused: 401/403 (MemOS:
 * or an auth error code in the body, whatever the status), never answered with data. Not applicable to
 * targets without auth (MemMachine self-hosted).
 */
export const credentialsRequired: Check = {
  id: 'credentials-required',
  title: 'Credentials required',
  description:
    'A request without valid credentials is refused with 401/403 (Mem0: exactly 401; MemOS: an auth error code), never served.',
  severity: 'error',
  category: 'protocol',
  sources: ['M-ERR', 'Z-OAS', 'Z-EXC', 'MM-PLAT'],
  operations: ALL_OPERATIONS,
  run(context) {
    if (!context.target.authRequired) return notApplicable();
    const judged = answeredSteps(context).filter((result) => result.step.auth !== 'valid');
    if (judged.length === 0) return notApplicable();
    const findings: FindingDraft[] = [];
    for (const result of judged) {
      const { step, response } = result;
      const { status } = response;
      const code = memosCode(context, response.json);
      const documented = documentedStatus(context);
      if (documented === undefined ? status === 401 || status === 403 : status === documented) continue;
      if (code !== undefined && MEMOS_AUTH_CODES.includes(code)) continue;
      const credential = step.auth === 'none' ? 'no credentials' : 'invalid credentials';
      const received = describeAnswer(context, response);
      const expected =
        documented !== undefined
          ? String(documented)
          : context.target.api === 'memos'
            ? '401/403 or code 40100/40130/40132'
            : '401 or 403';
      if (status >= 400 && status < 500) {
        findings.push({
          step: step.name,
          severity: wrongKindSeverity(context),
          message: `Expected ${expected} for a request with ${credential} / Received ${received}`,
          ...(code === undefined ? {} : { pointer: '/code' }),
          expected,
          actual: code ?? status,
        });
        continue;
      }
      const served = status >= 200 && status < 300 && (code === undefined || code === 0);
      findings.push({
        step: step.name,
        message: served
          ? `Expected ${expected} for a request with ${credential} / Received HTTP ${status} with data`
          : `Expected ${expected} for a request with ${credential} / Received ${received}`,
        ...(code === undefined ? {} : { pointer: '/code' }),
        expected,
        actual: code ?? status,
      });
    }
    return checked(findings);
  },
};
