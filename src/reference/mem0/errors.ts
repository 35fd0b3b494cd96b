import type { FieldProblem } from '../body-reader.js';
import type { ApiDialect, Reply } from '../http/types.js';

/**
 * Mem0 error bodies. The platform is Django REST Framework (Z-ISS3955 in docs/sources.md), so the reference
 * answers DRF's forms: `{"detail": "..."}` for 401/404/405/415/413/500 and `{"<field>": ["<message>"]}` for
 * field validation (400, unverified beyond "any JSON object": Z-OAS, Z-ISS3955). The missing-entity 400 uses the one
 * documented body, `{"message": ...}` (Z-OAS).
 */

/** The documented 400 body when no entity id is given (Z-OAS 400 example). */
export const MISSING_ENTITY_MESSAGE =
  'At least one of the filters: agent_id, user_id, app_id, run_id is required!';

/** The documented 401 body (Z-OAS, GET /v1/ping/). */
export const INVALID_KEY_DETAIL =
  'Invalid API key. You can find your API key on https://app.mem0.ai/dashboard/api-keys.';

/** DRF's names for JSON types, used in its "got type" messages. */
const PYTHON_TYPES: Record<string, string> = {
  string: 'str',
  number: 'int',
  boolean: 'bool',
  array: 'list',
  object: 'dict',
};

/** The DRF message for one field problem. */
function drfMessage(problem: FieldProblem): string {
  const got = PYTHON_TYPES[problem.received ?? ''] ?? 'str';
  switch (problem.kind) {
    case 'required':
      return 'This field is required.';
    case 'blank':
      return 'This field may not be blank.';
    case 'null':
      return 'This field may not be null.';
    case 'range':
      return problem.min !== undefined
        ? `Ensure this value is greater than or equal to ${problem.min}.`
        : `Ensure this value is less than or equal to ${problem.max}.`;
    case 'invalid':
      return problem.detail ?? 'Invalid value.';
    case 'unknown':
      return 'Unexpected field.';
    case 'type':
      switch (problem.expected) {
        case 'string':
          return 'Not a valid string.';
        case 'integer':
          return 'A valid integer is required.';
        case 'boolean':
          return 'Must be a valid boolean.';
        case 'object':
          return `Expected a dictionary of items but got type "${got}".`;
        case 'array':
          return `Expected a list of items but got type "${got}".`;
        default:
          return 'Not a valid string.';
      }
    default:
      return 'Invalid value.';
  }
}

/** A DRF validation error: every problem listed under its field. */
export function mem0ValidationReply(problems: readonly FieldProblem[]): Reply {
  const body: Record<string, string[]> = {};
  for (const problem of problems) {
    if (problem.field === 'body') {
      // DRF's answer to a JSON body that is not an object.
      const got = PYTHON_TYPES[problem.received ?? ''] ?? 'str';
      body.non_field_errors = [`Invalid data. Expected a dictionary, but got ${got}.`];
      continue;
    }
    const messages = body[problem.field] ?? [];
    messages.push(drfMessage(problem));
    body[problem.field] = messages;
  }
  return { status: 400, body };
}

function detail(status: number, text: string, headers?: Record<string, string>): Reply {
  return { status, body: { detail: text }, ...(headers === undefined ? {} : { headers }) };
}

/** DRF's 404 body, also answered for the slash-less search path (Django does not route it to the view). */
export const mem0NotFound = (): Reply => detail(404, 'Not found.');

/** How the HTTP layer words Mem0 errors (DRF defaults). */
export const mem0Dialect: ApiDialect = {
  notFound: mem0NotFound,
  methodNotAllowed: (method, allowed) =>
    detail(405, `Method "${method}" not allowed.`, { Allow: allowed.join(', ') }),
  unauthorized: (reason, faults) => {
    // TokenAuthentication answers 401 with a WWW-Authenticate challenge (Z-OAS, Z-EXC), never 403.
    if (reason === 'missing')
      return detail(401, 'Authentication credentials were not provided.', { 'WWW-Authenticate': 'Token' });
    if (faults.on('auth-403')) return detail(403, 'You do not have permission to perform this action.');
    return detail(401, INVALID_KEY_DETAIL, { 'WWW-Authenticate': 'Token' });
  },
  unsupportedMediaType: (contentType) => detail(415, `Unsupported media type "${contentType}" in request.`),
  payloadTooLarge: () => detail(413, 'Request body too large.'),
  malformedJson: (message) => detail(400, `JSON parse error - ${message}`),
  internalError: () => detail(500, 'A server error occurred.'),
};
