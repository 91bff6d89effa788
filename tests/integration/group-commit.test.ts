import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sql } from 'kysely';
import { hubSuite } from '../helpers/hub-suite.ts';
import { testHub } from '../helpers/hub.ts';

const suite = hubSuite({ groupCommit: { maxEvents: 50 } });

test('concurrent appends share transactions, bounded by the group size', async () => {
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
  assert.ok(transactions >= requests / 50, `a group holds at most 50 events, yet only ${transactions} transactions ran`);
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
