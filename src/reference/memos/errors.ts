import type { FieldProblem } from '../body-reader.js';
import type { ApiDialect, Reply } from '../http/types.js';

/**
 * MemOS error bodies: `{code, message, data: null}` with a body-level code from the vendor's table (M-ERR).
 *
 * HTTP status policy (M-ERR, M-ISS1317 in docs/sources.md: the status that accompanies a non-zero code is unverified):
 * the reference answers a matching 4xx/5xx status (400 for 400xx, 401 for 401xx, 404, 413, 415, 500), with
 * the code in the body. Official clients call raise_for_status() before parsing (M-CLI), so a 4xx surfaces
 * as an error instead of a "successful" response whose data is missing; clients that only read `code` or
 * test `message == "ok"` still see the failure in the body.
 */

/** The MemOS error codes the reference answers (M-ERR). */
export const MEMOS_CODES = {
  invalidParameters: 40000,
  notFound: 40001,
  requiredFieldEmpty: 40002,
  unsupportedType: 40006,
  userIdTooLong: 40010,
  conversationIdTooLong: 40011,
  apiKeyRequired: 40100,
  apiKeyInvalid: 40132,
  internal: 50000,
} as const;

/** A MemOS error reply. */
export function memosError(status: number, code: number, message: string): Reply {
  return { status, body: { code, data: null, message } };
}

/** The reply for the first request-body problem (MemOS answers one code at a time). */
export function memosProblemReply(problem: FieldProblem): Reply {
  const { field } = problem;
  switch (problem.kind) {
    case 'required':
    case 'blank':
      return memosError(400, MEMOS_CODES.requiredFieldEmpty, `Required field is empty: ${field}`);
    case 'too-long':
      if (field === 'user_id')
        return memosError(400, MEMOS_CODES.userIdTooLong, 'user_id exceeds 100 characters');
      if (field === 'conversation_id') {
        return memosError(400, MEMOS_CODES.conversationIdTooLong, 'conversation_id exceeds 100 characters');
      }
      return invalid(`${field} is too long`);
    case 'type':
      return invalid(
        field === 'body'
          ? 'the request body must be a JSON object'
          : `${field} must be ${article(problem.expected)}`,
      );
    case 'range':
      return invalid(`${field} must be between ${problem.min ?? '-∞'} and ${problem.max ?? '∞'}`);
    case 'invalid':
      return invalid(problem.detail ?? `${field} is invalid`);
    case 'null':
      return invalid(`${field} may not be null`);
    case 'unknown':
      return invalid(`unknown field ${field}`);
    default:
      return invalid(`${field} is invalid`);
  }
}

function invalid(detail: string): Reply {
  return memosError(400, MEMOS_CODES.invalidParameters, `Invalid request parameters: ${detail}`);
}

function article(expected: string | undefined): string {
  if (expected === undefined) return 'valid';
  return /^[aeiou]/.test(expected) ? `an ${expected}` : `a ${expected}`;
}

/** How the HTTP layer words MemOS errors. */
export const memosDialect: ApiDialect = {
  notFound: (path) => memosError(404, MEMOS_CODES.notFound, `Not found: ${path}`),
  methodNotAllowed: (method, allowed) => ({
    ...memosError(405, MEMOS_CODES.invalidParameters, `Method ${method} not allowed`),
    headers: { Allow: allowed.join(', ') },
  }),
  unauthorized: (reason) =>
    reason === 'missing'
      ? memosError(
          401,
          MEMOS_CODES.apiKeyRequired,
          'API key is required: send Authorization: Token <api-key>',
        )
      : memosError(401, MEMOS_CODES.apiKeyInvalid, 'API key is invalid or expired'),
  unsupportedMediaType: (contentType) =>
    memosError(
      415,
      MEMOS_CODES.unsupportedType,
      `Unsupported content type "${contentType}": send application/json`,
    ),
  payloadTooLarge: (limit) =>
    memosError(
      413,
      MEMOS_CODES.invalidParameters,
      `Invalid request parameters: body larger than ${limit} bytes`,
    ),
  malformedJson: () =>
    memosError(400, MEMOS_CODES.invalidParameters, 'Invalid request parameters: body is not valid JSON'),
  internalError: () => memosError(500, MEMOS_CODES.internal, 'Internal server error'),
};
