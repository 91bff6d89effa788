import type { EventPage, PageQuery } from './hub-api.ts';

type ReadPage = (query: PageQuery) => Promise<EventPage>;

/**
 * The `seq` of the newest event (0 for an empty log). The hub pages forward only, so this probes
 * `?after=N&limit=1`: one read answers a short log, a long one takes about 2·log2(seq) reads.
 */
export async function findLogHead(read: ReadPage, firstPage = 1000): Promise<number> {
  const first = await read({ after: 0, limit: firstPage });
  if (first.events.length < firstPage) return first.next;
  const exists = async (after: number) => (await read({ after, limit: 1 })).events.length > 0;
  // Invariant: some event lies after `low`, none after `high`; so once they are neighbours, `high` is the head.
  let low = first.next - 1;
  let high = first.next;
  while (await exists(high)) {
    low = high;
    high *= 2;
  }
  while (high - low > 1) {
    const middle = Math.floor((low + high) / 2);
    if (await exists(middle)) low = middle;
    else high = middle;
  }
  return high;
}

/** The newest `count` events up to `head` (fewer where the log has holes in its seq). */
export async function lastPage(read: ReadPage, head: number, count = 1000): Promise<EventPage> {
  const page = await read({ after: Math.max(0, head - count), limit: count });
  // Newer events arrive on the live stream, which starts after `head`.
  return { events: page.events.filter((e) => e.seq <= head), next: head };
}
