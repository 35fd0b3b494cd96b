import type { FieldProblem } from '../body-reader.js';
import type { ApiDialect, Reply } from '../http/types.js';

/**
 * MemMachine error bodies, one form per deployment (MM-PLAT, MM-APP, MM-EXC in docs/sources.md):
 * - self-hosted (OSS server): `{"detail": {code, message, exception, internal_error, trace}}` for 422 and 404,
 *   exactly as MM-APP/MM-EXC wrap them (not FastAPI's `{detail: [...]}` list that MM-OSS advertises);
 * - hosted Platform: `{code, message}`, its documented `default` error (MM-PLAT).
 * The HTTP status always equals `code`: 422 for invalid input (the OSS status, which the Platform is not
 * documented to differ from), 404 for an unknown project, 401 for a missing or bad bearer key (hosted).
 */

/** Which server a request reached. */
export type Deployment = 'hosted' | 'self-hosted';

/** A MemMachine error in the deployment's form. */
export function memMachineError(
  deployment: Deployment,
  status: number,
  message: string,
  exception: string,
  internalError = message,
): Reply {
  if (deployment === 'hosted') return { status, body: { code: status, message } };
  return {
    status,
    body: { detail: { code: status, message, exception, internal_error: internalError, trace: '' } },
  };
}

/** MM-RT: 404 {"detail": {"code": 404, "message": "Project does not exist", ...}} for an unknown project. */
export function projectNotFound(
  deployment: Deployment,
  scope: { readonly orgId: string | undefined; readonly projectId: string },
): Reply {
  const name = `${scope.orgId === undefined ? '' : `${scope.orgId}/`}${scope.projectId || '(default)'}`;
  return memMachineError(
    deployment,
    404,
    'Project does not exist',
    'ResourceNotFoundError',
    `project ${name} does not exist`,
  );
}

/** Pydantic v2's wording for each problem (what the OSS server wraps into its message). */
function pydanticMessage(problem: FieldProblem): string {
  switch (problem.kind) {
    case 'required':
      return 'Field required';
    case 'type':
      if (problem.field === 'body')
        return 'Input should be a valid dictionary or object to extract fields from';
      return (
        {
          string: 'Input should be a valid string',
          integer: 'Input should be a valid integer',
          number: 'Input should be a valid number',
          boolean: 'Input should be a valid boolean',
          object: 'Input should be a valid dictionary',
          array: 'Input should be a valid list',
        }[problem.expected ?? ''] ?? 'Input should be a valid list of strings'
      );
    case 'choice':
      return "Input should be 'episodic' or 'semantic'";
    case 'pattern':
      return "String should match pattern '^[\\p{L}\\p{N}_:-]*$'";
    case 'too-long':
      return `String should have at most ${problem.max} characters`;
    case 'too-short':
      return `String should have at least ${problem.min} character${problem.min === 1 ? '' : 's'}`;
    case 'null':
      return 'Input should not be None';
    case 'unknown':
      return 'Extra inputs are not permitted';
    default:
      return problem.detail ?? 'Invalid value';
  }
}

/** 422 for invalid request fields: "Invalid request payload: query: Field required" (MM-APP). */
export function memMachineValidationReply(deployment: Deployment, problems: readonly FieldProblem[]): Reply {
  const parts = problems.map((problem) => `${problem.field}: ${pydanticMessage(problem)}`);
  return memMachineError(
    deployment,
    422,
    `Invalid request payload: ${parts.join('; ')}`,
    'RequestValidationError',
  );
}

/** Builds the HTTP-layer dialect of one deployment. */
function dialect(deployment: Deployment): ApiDialect {
  const hosted = deployment === 'hosted';
  return {
    // Routing errors come from Starlette itself on the OSS server: its plain `{detail: "..."}` bodies.
    notFound: () =>
      hosted
        ? memMachineError('hosted', 404, 'Not Found', '')
        : { status: 404, body: { detail: 'Not Found' } },
    methodNotAllowed: (_method, allowed) => ({
      ...(hosted
        ? memMachineError('hosted', 405, 'Method Not Allowed', '')
        : { status: 405, body: { detail: 'Method Not Allowed' } }),
      headers: { Allow: allowed.join(', ') },
    }),
    unauthorized: (reason) => ({
      ...memMachineError(
        deployment,
        401,
        reason === 'missing' ? 'Missing bearer token' : 'Invalid API key',
        'AuthenticationError',
      ),
      headers: { 'WWW-Authenticate': 'Bearer' },
    }),
    // Self-hosted (FastAPI): a body not declared JSON reaches validation as raw bytes and fails it, 422
    // (MM-APP in docs/sources.md). The Platform's answer is unverified; it keeps a plain 415.
    unsupportedMediaType: (contentType) =>
      hosted
        ? memMachineError(
            deployment,
            415,
            `Unsupported content type "${contentType}": send application/json`,
            'UnsupportedMediaType',
          )
        : memMachineValidationReply(deployment, [{ field: 'body', kind: 'type', expected: 'object' }]),
    payloadTooLarge: (limit) =>
      memMachineError(deployment, 413, `Request body larger than ${limit} bytes`, 'PayloadTooLarge'),
    malformedJson: (detail) =>
      memMachineError(
        deployment,
        422,
        'Invalid request payload: body: JSON decode error',
        'RequestValidationError',
        detail,
      ),
    internalError: () => memMachineError(deployment, 500, 'Internal server error', 'InternalServerError'),
  };
}

/** The hosted Platform's error wording. */
export const hostedDialect: ApiDialect = dialect('hosted');
/** The self-hosted server's error wording. */
export const selfHostedDialect: ApiDialect = dialect('self-hosted');
