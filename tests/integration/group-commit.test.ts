import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sql } from 'kysely';
import { newEvent } from '../../server/log/new-event.ts';
import { hubSuite } from '../helpers/hub-suite.ts';
import { testHub } from '../helpers/hub.ts';

const suite = hubSuite({ groupCommit: { maxEvents: 50 } });

/** How many events each append transaction wrote, by the transaction id (`xmin`) its rows share; the log's rows are never updated. */
async function eventsPerTransaction(type: string): Promise<number[]> {
  const { rows } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM events WHERE type = ${type} GROUP BY xmin::text`.execute(suite.hub.db);
  return rows.map((r) => r.n);
}

test('concurrent appends share transactions', async () => {
  const before = { ...suite.hub.appender.stats };
  const requests = 200;
  const results = await Promise.all(
    Array.from({ length: requests }, (_, i) => suite.hub.post(`/events`, { type: 'x.group', data: { i } })),
  );
  assert.ok(results.every((r) => r.status === 201));
  const transactions = suite.hub.appender.stats.transactions - before.transactions;
  assert.equal(suite.hub.appender.stats.requests - before.requests, requests);
  assert.equal(suite.hub.appender.stats.events - before.events, requests);
  assert.ok(transactions < requests / 2, `${requests} concurrent appends took ${transactions} transactions`);
  const sizes = await eventsPerTransaction('x.group');
  assert.ok(sizes.every((n) => n <= 50), `a transaction holds at most groupCommit.maxEvents (50) events: ${sizes.join(', ')}`);
});

test('no append transaction writes more than groupCommit.maxEvents events, however many wait', async () => {
  // All queued in one turn of the event loop, so an unbounded group would take every one.
  const appends = Array.from({ length: 200 }, (_, i) => suite.hub.appender.append([newEvent({ type: 'x.queued', data: { i }, actor: 'hub' })]));
  await Promise.all(appends);
  const sizes = await eventsPerTransaction('x.queued');
  assert.equal(sizes.reduce((sum, n) => sum + n, 0), 200);
  assert.deepEqual(sizes.filter((n) => n > 50), [], `transactions of ${sizes.join(', ')} events`);
  assert.ok(sizes.some((n) => n > 1), `the appends were grouped at all: ${sizes.join(', ')}`);
});

test('a retry in the same group as its original is one row, and the retry is answered deduped', async () => {
  const event = () => newEvent({ type: 'x.retried', data: { v: 1 }, actor: 'hub', idempotencyKey: 'hub:same-group-retry' });
  // Queued in one turn of the event loop, so both land in one group.
  const [[first], [retry]] = await Promise.all([suite.hub.appender.append([event()]), suite.hub.appender.append([event()])]);
  assert.deepEqual([first!.deduped, retry!.deduped], [false, true]);
  assert.equal(retry!.seq, first!.seq);
  assert.deepEqual(await eventsPerTransaction('x.retried'), [1]);
});

test('two requests racing for one new key in one group: the first wins, the other is a 409, the rest commit', async () => {
  const [a, b, c] = await Promise.all([
    suite.hub.post(`/events`, { type: 'x.group', data: { v: 1 }, idempotencyKey: 'shared-key' }),
    suite.hub.post(`/events`, { type: 'x.group', data: { v: 2 }, idempotencyKey: 'shared-key' }),
    suite.hub.post(`/events`, { type: 'x.group', data: { v: 3 } }),
  ]);
  assert.deepEqual([a.status, b.status].sort(), [201, 409]);
  assert.equal(c.status, 201);
});

test('a request that breaks the shared transaction fails alone; the rest of its group commits', async () => {
  const poisoned = await testHub(suite.database.url, {}, [
    {
      name: 'refuses-poison',
      async apply(_trx, event) {
        if (event.data.poison) throw new Error('projection refused the event');
      },
    },
  ]);
  try {
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => poisoned.post(`/events`, { type: 'x.group', data: { i, poison: i === 7 } })),
    );
    assert.deepEqual(results.map((r) => r.status), results.map((_, i) => (i === 7 ? 500 : 201)));
    assert.equal(results[7]!.body.code, 'internal');
    const { rows } = await sql<{ i: number }>`SELECT (data->>'i')::int AS i FROM events WHERE type = 'x.group' AND data ? 'poison' ORDER BY 1`.execute(poisoned.db);
    assert.deepEqual(rows.map((r) => r.i), Array.from({ length: 20 }, (_, i) => i).filter((i) => i !== 7));
  } finally {
    await poisoned.close();
  }
});
