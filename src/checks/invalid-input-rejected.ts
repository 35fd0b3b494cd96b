import { isRecord } from '../json.js';
import { checked, notApplicable } from './outcome.js';
import {
  ALL_OPERATIONS,
  type AnsweredStep,
  answeredSteps,
  describeAnswer,
  isAuthenticated,
  isMemosErrorBody,
} from './protocol-support.js';
import type { CaseContext, Check, FindingDraft } from './types.js';

const MEM0_ENTITY_IDS = ['user_id', 'agent_id', 'app_id', 'run_id'] as const;

/**
 * The status the contract pins for this rejection, when a public source pins one; undefined means any 4xx
 * (no source states the status). Pins apply to JSON bodies only: no source says which status
 * a malformed body or a non-JSON content type gets, so those are any 4xx everywhere.
 * - Mem0, no entity id: 400 (Z-OAS 400 example). Other Mem0 field errors are unverified (Z-OAS, Z-ISS3955).
 * - MemMachine self-hosted: 422 for body validation and filter errors (MM-APP, MM-RT); the hosted Platform
 *   documents only `default`, its status is unverified (MM-PLAT).
 * - MemOS: the HTTP status sent with a non-zero body code is unverified (M-ERR, M-ISS1317).
 */
function pinnedStatus(context: CaseContext, result: AnsweredStep): number | undefined {
  const { api, flavour } = context.target;
  const { request } = result.exchange;
  const body = request.json;
  const declaredJson = (request.headers['content-type'] ?? '').toLowerCase().startsWith('application/json');
  if (!declaredJson || !isRecord(body)) return undefined;
  if (api === 'memmachine' && flavour === 'self-hosted') return 422;
  if (api === 'mem0' && result.step.operation === 'searchMemories') {
    const hasQuery = typeof body.query === 'string' && body.query !== '';
    const noEntity = MEM0_ENTITY_IDS.every((key) => typeof body[key] !== 'string');
    if (hasQuery && noEntity) return 400;
  }
  return undefined;
}

/**
 * A request that deliberately breaks the request contract (`invalid`), sent with valid credentials, is
 * rejected: a 4xx, or (MemOS) a non-zero body code on a 2xx/4xx answer. Never a 5xx, never a 2xx with data.
 */
export const invalidInputRejected: Check = {
  id: 'invalid-input-rejected',
  title: 'Invalid input rejected',
  description:
    'A request that breaks the request contract is rejected with a 4xx (MemOS: an error code), never a 5xx or data.',
  severity: 'error',
  category: 'protocol',
  operations: ALL_OPERATIONS,
  run(context) {
    const judged = answeredSteps(context).filter(
      (result) => result.step.invalid !== undefined && isAuthenticated(context, result),
    );
    if (judged.length === 0) return notApplicable();
    const findings: FindingDraft[] = [];
    for (const result of judged) {
      const { step, response } = result;
      const { status } = response;
      const how = step.invalid ?? '';
      const memosError = isMemosErrorBody(context, response.json);
      const received = describeAnswer(context, response);
      if (status >= 500) {
        findings.push({
          step: step.name,
          message: `Expected a 4xx rejection of an invalid request (${how}) / Received ${received}`,
          expected: '4xx',
          actual: status,
        });
        continue;
      }
      if (status >= 400) {
        const pinned = pinnedStatus(context, result);
        if (pinned !== undefined && status !== pinned) {
          findings.push({
            step: step.name,
            message: `Expected ${pinned} for an invalid request (${how}) / Received ${received}`,
            expected: pinned,
            actual: status,
          });
        }
        continue;
      }
      if (status >= 200 && status < 300 && memosError) continue;
      findings.push({
        step: step.name,
        message:
          status >= 200 && status < 300
            ? `Expected a rejection of an invalid request (${how}) / Received HTTP ${status}${response.body === '' ? '' : ' with data'}`
            : `Expected a 4xx rejection of an invalid request (${how}) / Received ${received}`,
        expected: '4xx',
        actual: status,
      });
    }
    return checked(findings);
  },
};
