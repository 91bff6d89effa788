import { type PageQuery, type ReadPage, eachPage } from '../../../server/client/pagination.ts';
import type { EventPage } from '../../../server/client/views.ts';
import type { EventEnvelope } from './types.ts';

/** The `seq` of the newest event (0 for an empty log), as every page reports it: one small read. */
export async function findLogHead(read: ReadPage): Promise<number> {
  return (await read({ after: 0, limit: 1 })).head;
}

/** The newest `count` events up to `head`, oldest first (fewer where the log has holes or the page its byte budget). */
export async function lastPage(read: ReadPage, head: number, count = 1000): Promise<EventPage> {
  // Newest first, so a page the byte budget cuts short drops the oldest; newer events arrive on the live stream, which starts after `head`.
  const page = await read({ before: head + 1, limit: count });
  return { ...page, events: [...page.events].reverse(), next: head, head };
}

/**
 * The events after `query.after`, oldest first, as the client pages them: until a page is empty
 * or reaches `until` (default: the head the page reports), or `maxPages` were read.
 */
export async function readOnward(read: ReadPage, query: PageQuery & { after: number }, maxPages: number, until?: number): Promise<EventEnvelope[]> {
  const events: EventEnvelope[] = [];
  let pages = 0;
  for await (const page of eachPage(read, until === undefined ? query : { ...query, until })) {
    events.push(...page.events);
    if (++pages >= maxPages) break;
  }
  return events;
}
