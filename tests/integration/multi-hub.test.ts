import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import { type TestDatabase, testDatabase } from '../helpers/database.ts';
import { postJson } from '../helpers/hub.ts';
import { randomBytes } from 'node:crypto';
import { type HubProcess, startHubProcess } from '../helpers/hub-process.ts';
import { type SseConnection, openSse } from '../helpers/sse.ts';

describe('two hub processes on one database', () => {
  let database: TestDatabase;
  let hubs: HubProcess[];
  let streams: SseConnection[];
  const adminToken = `mc_test_${randomBytes(16).toString('hex')}`;
  const auth = { authorization: `Bearer ${adminToken}` };

  before(async () => {
    database = await testDatabase();
    const env = { DATABASE_URL: database.url, MC_ADMIN_TOKEN: adminToken };
    hubs = await Promise.all([startHubProcess(env), startHubProcess(env)]);
    streams = await Promise.all(hubs.map((hub) => openSse(`${hub.url}/events?types=x.multi`, auth)));
  });
  after(async () => {
    for (const s of streams) s.close();
    for (const hub of hubs) await hub.stop();
    await database.drop();
  });

  const seqsOf = (s: SseConnection) => s.events.map((e) => e.seq);

  test('an event appended through either hub appears on both hubs\' streams', async () => {
    const viaA = await postJson(`${hubs[0]!.url}/events`, { type: 'x.multi', data: { via: 'a' } }, auth);
    const viaB = await postJson(`${hubs[1]!.url}/events`, { type: 'x.multi', data: { via: 'b' } }, auth);
    for (const s of streams) await s.until((events) => events.length >= 2);
    for (const s of streams) assert.deepEqual(seqsOf(s), [viaA.body.seq, viaB.body.seq]);
  });

  test('with its LISTEN connection killed, a hub keeps delivering by polling and then listens again', async () => {
    const admin = new pg.Client({ connectionString: database.url });
    await admin.connect();
    const { rows } = await admin.query(
      `SELECT pg_terminate_backend(pid) AS killed FROM pg_stat_activity
       WHERE application_name = 'mission-control-listener' AND datname = current_database()`,
    );
    assert.equal(rows.length, 2, 'each hub has one listen connection');
    const before = streams.map((s) => s.events.length);
    const seqs: number[] = [];
    for (let i = 0; i < 5; i += 1) {
      const res = await postJson(`${hubs[i % 2]!.url}/events`, { type: 'x.multi', data: { i } }, auth);
      seqs.push(res.body.seq as number);
    }
    for (const [i, s] of streams.entries()) {
      await s.until((events) => events.length === before[i]! + 5);
      assert.deepEqual(seqsOf(s).slice(before[i]), seqs);
    }
    for (const hub of hubs) {
      await hub.waitForLog((l) => l.msg === 'listener polling');
      const lost = hub.logs.findIndex((l) => l.msg === 'listener polling');
      await hub.waitForLog((l) => l.msg === 'listener connected' && hub.logs.indexOf(l) > lost);
    }
    const listening = await admin.query(
      `SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = 'mission-control-listener' AND datname = current_database()`,
    );
    assert.equal(listening.rows[0].n, 2);
    await admin.end();
  });
});
