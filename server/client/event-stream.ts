import { type RetryPolicy, backoffDelay, sleep } from './backoff.ts';
import { HubClientError, problemError, unreachable } from './errors.ts';
import { hubBaseUrl } from './hub-request.ts';
import { SseFrameParser } from './sse-frames.ts';
import { type EventEnvelope, type EventPage, type EventSelection, type LogHead, selectionQuery } from './views.ts';

export interface SubscribeOptions extends EventSelection {
  url: string;
  token: string;
  /** Start after this `seq` (0: the whole log). Unset: live only, from the hub's head when it first answers. */
  after?: number;
  /** The log `after` belongs to; unset: the first stream's. A stream of another log ends the iterator with `log_changed`. */
  logId?: string;
  /** Called with the log each connection opens with, before its first event. */
  onLog?(log: LogHead): void;
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
 * asks the hub for its head and starts there, so a drop before the first event loses nothing. A
 * 4xx other than 429 ends it with a HubClientError (`cursor_past_head`: the log ends before the
 * cursor), and so does a stream of another log than the cursor's (409 `log_changed`, before any
 * of its events); `signal` ends it quietly, and so does breaking out of the loop.
 */
export async function* subscribe(options: SubscribeOptions): AsyncGenerator<EventEnvelope, void, undefined> {
  // Frames without `event:` lines: the type is in each envelope, and a long replay parses less.
  const url = `${hubBaseUrl(options.url)}/events${selectionQuery(options, { eventNames: 'off' })}`;
  const policy = { ...defaults, ...options.retry };
  const doFetch = options.fetch ?? fetch;
  let cursor = options.after;
  let logId = options.logId;
  let serverRetryMs: number | undefined;
  let failures = 0;
  while (!options.signal?.aborted) {
    const connection = new AbortController();
    const stop = () => connection.abort();
    options.signal?.addEventListener('abort', stop, { once: true });
    let idle: ReturnType<typeof setTimeout> | undefined;
    const watchIdle = () => {
      clearTimeout(idle);
      idle = setTimeout(stop, options.idleTimeoutMs ?? 45_000);
    };
    try {
      watchIdle();
      if (cursor === undefined) {
        const start = await headOf(options, doFetch, connection.signal);
        cursor = start.head;
        logId ??= start.logId;
      }
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
          if (frame.event === 'log') {
            const log = JSON.parse(frame.data) as LogHead;
            if (logId !== undefined && log.logId !== logId) throw logChanged(logId, log, cursor);
            logId = log.logId;
            options.onLog?.(log);
            continue;
          }
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

/** The hub's head and its log: the `seq` to stream after for "from now on". */
async function headOf(options: SubscribeOptions, doFetch: typeof fetch, signal: AbortSignal): Promise<LogHead> {
  const res = await doFetch(`${hubBaseUrl(options.url)}/events?limit=1`, { headers: { accept: 'application/json', authorization: `Bearer ${options.token}` }, signal });
  if (!res.ok) throw await problemError(res, 'GET', '/events');
  const page = (await res.json()) as EventPage;
  return { head: page.head, logId: page.logId };
}

function logChanged(expected: string, log: LogHead, cursor: number | undefined): HubClientError {
  const detail = `the hub now serves log ${log.logId} (head ${log.head}), not log ${expected} that cursor ${cursor ?? 'none'} belongs to`;
  return new HubClientError(409, 'log_changed', detail, `GET /events: ${detail}; start again from 0 to follow the new log`);
}
