/** What went wrong talking to the hub: its problem+json answer, or no answer at all (`status` 0). */
export class HubClientError extends Error {
  /** The HTTP status; 0 when the hub did not answer. */
  readonly status: number;
  /** The problem's stable `code` (e.g. `unauthorized`), or `unreachable` when the hub did not answer. */
  readonly code: string;
  /** The problem's `detail`, or why the hub could not be reached. */
  readonly detail: string;
  readonly errors: Array<{ path: string; message: string }> | undefined;

  constructor(status: number, code: string, detail: string, message: string, errors?: Array<{ path: string; message: string }>) {
    super(message);
    this.name = 'HubClientError';
    this.status = status;
    this.code = code;
    this.detail = detail;
    this.errors = errors;
  }

  /** True for what a retry may cure: no answer, 429, or a 5xx. */
  get transient(): boolean {
    return this.status === 0 || this.status === 429 || this.status >= 500;
  }
}

const reasons: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host lookup failed',
  ETIMEDOUT: 'timed out',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  UND_ERR_CONNECT_TIMEOUT: 'connect timed out',
  UND_ERR_SOCKET: 'connection closed',
};

/** The error for a request the hub never answered, naming the hub's URL and why in plain words. */
export function unreachable(url: string, error: unknown): HubClientError {
  const reason = networkReason(error);
  return new HubClientError(0, 'unreachable', reason, `cannot reach the hub at ${url} (${reason})`);
}

/** True when the connection was refused, so the hub surely did not see the request. */
export function wasRefused(error: unknown): boolean {
  return errorCode(error) === 'ECONNREFUSED';
}

/** The error for a hub's non-2xx answer, read from its problem+json body when it has one. */
export async function problemError(res: Response, method: string, path: string): Promise<HubClientError> {
  const text = await res.text().catch(() => '');
  let problem: { code?: unknown; detail?: unknown; errors?: unknown } = {};
  try {
    problem = JSON.parse(text) as typeof problem;
  } catch {
    // Not problem+json (a proxy's page, say): keep the start of the text as the detail.
  }
  const code = typeof problem.code === 'string' ? problem.code : `http_${res.status}`;
  const detail = typeof problem.detail === 'string' ? problem.detail : text.replace(/\s+/g, ' ').trim().slice(0, 200) || res.statusText;
  const errors = Array.isArray(problem.errors) ? (problem.errors as Array<{ path: string; message: string }>) : undefined;
  const message =
    res.status === 401
      ? `the hub refused the token (401 ${code}): ${detail}`
      : `${method} ${path.split('?')[0]} failed (${res.status} ${code}): ${detail}`;
  return new HubClientError(res.status, code, detail, message, errors);
}

function networkReason(error: unknown): string {
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) return 'no answer in time';
  const code = errorCode(error);
  if (code !== undefined) return reasons[code] ?? code;
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
  return cause instanceof Error ? cause.message : String(cause);
}

function errorCode(error: unknown): string | undefined {
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 4; e = e.cause, depth++) {
    const { code, errors } = e as { code?: unknown; errors?: unknown[] };
    if (typeof code === 'string') return code;
    // A host with several addresses fails with an AggregateError of one error per address.
    const first = errors?.[0] as { code?: unknown } | undefined;
    if (typeof first?.code === 'string') return first.code;
  }
  return undefined;
}

/** The answer of a read, or undefined when the hub has no such thing (a 404); every other failure is thrown. */
export async function unlessMissing<T>(read: Promise<T>): Promise<T | undefined> {
  try {
    return await read;
  } catch (error) {
    if (error instanceof HubClientError && error.status === 404) return undefined;
    throw error;
  }
}
