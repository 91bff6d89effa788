import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { hubSuite } from '../helpers/hub-suite.ts';

let appended: { id: string; seq: number };
let stored: unknown;

const readLog = async () => (await sql`select * from events order by seq`.execute(suite.hub.db)).rows;

const suite = hubSuite();
before(async () => {
  await suite.ready();
  const res = await suite.hub.post(`/events`, { type: 'x.note', data: { text: 'keep me' }, agentId: 'agt_1', idempotencyKey: 'log-schema-1' });
  assert.equal(res.status, 201);
  appended = res.body;
  stored = await readLog();
});

describe('the database keeps the log append-only', () => {
  test('the appended event is the one row of the log', () => {
    assert.deepEqual((stored as Array<{ id: string; seq: string }>).map((r) => [r.id, Number(r.seq)]), [[appended.id, appended.seq]]);
  });

  test('UPDATE of an event is refused and the row is unchanged', async () => {
    await assert.rejects(sql`UPDATE events SET type = 'x'`.execute(suite.hub.db), /append-only/);
    assert.deepEqual(await readLog(), stored);
  });

  test('DELETE of an event is refused and the row is unchanged', async () => {
    await assert.rejects(sql`DELETE FROM events`.execute(suite.hub.db), /append-only/);
    assert.deepEqual(await readLog(), stored);
  });

  test('TRUNCATE of the log is refused and the row is unchanged', async () => {
    await assert.rejects(sql`TRUNCATE events`.execute(suite.hub.db), /append-only/);
    assert.deepEqual(await readLog(), stored);
  });
});

describe('the log compares its event ids and idempotency keys as bytes', () => {
  // Planned with sequential scans off: a look-up the unique index cannot serve (a collation that
  // differs from the index's) would still plan a scan of the table, and name no index.
  const plan = (query: ReturnType<typeof sql>) =>
    suite.hub.db.transaction().execute(async (trx) => {
      await sql`SET LOCAL enable_seqscan = off`.execute(trx);
      return JSON.stringify((await sql`EXPLAIN ${query}`.execute(trx)).rows);
    });

  test('a look-up by event id, by idempotency key and by a list of keys uses the unique index', async () => {
    assert.match(await plan(sql`SELECT * FROM events WHERE id = ${appended.id}`), /events_id_key/);
    assert.match(await plan(sql`SELECT * FROM events WHERE idempotency_key = ${'log-schema-1'}`), /events_idempotency_key_key/);
    assert.match(await plan(sql`SELECT seq FROM events WHERE idempotency_key = ANY(${['log-schema-1', 'other']}::text[])`), /events_idempotency_key_key/);
  });

  test('a webhook delivery joins the event it names, by the same byte order', async () => {
    const { rows } = await sql<{ table_name: string; column_name: string; collation_name: string }>`
      SELECT table_name, column_name, collation_name FROM information_schema.columns
      WHERE (table_name, column_name) IN (('events', 'id'), ('events', 'idempotency_key'), ('webhook_deliveries', 'event_id')) ORDER BY 1, 2`.execute(suite.hub.db);
    assert.deepEqual(rows.map((r) => [r.table_name, r.column_name, r.collation_name]), [['events', 'id', 'C'], ['events', 'idempotency_key', 'C'], ['webhook_deliveries', 'event_id', 'C']]);
    // Columns of two different collations could not be compared: this join would fail.
    await sql`SELECT 1 FROM webhook_deliveries d JOIN events e ON e.id = d.event_id`.execute(suite.hub.db);
  });
});
