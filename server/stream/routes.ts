import { RESPONSE_ALREADY_SENT } from '@hono/node-server/utils/response';
import { type Context, Hono } from 'hono';
import type { Kysely } from 'kysely';
import { allow, principalOf } from '../auth/middleware.ts';
import type { Database } from '../db/schema.ts';
import { listedProject } from '../projects/scope.ts';
import { HubError, invalidInput } from '../errors.ts';
import type { HubEnv } from '../http/env.ts';
import type { EventFrame } from '../log/event.ts';
import { type EventFilter, parseTypes } from '../log/filter.ts';
import { checkQuery } from '../http/known-query.ts';
import { lastSeq, readAfter, readBefore } from '../log/read-after.ts';
import { parseSearch } from '../log/search.ts';
import { withArchived } from '../retention/archived.ts';
import type { EventFanout } from './fanout.ts';
import type { HeldRequests } from './held-requests.ts';
import { type LogHead, type SseOptions, SseSubscriber, logIdHeader } from './sse-subscriber.ts';

export interface StreamRouteDeps {
  db: Kysely<Database>;
  /** This log's id, shown on every stream and page. */
  logId: string;
  fanout: EventFanout;
  held: HeldRequests;
  sse: SseOptions;
  onStreamError(error: unknown): void;
}

const cursorPattern = /^\d{1,15}$/;
const filterPattern = /^[A-Za-z0-9_.:@/*-]{1,128}$/;

const filterQuery = ['types', 'agent', 'task', 'after', 'lastEventID'];
const streamQuery = [...filterQuery, 'project', 'access_token', 'eventNames'];
const pageQuery = [...filterQuery, 'project', 'before', 'order', 'limit', 'q', 'archived'];

/** `GET /events`: the log as Server-Sent Events (replay, then live) or as JSON pages, oldest or newest first, optionally searched (`?q=`). */
export function streamRoutes(deps: StreamRouteDeps): Hono<HubEnv> {
  const app = new Hono<HubEnv>();
  app.get('/', allow('GET /events'), async (c) => {
    const accept = c.req.header('accept') ?? '*/*';
    const streaming = accept.includes('text/event-stream');
    if (!streaming && !/application\/json|\*\/\*|application\/\*/.test(accept)) {
      throw new HubError('not_acceptable', 'ask for "Accept: text/event-stream" (a live stream) or "Accept: application/json" (pages)');
    }
    const query = new URL(c.req.url).searchParams;
    if (streaming && query.has('q')) {
      throw invalidInput([{ path: '?q', message: 'searches JSON pages only (Accept: application/json, newest first with order=desc); a stream takes types, agent, task and project to filter' }]);
    }
    checkQuery(query, streaming ? streamQuery : pageQuery);
    const asked = parseFilter(c);
    // A scoped token reads its project's events only, paged or streamed.
    const projectId = listedProject(principalOf(c), asked.projectId);
    const filter = projectId === undefined ? asked : { ...asked, projectId };
    const cursor = parseCursor(c);
    // Every parameter is checked before the log is read: bad input is a 400 whatever the log holds.
    const before = streaming ? undefined : parseBefore(c, cursor);
    const limit = streaming ? 0 : parseLimit(c.req.query('limit'));
    const archived = !streaming && parseArchived(c);
    // This hub's live reader follows the log a step behind each commit. A stream, and a page read
    // after a cursor, take its head; a cursor beyond it (committed elsewhere, or past the end of the
    // log) and a page newest first, which starts from the head, look at the table.
    const exact = before !== undefined || (cursor !== undefined && cursor > deps.fanout.head);
    const head = exact ? Math.max(deps.fanout.head, await lastSeq(deps.db)) : deps.fanout.head;
    if (cursor !== undefined && cursor > head) {
      throw new HubError('cursor_past_head', `the log ends at seq ${head}, before your cursor ${cursor}; this log is ${deps.logId}: start again from 0 if it is a new log`);
    }
    const log: LogHead = { logId: deps.logId, head };
    if (streaming) {
      const res = c.env.outgoing;
      const named = c.req.query('eventNames') !== 'off';
      const subscriber = new SseSubscriber(res, cursor ?? deps.fanout.head, filter, deps.sse, named);
      const release = deps.held.hold(principalOf(c).tokenId, () => subscriber.close());
      res.once('close', release);
      // The stream bypasses the response the middleware finish, so it takes the headers they set so far
      // from a response built off the context (reading c.res would make Hono answer a second time).
      subscriber.run(deps.db, deps.fanout, log, c.newResponse(null).headers).catch(deps.onStreamError);
      return RESPONSE_ALREADY_SENT;
    }
    const size = { limit, maxBytes: deps.sse.pageBytes };
    const headers = { 'content-type': 'application/json; charset=utf-8', [logIdHeader]: deps.logId };
    if (before === undefined) {
      const after = cursor ?? 0;
      const read = await readAfter(deps.db, after, size, filter);
      const frames = archived ? await withArchived(deps.db, { after }, size, filter, read.frames, read.full) : read.frames;
      const last = frames.at(-1)?.seq ?? after;
      return c.body(pageBody(frames, last, { logId: deps.logId, head: Math.max(head, last) }), 200, headers);
    }
    // From the head read above: a page newest first is of the log as it was then.
    const below = Math.min(before, head + 1);
    const read = await readBefore(deps.db, below, size, filter);
    const frames = archived ? await withArchived(deps.db, { before: below }, size, filter, read.frames, read.full) : read.frames;
    return c.body(pageBody(frames, frames.at(-1)?.seq ?? below, log), 200, headers);
  });
  return app;
}

/** `?archived=include`: put the events retention moved into archives back in their places (JSON pages, not with `q`). */
function parseArchived(c: Context): boolean {
  const value = c.req.query('archived');
  if (value === undefined || value === 'exclude') return false;
  if (value !== 'include') throw new HubError('validation_failed', `archived must be include (read the archives too) or exclude (the default), got ${JSON.stringify(value.slice(0, 40))}`);
  if (c.req.query('q') !== undefined) throw invalidInput([{ path: '?archived', message: 'search (q) covers the events in the log only; drop q to read the archives, or archived to search' }]);
  return true;
}

/** `?before=` or `?order=desc` (newest first, from the head): where a page newest first starts, or undefined for oldest first. */
function parseBefore(c: Context, after: number | undefined): number | undefined {
  const order = c.req.query('order');
  if (order !== undefined && order !== 'asc' && order !== 'desc') {
    throw new HubError('validation_failed', `order must be asc (oldest first, the default) or desc (newest first), got ${JSON.stringify(order.slice(0, 40))}`);
  }
  const value = c.req.query('before');
  const before = value === undefined || value === '' ? undefined : Number(value);
  if (before !== undefined && !cursorPattern.test(value!)) {
    throw new HubError('invalid_cursor', `before must be an event seq (a non-negative integer), got ${JSON.stringify(value!.slice(0, 40))}`);
  }
  if (before === undefined && order !== 'desc') return undefined;
  if (order === 'asc') throw new HubError('validation_failed', 'before pages newest first: drop order=asc, or page oldest first with after');
  if (after !== undefined) throw new HubError('validation_failed', 'a page is read after a cursor (oldest first) or before one (newest first), not both: drop after or before');
  return before ?? Number.MAX_SAFE_INTEGER;
}

/** A JSON page written event by event as the client takes it, rather than joined into one string first. */
function pageBody(frames: readonly EventFrame[], next: number, log: LogHead): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let i = 0;
  return new ReadableStream({
    pull(controller) {
      if (i < frames.length) {
        controller.enqueue(encoder.encode(`${i === 0 ? '{"events":[' : ','}${frames[i]!.wire}`));
        i += 1;
        return;
      }
      controller.enqueue(encoder.encode(`${frames.length === 0 ? '{"events":[' : ''}],"next":${next},"head":${log.head},"logId":${JSON.stringify(log.logId)}}`));
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
    throw new HubError('invalid_cursor', `${name} must be an event seq (a non-negative integer), got ${JSON.stringify(value.slice(0, 40))}`);
  }
  return Number(value);
}

function parseLimit(value: string | undefined): number {
  if (value === undefined || value === '') return 100;
  const limit = Number(value);
  if (!Number.isInteger(limit) || limit < 1 || limit > 1000) {
    throw new HubError('validation_failed', `limit must be an integer from 1 to 1000, got ${JSON.stringify(value.slice(0, 40))}`);
  }
  return limit;
}

function parseFilter(c: Context): EventFilter {
  const types = c.req.query('types');
  const agentId = c.req.query('agent');
  const taskId = c.req.query('task');
  const projectId = c.req.query('project');
  const checks: Array<[string, string | undefined]> = [
    ['agent', agentId],
    ['task', taskId],
    ['project', projectId],
    ...(types ?? '').split(',').filter((t) => t !== '').map((t): [string, string] => ['types', t]),
  ];
  for (const [name, value] of checks) {
    if (value !== undefined && !filterPattern.test(value)) {
      throw new HubError('validation_failed', `${name} has characters or a length that are not allowed: ${JSON.stringify(value.slice(0, 40))}`);
    }
  }
  if ((types ?? '').split(',').length > 50) throw new HubError('validation_failed', 'types may list at most 50 types');
  const q = c.req.query('q');
  const search = q === undefined ? undefined : parseSearch(q);
  return { ...parseTypes(types), ...(agentId ? { agentId } : {}), ...(taskId ? { taskId } : {}), ...(projectId ? { projectId } : {}), ...(search !== undefined ? { search } : {}) };
}
