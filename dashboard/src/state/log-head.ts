import type { EventPage, PageQuery } from './hub-api.ts';
import type { EventEnvelope } from './types.ts';

type ReadPage = (query: PageQuery) => Promise<EventPage>;

/** The `seq` of the newest event (0 for an empty log), as every page reports it: one small read. */
export async function findLogHead(read: ReadPage): Promise<number> {
  return (await read({ after: 0, limit: 1 })).head;
}

/** The newest `count` events up to `head`, oldest first (fewer where the log has holes or the page its byte budget). */
export async function lastPage(read: ReadPage, head: number, count = 1000): Promise<EventPage> {
  // Newest first, so a page the byte budget cuts short drops the oldest; newer events arrive on the live stream, which starts after `head`.
  const page = await read({ before: head + 1, limit: count });
  return { events: [...page.events].reverse(), next: head, head };
}

/**
 * The events after `query.after`, oldest first, page by page until a page is empty or reaches
 * `until` (default: the head the page reports), or `maxPages` were read. A page shorter than its
 * limit is not the end: the hub's byte budget may have cut it.
 */
export async function readOnward(read: ReadPage, query: PageQuery & { after: number }, maxPages: number, until?: number): Promise<EventEnvelope[]> {
  const events: EventEnvelope[] = [];
  let after = query.after;
  for (let pages = 0; pages < maxPages; pages++) {
    const page = await read({ ...query, after });
    events.push(...page.events);
    after = page.next;
    if (page.events.length === 0 || after >= (until ?? page.head)) break;
  }
  return events;
}
