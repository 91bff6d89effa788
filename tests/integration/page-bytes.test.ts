// Reads of the log stop at a byte budget as well as a count, so a few requests for pages of large
// events cannot make the hub hold hundreds of megabytes: JSON pages, SSE replay and live reads.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { hubSuite } from '../helpers/hub-suite.ts';

const pageBytes = 64 * 1024;
const suite = hubSuite({ stream: { pageBytes } });

/** Appends `count` events of about 20 KiB of data each in one batch; returns their seqs and the seq before them. */
async function appendLargeEvents(count: number, name: string): Promise<{ before: number; seqs: number[] }> {
  const { hub } = suite;
  const events = Array.from({ length: count }, (_, i) => ({ type: `x.${name}`, data: { i, filler: 'f'.repeat(20 * 1024) } }));
  const res = await hub.post('/events', { events });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  const seqs = res.body.events.map((e: { seq: number }) => e.seq);
  return { before: seqs[0]! - 1, seqs };
}

describe('a JSON page of large events', () => {
  test('stops after the event that reaches the byte budget, and next continues from there', async () => {
    const { hub } = suite;
    const { before, seqs } = await appendLargeEvents(10, 'paged');
    const first = await hub.get(`/events?after=${before}&limit=1000&types=x.paged`);
    assert.equal(first.status, 200);
    assert.deepEqual(first.body.events.map((e: { seq: number }) => e.seq), seqs.slice(0, 4), 'three events stay under 64 KiB; the fourth reaches it');
    assert.equal(first.body.next, seqs[3]);

    const read: number[] = [];
    for (let after = before; ; ) {
      const page = await hub.get(`/events?after=${after}&limit=1000&types=x.paged`);
      if (page.body.events.length === 0) break;
      read.push(...page.body.events.map((e: { seq: number }) => e.seq));
      after = page.body.next;
    }
    assert.deepEqual(read, seqs, 'following next reads every event once, in order');
  });
});

describe('a JSON page of large events, newest first', () => {
  test('starts at the head, stops at the byte budget, and next as before reads back to the first', async () => {
    const { hub } = suite;
    const { seqs } = await appendLargeEvents(10, 'backwards');
    const first = await hub.get('/events?order=desc&limit=1000&types=x.backwards');
    assert.equal(first.status, 200);
    assert.deepEqual(first.body.events.map((e: { seq: number }) => e.seq), seqs.slice(-4).reverse(), 'the budget drops the oldest, never the newest');
    assert.equal(first.body.next, seqs.at(-4));

    const read: number[] = [];
    for (let before = first.body.head + 1; ; ) {
      const page = await hub.get(`/events?before=${before}&limit=1000&types=x.backwards`);
      if (page.body.events.length === 0) break;
      read.push(...page.body.events.map((e: { seq: number }) => e.seq));
      before = page.body.next;
    }
    assert.deepEqual(read, [...seqs].reverse(), 'following next reads every event once, newest first');
  });
});

describe('an SSE stream of large events', () => {
  test('replays every event in order across reads cut by the byte budget', async () => {
    const { hub } = suite;
    const { before, seqs } = await appendLargeEvents(10, 'replayed');
    const stream = await hub.sse(`/events?after=${before}&types=x.replayed`);
    try {
      await stream.until((events) => events.length >= seqs.length);
      assert.deepEqual(stream.events.map((e) => e.seq), seqs);
    } finally {
      stream.close();
    }
  });

  test('delivers live every event of a commit larger than the byte budget', async () => {
    const { hub } = suite;
    const stream = await hub.sse('/events?types=x.live');
    try {
      const { seqs } = await appendLargeEvents(10, 'live');
      await stream.until((events) => events.length >= seqs.length);
      assert.deepEqual(stream.events.map((e) => e.seq), seqs);
    } finally {
      stream.close();
    }
  });
});

describe('a page newest first while streams are open', () => {
  test('holds the event an append just answered for, though the live reader has not caught up with it', async () => {
    const hub = suite.hub;
    // An open stream makes the hub's live reader follow the log, a step behind each commit.
    const sse = await hub.sse('/events?types=x.newest_first_watch');
    try {
      for (let i = 0; i < 30; i++) {
        const appended = await hub.post('/events', { type: 'x.newest_first', data: { i } });
        assert.equal(appended.status, 201, JSON.stringify(appended.body));
        const page = await hub.get('/events?order=desc&limit=1&types=x.newest_first');
        assert.equal(page.body.events[0]?.id, appended.body.id, `append ${i}: the newest page ends at seq ${page.body.head}, before the event it answered for (${appended.body.seq})`);
      }
    } finally {
      sse.close();
    }
  });
});
