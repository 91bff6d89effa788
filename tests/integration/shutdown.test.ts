import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, test } from 'node:test';
import pg from 'pg';
import { type TestDatabase, testDatabase } from '../helpers/database.ts';
import { postJson, testHub } from '../helpers/hub.ts';
import { startHubProcess } from '../helpers/hub-process.ts';
import { openSse } from '../helpers/sse.ts';

let database: TestDatabase;
before(async () => {
  database = await testDatabase();
});
after(async () => {
  await database.drop();
});

test('SIGTERM under load: streams end, every acknowledged event is stored, the hub exits 0 within 5 s', async () => {
  const adminToken = `mc_test_${randomBytes(16).toString('hex')}`;
  const auth = { authorization: `Bearer ${adminToken}` };
  const hub = await startHubProcess({ DATABASE_URL: database.url, MC_ADMIN_TOKEN: adminToken });
  const stream = await openSse(`${hub.url}/events?after=0&types=x.load`, auth);

  const acknowledged = new Map<string, number>();
  let refused = 0;
  let running = true;
  const writer = async (w: number) => {
    for (let i = 0; running; i += 1) {
      const key = `load-${w}-${i}`;
      try {
        const res = await postJson(`${hub.url}/events`, { type: 'x.load', data: { w, i }, idempotencyKey: key }, auth);
        if (res.status === 201) acknowledged.set(key, res.body.seq as number);
        else refused += 1;
      } catch {
        // Connection refused or reset: the hub is going away.
        return;
      }
    }
  };
  const writers = Array.from({ length: 16 }, (_, w) => writer(w));
  await stream.until((events) => events.length >= 200, 15_000);

  const signalled = Date.now();
  const exitCode = await hub.stop();
  const tookMs = Date.now() - signalled;
  running = false;
  await Promise.all(writers);
  await stream.closed;

  assert.equal(exitCode, 0);
  assert.ok(tookMs < 5000, `exit took ${tookMs} ms`);
  assert.ok(acknowledged.size >= 200, `only ${acknowledged.size} appends were acknowledged`);
  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  const { rows } = await client.query<{ idempotency_key: string; seq: string }>(`SELECT replace(idempotency_key, 'client:' || actor || ':', '') AS idempotency_key, seq FROM events WHERE type = 'x.load'`);
  await client.end();
  // Client keys are stored under their actor (`client:<actor>:<key>`); compare the keys as sent.
  const stored = new Map(rows.map((r) => [r.idempotency_key, Number(r.seq)]));
  for (const [key, seq] of acknowledged) assert.equal(stored.get(key), seq, `acknowledged ${key} (seq ${seq}) was lost`);
  assert.equal(refused, 0, 'no append was refused while the hub drained');
  // The stream saw a gap-free prefix of the log before it was ended.
  const seen = stream.events.map((e) => e.seq);
  const prefix = [...stored.values()].sort((a, b) => a - b).slice(0, seen.length);
  assert.deepEqual(seen, prefix);
});

test('closing the hub ends its open streams at once, not at the last-resort cut of every connection', async () => {
  // The last resort would come only after a minute: a stream that ends sooner was ended by the close itself.
  const hub = await testHub(database.url, { http: { drainMs: 60_000 } });
  const stream = await hub.sse('/events?types=x.never');
  const started = Date.now();
  const closing = hub.close();
  const ended = await Promise.race([stream.closed.then(() => true), new Promise<false>((r) => setTimeout(() => r(false), 10_000).unref())]);
  const tookMs = Date.now() - started;
  stream.close();
  await closing;
  assert.ok(ended, `the stream was still open ${tookMs} ms after the close began`);
});
