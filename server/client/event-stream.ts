import { type RetryPolicy, backoffDelay, sleep } from './backoff.ts';
import { HubClientError, problemError, unreachable } from './errors.ts';
import { hubBaseUrl } from './hub-request.ts';
import { SseFrameParser } from './sse-frames.ts';
import { type EventEnvelope, type EventPage, type EventSelection, selectionQuery } from './views.ts';

export interface SubscribeOptions extends EventSelection {
  url: string;
  token: string;
  /** Start after this `seq` (0: the whole log). Unset: live only, from the hub's head when it first answers. */
  after?: number;
  signal?: AbortSignal;
  fetch?: typeof fetch;
  /** `attempts`: failed connections in a row before giving up (default: never give up). */
  retry?: Partial<RetryPolicy>;
  /** No byte (heartbeats included) for this long: the connection is taken for dead and replaced. */
  idleTimeoutMs?: number;
}

const defaults = { attempts: Number.POSITIVE_INFINITY, baseMs: 250, maxMs: 10_000 };

/**
 * The log as an async iterator of events (replay after `after`, then live). On a drop it
 * reconnects with backoff, no sooner than the server's `retry:`, and resumes with
 * `Last-Event-ID` set to the last event it yielded: no gap, no duplicate. Without `after` it first
 * asks the hub for its head and starts there, so a drop before the first event loses nothing. A 4xx other than 429
 * ends it with a HubClientError; so does `signal` (quietly) or breaking out of the loop.
 */
export async function* subscribe(options: SubscribeOptions): AsyncGenerator<EventEnvelope, void, undefined> {
  const url = `${hubBaseUrl(options.url)}/events${selectionQuery(options)}`;
  const policy = { ...defaults, ...options.retry };
  const doFetch = options.fetch ?? fetch;
  let cursor = options.after;
  let serverRetryMs: number | undefined;
  let failures = 0;
  while (!options.signal?.aborted) {
    const connection = new AbortController();
    const stop = () => connection.abort();
    options.signal?.addEventListener('abort', stop, { once: true });
    let idle: NodeJS.Timeout | undefined;
    const watchIdle = () => {
      clearTimeout(idle);
      idle = setTimeout(stop, options.idleTimeoutMs ?? 45_000);
    };
    try {
      watchIdle();
      cursor ??= await headOf(options, doFetch, connection.signal);
      const headers: Record<string, string> = { accept: 'text/event-stream', authorization: `Bearer ${options.token}` };
      headers['last-event-id'] = String(cursor);
      const res = await doFetch(url, { headers, signal: connection.signal });
      if (!res.ok || !res.body) throw await problemError(res, 'GET', '/events');
      failures = 0;
      const parser = new SseFrameParser();
      const decoder = new TextDecoder();
      const reader = res.body.getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        watchIdle();
        for (const frame of parser.push(decoder.decode(value, { stream: true }))) {
          const event = JSON.parse(frame.data) as EventEnvelope;
          if (event.seq <= cursor) continue;
          cursor = event.seq;
          yield event;
        }
        serverRetryMs = parser.retryMs ?? serverRetryMs;
      }
    } catch (error) {
      if (options.signal?.aborted) return;
      const failure = error instanceof HubClientError ? error : unreachable(options.url, error);
      if (!failure.transient || ++failures >= policy.attempts) throw failure;
    } finally {
      clearTimeout(idle);
      options.signal?.removeEventListener('abort', stop);
      connection.abort();
    }
    try {
      await sleep(Math.max(serverRetryMs ?? 0, backoffDelay(Math.max(1, failures), policy)), options.signal);
    } catch {
      return;
    }
  }
}

/** The hub's head: the `seq` to stream after for "from now on". */
async function headOf(options: SubscribeOptions, doFetch: typeof fetch, signal: AbortSignal): Promise<number> {
  const res = await doFetch(`${hubBaseUrl(options.url)}/events?limit=1`, { headers: { accept: 'application/json', authorization: `Bearer ${options.token}` }, signal });
  if (!res.ok) throw await problemError(res, 'GET', '/events');
  return ((await res.json()) as EventPage).head;
}
