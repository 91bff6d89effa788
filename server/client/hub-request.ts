import { type TraceContext, traceparentOf } from '../../contracts/trace-context.ts';
import { type RetryPolicy, backoffDelay, retryAfterMs, sleep } from './backoff.ts';
import { withDeadline } from './deadline.ts';
import { HubClientError, problemError, unreachable, wasRefused } from './errors.ts';

/** Where the hub is and how to reach it. */
export interface HubConnection {
  url: string;
  token: string;
  fetch: typeof fetch;
  retry: RetryPolicy;
  /** The W3C trace span every request is sent in (`traceparent`), so the hub keeps it on the events it appends. */
  trace?: TraceContext;
}

export interface HubRequest {
  method: 'GET' | 'POST' | 'DELETE';
  path: string;
  body?: unknown;
  headers?: Record<string, string>;
  /**
   * Safe to send again when its effect is unknown (a 5xx, a cut connection): reads, and writes
   * the hub deduplicates (an idempotency key, a heartbeat, a resolve). Others are retried only
   * when the hub surely did not act: a 429, or a refused connection.
   */
  idempotent: boolean;
  /** Gives up on one try after this long (default 30 s). */
  timeoutMs?: number;
  signal?: AbortSignal;
  retry?: RetryPolicy;
}

/** Sends one request, retrying what may be retried with backoff and jitter (honouring `Retry-After`); never a plain 4xx. */
export async function sendToHub<T>(hub: HubConnection, request: HubRequest): Promise<T> {
  const policy = request.retry ?? hub.retry;
  for (let attempt = 1; ; attempt++) {
    let failure: HubClientError;
    let retryable: boolean;
    let waitMs: number | undefined;
    try {
      // The body is read within the deadline too: a hub may stall after its headers.
      const answer = await withDeadline(request.timeoutMs ?? 30_000, request.signal, async (deadline): Promise<{ ok: true; body: T } | { ok: false; res: Response; refusal: HubClientError }> => {
        const res = await hub.fetch(`${hub.url}${request.path}`, init(hub, request, deadline));
        return res.ok ? { ok: true, body: (await res.json()) as T } : { ok: false, res, refusal: await problemError(res, request.method, request.path) };
      });
      if (answer.ok) return answer.body;
      failure = answer.refusal;
      retryable = answer.res.status === 429 || (request.idempotent && answer.res.status >= 500);
      waitMs = retryAfterMs(answer.res.headers.get('retry-after'));
    } catch (error) {
      if (request.signal?.aborted) throw request.signal.reason;
      if (error instanceof HubClientError) throw error;
      failure = unreachable(hub.url, error);
      retryable = request.idempotent || wasRefused(error);
    }
    if (!retryable || attempt >= policy.attempts) throw failure;
    await sleep(waitMs ?? backoffDelay(attempt, policy), request.signal);
  }
}

function init(hub: HubConnection, request: HubRequest, signal: AbortSignal): RequestInit {
  const headers: Record<string, string> = { accept: 'application/json', authorization: `Bearer ${hub.token}`, ...request.headers };
  if (hub.trace !== undefined) headers.traceparent = traceparentOf(hub.trace);
  if (request.body !== undefined) headers['content-type'] = 'application/json';
  return {
    method: request.method,
    headers,
    ...(request.body !== undefined ? { body: JSON.stringify(request.body) } : {}),
    signal,
  };
}

/** The base URL without a trailing slash, checked once so a typo fails with a clear message. */
export function hubBaseUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new HubClientError(0, 'invalid_url', `not a URL: ${url}`, `the hub URL is not a URL: ${JSON.stringify(url)} (expected e.g. http://localhost:8787)`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new HubClientError(0, 'invalid_url', `not http(s): ${url}`, `the hub URL must start with http:// or https://, got ${JSON.stringify(url)}`);
  }
  return url.replace(/\/+$/, '');
}
