import { RESPONSE_ALREADY_SENT } from '@hono/node-server/utils/response';
import { type Context, Hono } from 'hono';
import type { Kysely } from 'kysely';
import { allow, principalOf } from '../auth/middleware.ts';
import type { TokenVerifier } from '../auth/verifier.ts';
import type { Database } from '../db/schema.ts';
import { HubError } from '../errors.ts';
import type { HubEnv } from '../http/env.ts';
import type { EventFrame } from '../log/event.ts';
import { type EventFilter, parseTypes } from '../log/filter.ts';
import { readAfter } from '../log/read-after.ts';
import type { EventFanout } from './fanout.ts';
import type { HeldRequests } from './held-requests.ts';
import { type SseOptions, SseSubscriber } from './sse-subscriber.ts';

export interface StreamRouteDeps {
  db: Kysely<Database>;
  fanout: EventFanout;
  /** Ends a stream once its token is revoked or expires. */
  verifier: TokenVerifier;
  held: HeldRequests;
  sse: SseOptions;
  onStreamError(error: unknown): void;
}

const cursorPattern = /^\d{1,15}$/;
const filterPattern = /^[A-Za-z0-9_.:@/*-]{1,128}$/;

/** `GET /events`: the log as Server-Sent Events (replay, then live) or as JSON pages. */
export function streamRoutes(deps: StreamRouteDeps): Hono<HubEnv> {
  const app = new Hono<HubEnv>();
  app.get('/', allow('GET /events'), async (c) => {
    const filter = parseFilter(c);
    const accept = c.req.header('accept') ?? '*/*';
    if (accept.includes('text/event-stream')) {
      const after = parseCursor(c) ?? deps.fanout.head;
      const { tokenId } = principalOf(c);
      const release = deps.held.hold(tokenId);
      const res = c.env.outgoing;
      const named = c.req.query('eventNames') !== 'off';
      const subscriber = new SseSubscriber(res, after, filter, deps.sse, named);
      const unwatch = deps.verifier.watch(tokenId, () => subscriber.close());
      res.once('close', () => {
        unwatch();
        release();
      });
      subscriber.run(deps.db, deps.fanout).catch(deps.onStreamError);
      return RESPONSE_ALREADY_SENT;
    }
    if (!/application\/json|\*\/\*|application\/\*/.test(accept)) {
      throw new HubError(406, 'not_acceptable', 'ask for "Accept: text/event-stream" (a live stream) or "Accept: application/json" (pages)');
    }
    const after = parseCursor(c) ?? 0;
    const limit = parseLimit(c.req.query('limit'));
    const { frames } = await readAfter(deps.db, after, { limit, maxBytes: deps.sse.pageBytes }, filter);
    const next = frames.at(-1)?.seq ?? after;
    // The head lets a client that wants only what comes next start from a cursor, so a reconnect before its first event misses nothing.
    const head = Math.max(deps.fanout.head, next);
    return c.body(pageBody(frames, next, head), 200, { 'content-type': 'application/json; charset=utf-8' });
  });
  return app;
}

/** A JSON page written event by event as the client takes it, rather than joined into one string first. */
function pageBody(frames: readonly EventFrame[], next: number, head: number): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let i = 0;
  return new ReadableStream({
    pull(controller) {
      if (i < frames.length) {
        controller.enqueue(encoder.encode(`${i === 0 ? '{"events":[' : ','}${frames[i]!.wire}`));
        i += 1;
        return;
      }
      controller.enqueue(encoder.encode(`${frames.length === 0 ? '{"events":[' : ''}],"next":${next},"head":${head}}`));
      controller.close();
    },
  });
}

/** The position to read after: the `Last-Event-ID` header (a reconnecting EventSource) wins over the query. */
function parseCursor(c: Context): number | undefined {
  const sources: Array<[string, string | undefined]> = [
    ['Last-Event-ID header', c.req.header('last-event-id')],
    ['after', c.req.query('after')],
    ['lastEventID', c.req.query('lastEventID')],
  ];
  const found = sources.find(([, value]) => value !== undefined && value !== '');
  if (!found) return undefined;
  const [name, value] = found as [string, string];
  if (!cursorPattern.test(value)) {
    throw new HubError(400, 'invalid_cursor', `${name} must be an event seq (a non-negative integer), got ${JSON.stringify(value.slice(0, 40))}`);
  }
  return Number(value);
}

function parseLimit(value: string | undefined): number {
  if (value === undefined || value === '') return 100;
  const limit = Number(value);
  if (!Number.isInteger(limit) || limit < 1 || limit > 1000) {
    throw new HubError(400, 'validation_failed', `limit must be an integer from 1 to 1000, got ${JSON.stringify(value.slice(0, 40))}`);
  }
  return limit;
}

function parseFilter(c: Context): EventFilter {
  const types = c.req.query('types');
  const agentId = c.req.query('agent');
  const taskId = c.req.query('task');
  const checks: Array<[string, string | undefined]> = [
    ['agent', agentId],
    ['task', taskId],
    ...(types ?? '').split(',').filter((t) => t !== '').map((t): [string, string] => ['types', t]),
  ];
  for (const [name, value] of checks) {
    if (value !== undefined && !filterPattern.test(value)) {
      throw new HubError(400, 'validation_failed', `${name} has characters or a length that are not allowed: ${JSON.stringify(value.slice(0, 40))}`);
    }
  }
  if ((types ?? '').split(',').length > 50) throw new HubError(400, 'validation_failed', 'types may list at most 50 types');
  return { ...parseTypes(types), ...(agentId ? { agentId } : {}), ...(taskId ? { taskId } : {}) };
}
