import type { EventPage, EventSelection } from './views.ts';

/** Which page of the log: after `after`, oldest first; or newest first, below `before` or (`order: 'desc'`) from the head. */
export interface PageQuery extends EventSelection {
  after?: number;
  before?: number;
  order?: 'asc' | 'desc';
  /** 1–1000 events (the hub's default: 100); a page may hold fewer, see eachPage. */
  limit?: number;
  /** Only events whose data answers this full-text search: words, "a phrase", -excluded (1–200 characters; pages only). */
  q?: string;
  /** `include`: the events retention moved into archives too, in their places (pages only, not with `q`). */
  archived?: 'include' | 'exclude';
}

/** Pages read one after another: oldest first they stop at `until` (default: the head each page reports). */
export interface ListQuery extends PageQuery {
  until?: number;
}

/** One read of `GET /events` as JSON. */
export type ReadPage = (query: PageQuery) => Promise<EventPage>;

/**
 * The pages from `query` on, each read when the previous one is taken. Oldest first, it stops
 * after the page whose `next` reaches `until` (default: the head that page reports), or at an
 * empty page; newest first, at an empty page or the start of the log. A page shorter than its
 * limit is not the end: the hub's byte budget may have cut it.
 */
export async function* eachPage(read: ReadPage, query: ListQuery = {}): AsyncGenerator<EventPage, void, undefined> {
  const { until, ...first } = query;
  const newestFirst = first.order === 'desc' || first.before !== undefined;
  let cursor = newestFirst ? first.before : (first.after ?? 0);
  for (;;) {
    const page = await read(newestFirst ? { ...first, ...(cursor !== undefined ? { before: cursor } : {}) } : { ...first, after: cursor });
    yield page;
    if (page.events.length === 0) return;
    cursor = page.next;
    if (newestFirst ? cursor <= 1 : cursor >= (until ?? page.head)) return;
  }
}
