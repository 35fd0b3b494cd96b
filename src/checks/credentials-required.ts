import { checked, notApplicable } from './outcome.js';
import {
  ALL_OPERATIONS,
  type AnsweredStep,
  answeredSteps,
  describeAnswer,
  memosCode,
} from './protocol-support.js';
import type { CaseContext, Check, FindingDraft, Severity } from './types.js';

/** MemOS body codes for a missing (40100, 40130) or invalid/expired (40132) API key (M-ERR). */
const MEMOS_AUTH_CODES: readonly number[] = [40100, 40130, 40132];

/**
 * How much a rejection with the wrong status matters. Where no source states the status it is
 * a warning: the Mem0 answer to a missing header (no source shows it: Z-OAS, Z-EXC)
 * and every MemMachine Platform auth answer (MM-PLAT documents only `default`). Mem0's 401 for an
 * invalid key (Z-OAS ping) and MemOS's auth codes (M-ERR) are documented, so a wrong kind is an error.
 */
function wrongKindSeverity(context: CaseContext, result: AnsweredStep): Severity {
  if (context.target.api === 'memmachine') return 'warning';
  if (context.target.api === 'mem0' && result.step.auth === 'none') return 'warning';
  return 'error';
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
    'A request without valid credentials is refused with 401/403 (MemOS: an auth error code), never served.',
  severity: 'error',
  category: 'protocol',
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
      if (status === 401 || status === 403) continue;
      if (code !== undefined && MEMOS_AUTH_CODES.includes(code)) continue;
      const credential = step.auth === 'none' ? 'no credentials' : 'invalid credentials';
      const received = describeAnswer(context, response);
      const expected = context.target.api === 'memos' ? '401/403 or code 40100/40130/40132' : '401 or 403';
      if (status >= 400 && status < 500) {
        findings.push({
          step: step.name,
          severity: wrongKindSeverity(context, result),
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
