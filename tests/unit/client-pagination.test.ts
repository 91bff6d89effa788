import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { type PageQuery, eachPage } from '../../server/client/pagination.ts';
import type { EventEnvelope, EventPage } from '../../server/client/views.ts';

const event = (seq: number): EventEnvelope => ({ seq, id: `evt_${seq}`, type: 'x.test', actor: 'hub', recordedAt: '2026-01-01T00:00:00.000Z', data: {} });

/** Pages of seqs 1..10 as the hub answers them, at most `cut` events each (its byte budget), recording each read. */
function log(reads: PageQuery[], cut = 3) {
  const events = Array.from({ length: 10 }, (_, i) => event(i + 1));
  return async (q: PageQuery): Promise<EventPage> => {
    reads.push(q);
    const size = Math.min(q.limit ?? 100, cut);
    if (q.order === 'desc' || q.before !== undefined) {
      const page = events.filter((e) => e.seq < (q.before ?? Number.MAX_SAFE_INTEGER)).reverse().slice(0, size);
      return { events: page, next: page.at(-1)?.seq ?? q.before ?? 11, head: 10, logId: 'log_test' };
    }
    const page = events.filter((e) => e.seq > (q.after ?? 0)).slice(0, size);
    return { events: page, next: page.at(-1)?.seq ?? q.after ?? 0, head: 10, logId: 'log_test' };
  };
}

async function seqsOf(read: ReturnType<typeof log>, query: Parameters<typeof eachPage>[1]): Promise<number[]> {
  const seqs: number[] = [];
  for await (const page of eachPage(read, query)) seqs.push(...page.events.map((e) => e.seq));
  return seqs;
}

describe('paging the log', () => {
  test('oldest first, a page the byte budget cut short is not the end; the head is, without an empty read', async () => {
    const reads: PageQuery[] = [];
    assert.deepEqual(await seqsOf(log(reads), { limit: 1000 }), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    assert.deepEqual(reads.map((q) => q.after), [0, 3, 6, 9]);
  });

  test('oldest first it stops at until', async () => {
    assert.deepEqual(await seqsOf(log([]), { after: 2, until: 5 }), [3, 4, 5]);
  });

  test('newest first it reads from the head down to the start, each page below the last', async () => {
    const reads: PageQuery[] = [];
    assert.deepEqual(await seqsOf(log(reads), { order: 'desc' }), [10, 9, 8, 7, 6, 5, 4, 3, 2, 1]);
    assert.deepEqual(reads.map((q) => q.before), [undefined, 8, 5, 2]);
  });
});
