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
