import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { type EmbeddedDatabase, startEmbeddedPostgres } from '../../server/db/embedded.ts';
import { type TestHub, testHub } from '../helpers/hub.ts';

// A PostgreSQL server this test owns, so it can stop it under load and start it again.
const dir = mkdtempSync(path.join(tmpdir(), 'mc-outage-'));
let database: EmbeddedDatabase;
let hub: TestHub;

before(async () => {
  database = await startEmbeddedPostgres(dir, () => undefined);
  hub = await testHub(database.url, { auth: { cacheMs: 0 }, stream: { pollMs: 100 } });
});
after(async () => {
  await hub?.close();
  await database?.stop();
  rmSync(dir, { recursive: true, force: true });
});

test('through a database outage the hub stays up, fails fast with 503, and streams catch up with no gap', async () => {
  const stream = await hub.sse('/events?after=0&types=x.outage');
  const keys: string[] = [];
  const statuses: number[] = [];
  let stop = false;
  const load = (async () => {
    for (let i = 0; !stop; i += 1) {
      const key = `outage-${i}`;
      keys.push(key);
      const started = Date.now();
      const res = await hub.post('/events', { type: 'x.outage', data: { i }, idempotencyKey: key });
      statuses.push(res.status);
      assert.ok(Date.now() - started < 4000, `an append took ${Date.now() - started} ms: it must fail fast, not hang`);
      if (res.status !== 201) await new Promise((r) => setTimeout(r, 20));
    }
  })();

  await stream.until((events) => events.length >= 20);
  await database.stop();

  const during = await hub.get('/readyz', {});
  assert.equal(during.status, 503);
  assert.match(during.body.checks.database, /unreachable/);
  const refused = await hub.post('/events', { type: 'x.outage', data: { during: true } });
  assert.equal(refused.status, 503);
  assert.equal(refused.body.code, 'unavailable');
  assert.equal((await hub.get('/healthz', {})).status, 200, 'the hub process stays up');
  await new Promise((r) => setTimeout(r, 500));

  database = await startEmbeddedPostgres(dir, () => undefined, database.port);
  for (let waited = 0; (await hub.get('/readyz', {})).status !== 200; waited += 100) {
    assert.ok(waited < 15_000, 'the hub did not become ready again');
    await new Promise((r) => setTimeout(r, 100));
  }
  const okAfter = statuses.length;
  while (statuses.slice(okAfter).filter((s) => s === 201).length < 20) await new Promise((r) => setTimeout(r, 20));
  stop = true;
  await load;

  assert.ok(statuses.includes(503), 'some appends met the outage');
  assert.ok(statuses.every((s) => s === 201 || s === 503), `only 201 or 503, got ${[...new Set(statuses)].join(', ')}`);
  const page = await hub.get(`/events?types=x.outage&limit=1000`);
  const stored = page.body.events as Array<{ seq: number; data: { i?: number } }>;
  await stream.until((events) => events.length === stored.length, 10_000);
  assert.deepEqual(stream.events.map((e) => e.seq), stored.map((e) => e.seq), 'the stream has every stored event, in order, once');
  stream.close();
});
