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
 * The one error type of the hub; `app.onError` turns it into application/problem+json. `headers`
 * go out with it: those a status needs to be acted on (`Allow`, `Retry-After`, `WWW-Authenticate`).
 */
export class HubError extends Error {
  readonly status: number;
  readonly code: ProblemCode;
  readonly errors: ProblemDetail[] | undefined;
  readonly headers: Readonly<Record<string, string>>;

  constructor(status: number, code: ProblemCode, message: string, errors?: ProblemDetail[], headers: Record<string, string> = {}) {
    super(message);
    this.name = 'HubError';
    this.status = status;
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

const titles: Record<ProblemCode, string> = {
  unauthorized: 'Missing or unknown token',
  token_revoked: 'Revoked token',
  token_expired: 'Expired token',
  forbidden: 'Not allowed for this token',
  rate_limited: 'Too many requests',
  too_many_streams: 'Too many open streams',
  invalid_json: 'The body is not valid JSON',
  unsupported_media_type: 'Unsupported content type',
  payload_too_large: 'The body is too large',
  validation_failed: 'The request does not match its schema',
  unknown_event_type: 'Unknown event type',
  invalid_cursor: 'Invalid stream position',
  cursor_past_head: 'The cursor lies past the end of this log',
  idempotency_conflict: 'Idempotency key reused with another payload',
  conflict: 'The request conflicts with the current state',
  budget_exceeded: 'Budget exceeded',
  agent_paused: 'The agent is paused',
  not_found: 'Not found',
  method_not_allowed: 'Method not allowed',
  not_acceptable: 'Not acceptable',
  unavailable: 'Service unavailable',
  internal: 'Internal error',
};

/** The most problems one response lists; the rest are only counted. */
export const maxListedProblems = 20;

/** The RFC 9457 body for an error, listing at most `maxListedProblems` problems. */
export function problemBody(error: HubError, occurrence: Occurrence): Record<string, unknown> {
  const unlisted = (error.errors?.length ?? 0) - maxListedProblems;
  return {
    type: `urn:mission-control:problem:${error.code}`,
    title: titles[error.code],
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
