import { isRecord } from '../json.js';
import { notApplicable } from './outcome.js';
import { MEM0_SEARCHES } from './protocol-support.js';
import { conclude, isSuccess, meantToSucceed, requestOf } from './results.js';
import type { Check, CheckOutcome, FindingDraft, SpecView } from './types.js';

/**
 * Official clients send `null` for unset optional keys and keys the published spec does not list: the MemOS
 * Python client sends every optional key, null when unset (M-CLI), plus `source`/`context_format` (M-CLI,
 * M-PLG); Mem0's live test sends `limit` (Z-TSIT); MemMachine's Pydantic models ignore unknown keys
 * (MM-SPEC). Such requests must be answered as successes. MemOS's tolerance of unknown keys is inferred from
 * its clients, not documented: a step that only adds unknown keys to MemOS is judged at warning level.
 */
export const nullsAndUnknownFieldsTolerated: Check = {
  id: 'nulls-and-unknown-fields-tolerated',
  title: 'Nulls and unknown fields tolerated',
  description:
    'Requests that send null for nullable optional fields or keys the spec does not define (as official clients do) are accepted: 2xx, and MemOS code 0.',
  severity: 'error',
  category: 'behaviour',
  sources: ['M-CLI', 'Z-TSIT', 'MM-SPEC'],
  operations: ['memos.searchMemory', 'memos.getMemory', ...MEM0_SEARCHES, 'memmachine.searchMemories'],
  run(context): CheckOutcome {
    const api = context.target.api;
    const qualifying = context.steps.flatMap((result) => {
      if (!meantToSucceed(context, result, this.operations)) return [];
      const sent = looseKeys(context.spec, result.step.operation, requestOf(result));
      return sent.nulls.length + sent.unknown.length > 0 ? [{ result, ...sent }] : [];
    });
    if (qualifying.length === 0) return notApplicable();
    const findings: FindingDraft[] = [];
    let judged = false;
    for (const { result, nulls, unknown } of qualifying) {
      const response = result.exchange.response;
      // No answer at all is a transport problem, reported by the protocol checks.
      if (response === undefined) continue;
      judged = true;
      if (isSuccess(api, result.exchange)) continue;
      const ok2xx = response.status >= 200 && response.status <= 299;
      const code = isRecord(response.json) ? response.json.code : undefined;
      const sent = [
        ...(nulls.length > 0 ? [`null for ${nulls.join(', ')}`] : []),
        ...(unknown.length > 0 ? [`unknown keys ${unknown.join(', ')}`] : []),
      ].join(' and ');
      findings.push({
        step: result.step.name,
        ...(ok2xx && api === 'memos' ? { pointer: '/code' } : {}),
        message: `Expected a success (2xx${api === 'memos' ? ', code 0' : ''}) for a request sending ${sent} / Received HTTP ${response.status}${code === undefined ? '' : ` code ${String(code)}`}`,
        expected: api === 'memos' ? '2xx, code 0' : '2xx',
        actual: ok2xx && code !== undefined ? code : response.status,
        ...(api === 'memos' && nulls.length === 0 ? { severity: 'warning' as const } : {}),
      });
    }
    return conclude(findings, judged, 'no step that sent nulls or unknown keys got an answer');
  },
};

/** The body's keys sent as null where the spec allows null, and keys the spec's request schema does not define. */
function looseKeys(
  spec: SpecView,
  operation: string,
  request: Readonly<Record<string, unknown>>,
): { nulls: string[]; unknown: string[] } {
  const nulls: string[] = [];
  const unknown: string[] = [];
  for (const [key, value] of Object.entries(request)) {
    const property = spec.requestProperty(operation, key);
    if (property === undefined) unknown.push(key);
    else if (value === null && admitsNull(property)) nulls.push(key);
  }
  return { nulls, unknown };
}

/** True when a (resolved) property schema accepts null. A null the spec forbids makes an invalid request. */
function admitsNull(schema: Readonly<Record<string, unknown>>): boolean {
  if (schema.nullable === true || schema.const === null) return true;
  if (Array.isArray(schema.enum)) return schema.enum.includes(null);
  const type = schema.type;
  if (type === 'null' || (Array.isArray(type) && type.includes('null'))) return true;
  const branches = [schema.anyOf, schema.oneOf].filter(Array.isArray).flat();
  if (branches.length > 0) return branches.some((branch) => isRecord(branch) && admitsNull(branch));
  return type === undefined && schema.$ref === undefined && schema.allOf === undefined;
}
