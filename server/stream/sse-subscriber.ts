import type { ServerResponse } from 'node:http';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { EventFrame } from '../log/event.ts';
import { type EventFilter, matches } from '../log/filter.ts';
import { type FrameRow, streamAfter } from '../log/read-after.ts';
import type { EventFanout, FanoutSubscriber } from './fanout.ts';
import { ProjectMembership } from './project-membership.ts';

export interface SseOptions {
  /** Sent as `retry:` so browsers reconnect after this many ms. */
  retryMs: number;
  heartbeatMs: number;
  replayPageSize: number;
  /** Most bytes of events (their envelopes) one read takes (a replay batch, a JSON page, a live read); it stops after the event that reaches them. */
  pageBytes: number;
  /** Bytes that may wait in this subscriber's socket buffer; past it the subscriber is cut off. */
  maxBufferedBytes: number;
  /** Live events held while the replay runs; past it they are dropped and read from the log instead. */
  maxHeldEvents: number;
}

/** Which log a stream or page is of, and its newest `seq` when the request came. */
export interface LogHead {
  logId: string;
  head: number;
}

/** The response header naming the log on `GET /events`, streams and pages alike. */
export const logIdHeader = 'mc-log-id';

/**
 * The SSE text of one event. Named by its type unless `named` is false: a browser EventSource
 * hands a named frame only to listeners of that name, so a client that wants every type, custom
 * ones included, asks for unnamed frames and reads them all from `onmessage`.
 */
export function sseFrame(frame: Pick<EventFrame, 'type' | 'wire'> & { seq: number | string }, named = true): string {
  return named ? `id: ${frame.seq}\nevent: ${frame.type}\ndata: ${frame.wire}\n\n` : `id: ${frame.seq}\ndata: ${frame.wire}\n\n`;
}

/**
 * One SSE client: the replay from its cursor, then live events held back until the replay ends,
 * with no gap and no duplicate at the seam (everything sent has `seq` above the last sent).
 */
export class SseSubscriber implements FanoutSubscriber {
  private readonly res: ServerResponse;
  private readonly filter: EventFilter;
  private readonly options: SseOptions;
  private readonly named: boolean;
  /** The newest `seq` sent to the client: everything later is still to come. */
  private lastSeq: number;
  /** The newest `seq` looked at, sent or filtered out. */
  position: number;
  private replaying = true;
  private held: EventFrame[] = [];
  private heldOverflow = false;
  private closed = false;
  private heartbeat: NodeJS.Timeout | undefined;
  /** For a stream of one project: who belongs to it, once the replay (filtered by the log's own query) is done. */
  private membership: ProjectMembership | undefined;

  constructor(res: ServerResponse, after: number, filter: EventFilter, options: SseOptions, named = true) {
    this.res = res;
    this.named = named;
    this.lastSeq = after;
    this.position = after;
    this.filter = filter;
    this.options = options;
  }

  /**
   * Runs the stream until the client goes or the hub closes it. It opens with an `event: log`
   * frame (no `id:`, so a browser's Last-Event-ID stays the last event's) naming the log.
   * `headers` (the request id, the security headers) go out with the stream's own.
   */
  async run(db: Kysely<Database>, fanout: EventFanout, log: LogHead, headers: Headers): Promise<void> {
    const unsubscribe = fanout.subscribe(this);
    this.res.on('close', () => {
      this.closed = true;
      unsubscribe();
      clearInterval(this.heartbeat);
    });
    this.res.writeHead(200, {
      ...Object.fromEntries(headers),
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
      [logIdHeader]: log.logId,
    });
    this.res.write(`retry: ${this.options.retryMs}\n\nevent: log\ndata: ${JSON.stringify(log)}\n\n`);
    this.heartbeat = setInterval(() => this.write(': heartbeat\n\n'), this.options.heartbeatMs);
    this.heartbeat.unref();
    try {
      await this.replay(db);
    } catch (error) {
      this.close();
      throw error;
    }
  }

  deliver(frames: readonly EventFrame[]): void {
    if (this.closed) return;
    if (!this.replaying) {
      this.send(frames);
      return;
    }
    if (this.heldOverflow) return;
    if (this.held.length + frames.length > this.options.maxHeldEvents) {
      this.held = [];
      this.heldOverflow = true;
      return;
    }
    this.held.push(...frames);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.res.end();
  }

  private async replay(db: Kysely<Database>): Promise<void> {
    const size = { limit: this.options.replayPageSize, maxBytes: this.options.pageBytes };
    while (!this.closed) {
      const events = await streamAfter(db, this.lastSeq, size, this.filter, (rows) => this.sendPageRows(rows));
      if (this.closed) return;
      if (events > 0) {
        await this.drained();
        continue;
      }
      // Live events were dropped while the replay ran: read on from the log, which holds them.
      if (this.heldOverflow) {
        this.heldOverflow = false;
        continue;
      }
      if (this.filter.projectId !== undefined) this.membership = await ProjectMembership.load(db, this.filter.projectId);
      if (this.closed) return;
      this.replaying = false;
      const held = this.held;
      this.held = [];
      this.send(held);
      return;
    }
  }

  /**
   * A chunk of a replay's page, sent as the database gives it. The page is what the filter keeps
   * after the cursor, in order (the log's query chose it), and its byte budget bounds what it adds
   * to the socket's buffer, so it goes out unchecked; `drained` waits between pages.
   */
  private sendPageRows(rows: readonly FrameRow[]): void {
    const last = rows.at(-1);
    if (this.closed || last === undefined) return;
    let chunk = '';
    for (const row of rows) chunk += sseFrame(row, this.named);
    this.res.write(chunk);
    this.lastSeq = Number(last.seq);
    this.position = Math.max(this.position, this.lastSeq);
  }

  private send(frames: readonly EventFrame[]): void {
    const last = frames.at(-1);
    if (last !== undefined && last.seq > this.position) this.position = last.seq;
    let chunk = '';
    for (const frame of frames) {
      // Live frames of a project's stream (the replay's pages are filtered by the log's query); every
      // frame is looked at, so the membership learns of the agents, tasks and decisions it creates.
      const inProject = this.membership === undefined || this.membership.includes(frame);
      if (frame.seq <= this.lastSeq || !matches(this.filter, frame) || !inProject) continue;
      chunk += sseFrame(frame, this.named);
      this.lastSeq = frame.seq;
    }
    if (chunk !== '') this.write(chunk);
  }

  private write(chunk: string): void {
    if (this.closed) return;
    // A reader that has not taken what it was sent before must not hold memory or slow the
    // others: cut it off (it resumes from its Last-Event-ID). A burst to a reader that keeps up is fine.
    if (this.res.writableLength > this.options.maxBufferedBytes) {
      this.res.destroy();
      return;
    }
    this.res.write(chunk);
  }

  private drained(): Promise<void> {
    if (this.res.writableLength <= this.options.maxBufferedBytes) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        this.res.off('drain', done);
        this.res.off('close', done);
        resolve();
      };
      this.res.on('drain', done);
      this.res.on('close', done);
    });
  }
}
