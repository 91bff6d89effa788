/** The closed set of problem codes a client can branch on. */
export const ProblemCode = {
  unauthorized: 'unauthorized',
  tokenRevoked: 'token_revoked',
  tokenExpired: 'token_expired',
  forbidden: 'forbidden',
  rateLimited: 'rate_limited',
  tooManyStreams: 'too_many_streams',
  invalidJson: 'invalid_json',
  unsupportedMediaType: 'unsupported_media_type',
  payloadTooLarge: 'payload_too_large',
  validationFailed: 'validation_failed',
  unknownEventType: 'unknown_event_type',
  invalidCursor: 'invalid_cursor',
  cursorPastHead: 'cursor_past_head',
  unprocessable: 'unprocessable',
  idempotencyConflict: 'idempotency_conflict',
  conflict: 'conflict',
  budgetExceeded: 'budget_exceeded',
  agentPaused: 'agent_paused',
  notFound: 'not_found',
  methodNotAllowed: 'method_not_allowed',
  notAcceptable: 'not_acceptable',
  unavailable: 'unavailable',
  internal: 'internal',
} as const;
export type ProblemCode = (typeof ProblemCode)[keyof typeof ProblemCode];

export interface ProblemDetail {
  path: string;
  message: string;
}

/**
 * Each code's HTTP status and title: the one place a refusal becomes a status, so the rules
 * that refuse say what went wrong in the domain's words and never pick a status themselves.
 */
const problems: Record<ProblemCode, { status: number; title: string }> = {
  unauthorized: { status: 401, title: 'Missing or unknown token' },
  token_revoked: { status: 401, title: 'Revoked token' },
  token_expired: { status: 401, title: 'Expired token' },
  forbidden: { status: 403, title: 'Not allowed for this token' },
  rate_limited: { status: 429, title: 'Too many requests' },
  too_many_streams: { status: 429, title: 'Too many open streams' },
  invalid_json: { status: 400, title: 'The body is not valid JSON' },
  unsupported_media_type: { status: 415, title: 'Unsupported content type' },
  payload_too_large: { status: 413, title: 'The body is too large' },
  validation_failed: { status: 400, title: 'The request does not match its schema' },
  unknown_event_type: { status: 400, title: 'Unknown event type' },
  invalid_cursor: { status: 400, title: 'Invalid stream position' },
  cursor_past_head: { status: 409, title: 'The cursor lies past the end of this log' },
  unprocessable: { status: 422, title: 'The request is well-formed but names what this hub does not hold' },
  idempotency_conflict: { status: 409, title: 'Idempotency key reused with another payload' },
  conflict: { status: 409, title: 'The request conflicts with the current state' },
  budget_exceeded: { status: 402, title: 'Budget exceeded' },
  agent_paused: { status: 409, title: 'The agent is paused' },
  not_found: { status: 404, title: 'Not found' },
  method_not_allowed: { status: 405, title: 'Method not allowed' },
  not_acceptable: { status: 406, title: 'Not acceptable' },
  unavailable: { status: 503, title: 'Service unavailable' },
  internal: { status: 500, title: 'Internal error' },
};

/**
 * The one error type of the hub: a refusal by its code; `app.onError` turns it into
 * application/problem+json. `headers` go out with it: those its status needs to be acted on
 * (`Allow`, `Retry-After`, `WWW-Authenticate`).
 */
export class HubError extends Error {
  readonly status: number;
  readonly code: ProblemCode;
  readonly errors: ProblemDetail[] | undefined;
  readonly headers: Readonly<Record<string, string>>;

  constructor(code: ProblemCode, message: string, errors?: ProblemDetail[], headers: Record<string, string> = {}) {
    super(message);
    this.name = 'HubError';
    this.status = problems[code].status;
    this.code = code;
    this.errors = errors;
    this.headers = headers;
  }
}

/** Which request a problem happened to: its path (without the query, which may hold a token) and its `X-Request-Id`. */
export interface Occurrence {
  instance: string;
  requestId: string | undefined;
}

/** The most problems one response lists; the rest are only counted. */
export const maxListedProblems = 20;

/** The RFC 9457 body for an error, listing at most `maxListedProblems` problems. */
export function problemBody(error: HubError, occurrence: Occurrence): Record<string, unknown> {
  const unlisted = (error.errors?.length ?? 0) - maxListedProblems;
  return {
    type: `urn:mission-control:problem:${error.code}`,
    title: problems[error.code].title,
    status: error.status,
    detail: error.message,
    instance: occurrence.instance,
    ...(occurrence.requestId ? { requestId: occurrence.requestId } : {}),
    code: error.code,
    ...(error.errors ? { errors: error.errors.slice(0, maxListedProblems) } : {}),
    ...(unlisted > 0 ? { unlistedErrors: unlisted } : {}),
  };
}

/**
 * What the error log keeps of an unexpected error: its kind, its code and where it was thrown.
 * Never its message or other fields, which may quote the request (a database error quotes the
 * value it refused). The hub's logger serializes every `err` with it (see buildHubCore), so no
 * call site has to remember.
 */
export function loggableError(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return { type: typeof error };
  const code = (error as { code?: unknown }).code;
  const frames = (error.stack ?? '').split('\n').filter((line) => line.startsWith('    at '));
  return { type: error.name, ...(typeof code === 'string' ? { code } : {}), stack: frames.join('\n') };
}

/** The one 400 for input that breaks its schema: the first problem in the message, every one listed. */
export function invalidInput(problems: ProblemDetail[]): HubError {
  const more = problems.length > 1 ? ` (and ${problems.length - 1} more problem${problems.length > 2 ? 's' : ''})` : '';
  return new HubError('validation_failed', `${problems[0]!.path || 'the body'} ${problems[0]!.message}${more}`, problems);
}
