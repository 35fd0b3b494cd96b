import { isRecord } from '../json.js';
import { FilterParseError, parseFilter } from '../spec/memmachine-filter.js';
import { checked, notApplicable } from './outcome.js';
import {
  ALL_OPERATIONS,
  type AnsweredStep,
  answeredSteps,
  describeAnswer,
  isAuthenticated,
  isMemosErrorBody,
} from './protocol-support.js';
import type { CaseContext, Check, FindingDraft, Severity } from './types.js';

const MEM0_ENTITY_IDS = ['user_id', 'agent_id', 'app_id', 'run_id'] as const;

/** What the vendors document about one rejection: the exact status, if one is pinned, and what a miss weighs. */
interface RejectionEvidence {
  readonly status?: number;
  readonly severity: Severity;
}

/** `application/json` or a `+json` type, parameters ignored. */
function declaresJson(contentType: string | undefined): boolean {
  const type = (contentType ?? 'application/json').split(';')[0]?.trim().toLowerCase() ?? '';
  return type === 'application/json' || /^application\/[\w.!#$&^-]+\+json$/.test(type);
}

/**
 * The evidence behind one rejection case (source ids in docs/sources.md). Where no source says the request is
 * refused, a miss is a warning; where one pins the status, another 4xx is a finding too.
 * - A body declared as something other than JSON: Mem0 415 (DRF's parsers, after authentication; Z-OAS,
 *   Z-ISS3955) and self-hosted MemMachine 422 (FastAPI hands the raw bytes to validation; MM-APP) are read in
 *   their code; MemOS and the hosted Platform are unverified.
 * - MemMachine self-hosted: 422 for body validation and filter errors (MM-APP, MM-RT). The hosted Platform
 *   documents only `default` (MM-PLAT) and describes `filter` as a plain string: a filter its parser would
 *   refuse is refused by the self-hosted server's code (MM-FLT), not by anything the Platform documents.
 * - Mem0, no entity id: 400 (Z-OAS 400 example); other Mem0 field errors: any 4xx (Z-OAS, Z-ISS3955).
 * - MemOS get/memory `size` over 50: the client refuses it before sending (M-CLI); the server's answer is
 *   unverified. MemOS statuses beside a non-zero body code are unverified (M-ERR, M-ISS1317).
 * A malformed body breaks every vendor's documented JSON request body: any 4xx, an error.
 */
function evidenceFor(context: CaseContext, result: AnsweredStep): RejectionEvidence {
  const { api, flavour } = context.target;
  const { request } = result.exchange;
  const body = request.json;
  if (!declaresJson(request.headers['content-type'])) {
    if (api === 'mem0') return { status: 415, severity: 'error' };
    if (api === 'memmachine' && flavour === 'self-hosted') return { status: 422, severity: 'error' };
    return { severity: 'warning' };
  }
  if (!isRecord(body)) return { severity: 'error' };
  if (api === 'memmachine') {
    if (flavour === 'self-hosted') return { status: 422, severity: 'error' };
    return { severity: typeof body.filter === 'string' && !filterParses(body.filter) ? 'warning' : 'error' };
  }
  if (api === 'mem0' && result.step.operation === 'searchMemories') {
    const hasQuery = typeof body.query === 'string' && body.query !== '';
    const noEntity = MEM0_ENTITY_IDS.every((key) => typeof body[key] !== 'string');
    if (hasQuery && noEntity) return { status: 400, severity: 'error' };
  }
  if (
    api === 'memos' &&
    result.step.operation === 'getMemory' &&
    typeof body.size === 'number' &&
    body.size > 50
  )
    return { severity: 'warning' };
  return { severity: 'error' };
}

function filterParses(filter: string): boolean {
  try {
    parseFilter(filter);
    return true;
  } catch (error) {
    if (error instanceof FilterParseError) return false;
    throw error;
  }
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
  sources: ['M-API', 'M-ERR', 'Z-OAS', 'MM-PLAT', 'MM-SPEC', 'MM-APP', 'MM-FLT'],
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
      const evidence = evidenceFor(context, result);
      const { severity } = evidence;
      if (status >= 500) {
        findings.push({
          step: step.name,
          severity,
          message: `Expected a 4xx rejection of an invalid request (${how}) / Received ${received}`,
          expected: '4xx',
          actual: status,
        });
        continue;
      }
      if (status >= 400) {
        const pinned = evidence.status;
        if (pinned !== undefined && status !== pinned) {
          findings.push({
            step: step.name,
            severity,
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
        severity,
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
