/**
 * Small pure helpers shared by the protocol and schema checks: reading the vendor error conventions out of
 * a response and quoting target text safely. No I/O; nothing here decides a finding on its own.
 */

import type { ExchangeResponse } from '../http/exchange.js';
import { isRecord } from '../json.js';
import type { OperationRef } from '../suite/types.js';
import type { CaseContext, StepResult } from './types.js';

/**
 * The three Mem0 search endpoints: v1 (entity ids at the top, mem0ai 2.x), v2 (ids in `filters`, deprecated)
 * and v3 (ids in `filters`, mem0ai 3.x). Their answers share one item shape, so behaviour checks cover all three.
 */
export const MEM0_SEARCHES: readonly OperationRef[] = [
  'mem0.searchMemories',
  'mem0.searchMemoriesV2',
  'mem0.searchMemoriesV3',
];

/** Every operation of the three specs, as `<api>.<operationId>` (the names suites and checks use). */
export const ALL_OPERATIONS: readonly OperationRef[] = [
  'memos.searchMemory',
  'memos.getMemory',
  ...MEM0_SEARCHES,
  'mem0.ping',
  'memmachine.searchMemories',
  'memmachine.healthCheck',
];

/** How many characters of target-supplied text a message quotes. */
export const QUOTE_LIMIT = 200;

/** Target text as data for a message: whitespace collapsed, cut at `limit` characters. */
export function quote(text: string, limit = QUOTE_LIMIT): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > limit ? `${flat.slice(0, limit)}…` : flat;
}

/** A step together with its response, for steps that got one. */
export interface AnsweredStep extends StepResult {
  readonly response: NonNullable<StepResult['exchange']['response']>;
}

/** The steps of a case that got an HTTP response (transport failures are `request-completes`' business). */
export function answeredSteps(context: CaseContext): AnsweredStep[] {
  const out: AnsweredStep[] = [];
  for (const result of context.steps) {
    const response = result.exchange.response;
    if (response) out.push({ ...result, response });
  }
  return out;
}

/**
 * The MemOS body-level `code` when the body carries an integer one. MemOS reports errors in the body
 * (`code` 0 = success) and the HTTP status sent with a non-zero code is unverified (M-ERR, M-ISS1317 in docs/sources.md).
 */
export function memosCode(context: Pick<CaseContext, 'target'>, body: unknown): number | undefined {
  if (context.target.api !== 'memos' || !isRecord(body)) return undefined;
  const code = body.code;
  return typeof code === 'number' && Number.isInteger(code) ? code : undefined;
}

/** MemOS body codes for a missing (40100, 40130) or invalid/expired (40132) API key (M-ERR). */
export const MEMOS_AUTH_CODES: readonly number[] = [40100, 40130, 40132];

/** True when an answer refuses the credentials: 401/403, or (MemOS, whatever the status) an auth code. */
export function refusesCredentials(
  context: Pick<CaseContext, 'target'>,
  response: ExchangeResponse,
): boolean {
  if (response.status === 401 || response.status === 403) return true;
  const code = memosCode(context, response.json);
  return code !== undefined && MEMOS_AUTH_CODES.includes(code);
}

/** True when a MemOS answer reports an error in its body (integer `code` other than 0). */
export function isMemosErrorBody(context: CaseContext, body: unknown): boolean {
  const code = memosCode(context, body);
  return code !== undefined && code !== 0;
}

/**
 * The start of the error message a response carries, for "Received …": MemOS/Mem0 `message`, DRF and
 * FastAPI `detail` (string or `{message}`), the MemMachine Platform `{code, message}`, a DRF field-error
 * object, or else the raw body text. Cut at QUOTE_LIMIT.
 */
export function errorMessageOf(response: AnsweredStep['response']): string {
  const body = response.json;
  if (isRecord(body)) {
    const direct = stringAt(body, 'message') ?? stringAt(body, 'error') ?? stringAt(body, 'detail');
    if (direct !== undefined) return quote(direct);
    for (const key of ['detail', 'error']) {
      const nested = body[key];
      if (isRecord(nested)) {
        const message = stringAt(nested, 'message');
        if (message !== undefined) return quote(message);
      }
    }
    return quote(JSON.stringify(body));
  }
  if (body !== undefined) return quote(JSON.stringify(body));
  return response.body === '' ? '(empty body)' : quote(response.body);
}

/** "HTTP 400 (code 40000): Invalid request parameters" — how a rejection is described in messages. */
export function describeAnswer(context: CaseContext, response: AnsweredStep['response']): string {
  const code = memosCode(context, response.json);
  const codePart = code === undefined ? '' : ` with code ${code}`;
  return `HTTP ${response.status}${codePart}: ${errorMessageOf(response)}`;
}

/**
 * Whether a step counts as authenticated. Against a target without auth (MemMachine self-hosted,
 * `x-memconform-auth: none`) the credential is ignored, so every step is.
 */
export function isAuthenticated(context: CaseContext, result: StepResult): boolean {
  return result.step.auth === 'valid' || !context.target.authRequired;
}

function stringAt(object: Record<string, unknown>, key: string): string | undefined {
  const value = object[key];
  return typeof value === 'string' ? value : undefined;
}
