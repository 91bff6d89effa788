import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import pg from 'pg';
import { migrations } from '../../server/db/migrate.ts';
import { testDatabase } from '../helpers/database.ts';
import { hubSuite } from '../helpers/hub-suite.ts';
import { getJson, testHub } from '../helpers/hub.ts';
import { bearer } from '../helpers/hub.ts';

type Hub = Awaited<ReturnType<typeof testHub>>;

const suite = hubSuite();

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const ready = { status: 'ready', checks: { database: 'ok', migrations: 'ok', listener: 'ok' } };

describe('public gauges', () => {
  test('/healthz answers 200', async () => {
    const res = await getJson(`${suite.hub.url}/healthz`);
    assert.equal(res.status, 200);
    assert.deepEqual(res.body, { status: 'ok' });
  });

  test('/readyz answers 200 ready with database, migrations and listener ok', async () => {
    const res = await getJson(`${suite.hub.url}/readyz`);
    assert.equal(res.status, 200);
    assert.deepEqual(res.body, ready);
  });

  test('/versionz names the version, the commit, the newest migration as schemaVersion and the log', async () => {
    const res = await getJson(`${suite.hub.url}/versionz`);
    assert.equal(res.status, 200);
    const { rows } = await sql<{ id: string }>`select id from hub_identity`.execute(suite.hub.db);
    assert.deepEqual(res.body, { version: 'test', commit: 'test', schemaVersion: Object.keys(migrations).at(-1), logId: rows[0]!.id });
    assert.match(res.body.logId, /^log_[0-9a-f]{32}$/);
  });

  test('every hub on one database names the same log; a hub on another database another', async () => {
    const second = await testHub(suite.database.url);
    const elsewhere = await testDatabase();
    const third = await testHub(elsewhere.url);
    try {
      const [mine, same, other] = await Promise.all([suite.hub, second, third].map(async (hub) => (await getJson(`${hub.url}/versionz`)).body.logId));
      assert.equal(same, mine);
      assert.notEqual(other, mine);
    } finally {
      await third.close();
      await second.close();
      await elsewhere.drop();
    }
  });

  test('the log id is made once: the database refuses to change or remove it', async () => {
    await assert.rejects(sql`update hub_identity set id = 'log_other'`.execute(suite.hub.db), /made once/);
    await assert.rejects(sql`delete from hub_identity`.execute(suite.hub.db), /made once/);
    await assert.rejects(sql`insert into hub_identity (id) values ('log_second')`.execute(suite.hub.db), /hub_identity_one_row/);
  });
});

describe('/metrics', () => {
  test('needs a token: 401 without one', async () => {
    const res = await getJson(`${suite.hub.url}/metrics`);
    assert.equal(res.status, 401);
    assert.equal(res.body.code, 'unauthorized');
  });

  test('answers an operator with Prometheus text', async () => {
    const res = await getJson(`${suite.hub.url}/metrics`, suite.hub.auth);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^text\/plain/);
  });

  test('refuses an agent: 403 forbidden', async () => {
    const res = await getJson(`${suite.hub.url}/metrics`, bearer(await suite.hub.mint('agent', 'agt_metrics')));
    assert.equal(res.status, 403);
    assert.equal(res.body.code, 'forbidden');
  });

  test('after appends and with one stream open, counts requests, appends, streams, the listener and the pool', async () => {
    const appended = 7;
    for (let i = 0; i < appended; i++) assert.equal((await suite.hub.post('/events', { type: 'x.gauge', data: { i } })).status, 201);
    const sse = await suite.hub.sse('/events?types=x.gauge&after=0');
    await sse.until((events) => events.length === appended);
    const res = await getJson(`${suite.hub.url}/metrics`, suite.hub.auth);
    sse.close();
    const text = res.body as string;
    assert.match(text, /^mc_http_requests_total\{[^}]*route="\/events"[^}]*status="201"[^}]*\} \d+$/m);
    assert.match(text, /^mc_http_request_duration_seconds_bucket\{/m);
    const total = /^mc_appended_events_total (\d+)$/m.exec(text);
    assert.ok(total && Number(total[1]) >= appended, `mc_appended_events_total: ${total?.[1]}`);
    assert.match(text, /^mc_append_transaction_events_bucket\{/m);
    assert.match(text, /^mc_sse_subscribers 1$/m);
    assert.match(text, /^mc_sse_subscriber_lag_events \d+$/m);
    assert.match(text, /^mc_listener_connected 1$/m);
    assert.match(text, /^mc_db_pool_connections\{state="total"\} \d+$/m);
  });
});

describe('/metrics labels a refused request with its route', () => {
  const requestsOf = async (route: string, status: number): Promise<number> => {
    const text = (await getJson(`${suite.hub.url}/metrics`, suite.hub.auth)).body as string;
    const line = text.split('\n').find((l) => l.startsWith('mc_http_requests_total{') && l.includes(`route="${route}"`) && l.includes(`status="${status}"`));
    return line === undefined ? 0 : Number(line.split(' ').at(-1));
  };

  test('refused by authentication: the route it was for, not unmatched', async () => {
    const before = await requestsOf('/agents/:id', 401);
    assert.equal((await getJson(`${suite.hub.url}/agents/agt_label`)).status, 401);
    assert.equal(await requestsOf('/agents/:id', 401), before + 1);
  });

  test('refused by the body limit: the route it was for', async () => {
    const before = await requestsOf('/events', 413);
    const res = await fetch(`${suite.hub.url}/events`, { method: 'POST', headers: { ...suite.hub.auth, 'content-type': 'application/json' }, body: JSON.stringify({ type: 'x.big', data: { pad: 'x'.repeat(2 * 1024 * 1024) } }) });
    await res.arrayBuffer();
    assert.equal(res.status, 413);
    assert.equal(await requestsOf('/events', 413), before + 1);
  });

  test('an unknown path, or a method the path does not take: unmatched, so the label keeps to the routes', async () => {
    const [notFound, wrongMethod] = [await requestsOf('unmatched', 404), await requestsOf('unmatched', 405)];
    assert.equal((await getJson(`${suite.hub.url}/no-such-route-${Date.now()}`)).status, 404);
    assert.equal((await fetch(`${suite.hub.url}/healthz`, { method: 'DELETE' })).status, 405);
    assert.deepEqual([await requestsOf('unmatched', 404), await requestsOf('unmatched', 405)], [notFound + 1, wrongMethod + 1]);
  });
});

describe('/readyz while the listener is down', () => {
  let other: Hub;
  before(async () => {
    other = await testHub(suite.database.url);
  });
  after(async () => {
    await other?.close();
  });

  test('a killed LISTEN connection is reported down while it cannot come back, then ready again', async () => {
    // Refusing new connections to the database keeps the listener from reconnecting, so the down state lasts until it is let back.
    // A database cannot be closed to connections from inside it: this runs from the server's `postgres` database.
    const server = new URL(suite.database.url);
    server.pathname = '/postgres';
    const admin = new pg.Client({ connectionString: server.toString() });
    await admin.connect();
    const allowConnections = (allow: boolean) => admin.query(`ALTER DATABASE ${suite.database.name} WITH ALLOW_CONNECTIONS ${allow}`);
    await allowConnections(false);
    try {
      await sql`SELECT pg_terminate_backend(pid) FROM pg_stat_activity
                WHERE application_name = 'mission-control-listener' AND datname = current_database()`.execute(other.db);
      let down = await getJson(`${other.url}/readyz`);
      for (const deadline = Date.now() + 10_000; down.status === 200 && Date.now() < deadline; await sleep(20)) down = await getJson(`${other.url}/readyz`);
      assert.equal(down.status, 503, `still ${JSON.stringify(down.body)}`);
      assert.equal(down.body.status, 'unavailable');
      assert.match(down.body.checks.listener, /polling/);
    } finally {
      await allowConnections(true);
      await admin.end();
    }
    let last = await getJson(`${other.url}/readyz`);
    for (const deadline = Date.now() + 15_000; last.status !== 200 && Date.now() < deadline; await sleep(20)) last = await getJson(`${other.url}/readyz`);
    assert.deepEqual([last.status, last.body], [200, ready]);
  });

  test('with the listener stopped, /readyz is 503 unavailable and says why', async () => {
    await other.listener.stop();
    const res = await getJson(`${other.url}/readyz`);
    assert.equal(res.status, 503, `got ${res.status} ${JSON.stringify(res.body)}`);
    assert.equal(res.body.status, 'unavailable');
    assert.match(res.body.checks.listener, /stopped/);
    assert.equal(res.body.checks.database, 'ok');
  });
});
