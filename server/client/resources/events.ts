import { type SubscribeOptions, subscribe } from '../event-stream.ts';
import { newIdempotencyKey } from '../idempotency.ts';
import { type ListQuery, type PageQuery, eachPage } from '../pagination.ts';
import { type AppendReceipt, type EventAppend, type EventEnvelope, type EventPage, selectionQuery } from '../views.ts';
import { type CallOptions, HubResource, segment } from './resource.ts';

/** A subscription's options; where the hub is and the token come from the client. */
export type StreamOptions = Omit<SubscribeOptions, 'url' | 'token' | 'fetch'>;

/** The log: append, read one event, read pages (or every event across them), follow it live. */
export class Events extends HubResource {
  /** Appends one event or a batch; events without a key get one, so a retry is stored once. */
  append(event: EventAppend, options?: CallOptions): Promise<AppendReceipt>;
  append(events: EventAppend[], options?: CallOptions): Promise<AppendReceipt[]>;
  async append(input: EventAppend | EventAppend[], options: CallOptions = {}): Promise<AppendReceipt | AppendReceipt[]> {
    const keyed = (e: EventAppend): EventAppend => ({ ...e, idempotencyKey: e.idempotencyKey ?? newIdempotencyKey() });
    if (!Array.isArray(input)) return this.send<AppendReceipt>({ method: 'POST', path: '/events', body: keyed(input), idempotent: true }, options);
    const answer = await this.send<{ events: AppendReceipt[] }>({ method: 'POST', path: '/events', body: { events: input.map(keyed) }, idempotent: true }, options);
    return answer.events;
  }

  /** One event by its id; a 404 `not_found` when the log has none. */
  get(id: string, options: CallOptions = {}): Promise<EventEnvelope> {
    return this.send({ method: 'GET', path: `/events/${segment(id)}`, idempotent: true }, options);
  }

  /** One page with its `next` and `head`: after `after`, oldest first; or newest first, below `before` or from the head (`order: 'desc'`); with `q`, only the events whose data answers the search. */
  page(query: PageQuery = {}, options: CallOptions = {}): Promise<EventPage> {
    const { after, before, order, limit, q, archived } = query;
    return this.send({ method: 'GET', path: `/events${selectionQuery(query, { after, before, order, limit, q, archived })}`, idempotent: true }, options);
  }

  /** Every page from `query` on, read as the loop asks for them (see eachPage for where it stops). */
  pages(query: ListQuery = {}, options: CallOptions = {}): AsyncGenerator<EventPage, void, undefined> {
    return eachPage((q) => this.page(q, options), query);
  }

  /** Every event from `query` on, across pages: oldest first up to the head, or newest first with `order: 'desc'`. */
  async *list(query: ListQuery = {}, options: CallOptions = {}): AsyncGenerator<EventEnvelope, void, undefined> {
    for await (const page of this.pages(query, options)) yield* page.events;
  }

  /** The log live as an async iterator, resuming after drops without a gap (see subscribe). */
  subscribe(options: StreamOptions = {}): AsyncGenerator<EventEnvelope, void, undefined> {
    const { url, token, fetch } = this.connection;
    return subscribe({ ...options, url, token, fetch });
  }
}
