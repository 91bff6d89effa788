import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { setTimeout } from 'node:timers/promises';
import { Kysely, type LogEvent, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import type { AppendReceipt } from '../../contracts/index.ts';
import type { HubError } from '../../server/errors.ts';
import type { Database } from '../../server/db/schema.ts';
import type { NewEvent, Projection } from '../../server/log/event.ts';
import { GroupCommitAppender } from '../../server/log/group-commit.ts';
import { logCommitLockKey, logLockKey, notifyChannel } from '../../server/log/lock.ts';
import { newEvent } from '../../server/log/new-event.ts';
import { hubSuite } from '../helpers/hub-suite.ts';
import { until } from '../helpers/until.ts';
import { type TestHub, testHub } from '../helpers/hub.ts';

const suite = hubSuite({ groupCommit: { maxEvents: 50 } });

/** The log's two locks in the suite's database, held or awaited, as `key` or `key waiting` (the hub's timers take a lock of their own now and then). */
async function advisoryLocksHeld(): Promise<string[]> {
  const { rows } = await sql<{ lock: string }>`
    SELECT key::text || CASE WHEN granted THEN '' ELSE ' waiting' END AS lock
    FROM (SELECT (classid::bigint << 32) | objid::bigint AS key, granted FROM pg_locks
          WHERE locktype = 'advisory' AND database = (SELECT oid FROM pg_database WHERE datname = current_database())) AS advisory
    WHERE key = ANY(${[logLockKey, logCommitLockKey]}::bigint[])`.execute(suite.hub.db);
  return rows.map((r) => r.lock);
}

/** How many events each append transaction wrote, by the transaction id (`xmin`) its rows share; the log's rows are never updated. */
async function eventsPerTransaction(type: string): Promise<number[]> {
  const { rows } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM events WHERE type = ${type} GROUP BY xmin::text`.execute(suite.hub.db);
  return rows.map((r) => r.n);
}

test('concurrent appends share transactions', async () => {
  const before = { ...suite.hub.appender.stats };
  const requests = 200;
  // The log lock held elsewhere while they arrive: they queue as they would behind a slow commit.
  const holder = new pg.Client({ connectionString: suite.database.url });
  await holder.connect();
  await holder.query('BEGIN');
  await holder.query('SELECT pg_advisory_xact_lock($1)', [logLockKey]);
  const posted = Promise.all(Array.from({ length: requests }, (_, i) => suite.hub.post(`/events`, { type: 'x.group', data: { i } })));
  await setTimeout(500);
  await holder.query('COMMIT');
  await holder.end();
  const results = await posted;
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

test('retries in a group of several, of a key stored before it or written earlier in it, cost it no second transaction', async () => {
  const event = (key: string) => newEvent({ type: 'x.one-transaction', data: { key }, actor: 'hub', idempotencyKey: `hub:one-transaction:${key}` });
  const [stored] = await suite.hub.appender.append([event('stored')]);
  const before = suite.hub.appender.stats.transactions;
  // Queued in one turn: one group, whose command splits it into two runs of plain appends.
  const [[retryOfStored], [fresh], , [retryOfFresh]] = await Promise.all([
    suite.hub.appender.append([event('stored')]),
    suite.hub.appender.append([event('fresh')]),
    suite.hub.appender.execute(async () => []),
    suite.hub.appender.append([event('fresh')]),
  ]);
  assert.deepEqual({ deduped: retryOfStored!.deduped, seq: retryOfStored!.seq }, { deduped: true, seq: stored!.seq });
  assert.deepEqual({ deduped: retryOfFresh!.deduped, seq: retryOfFresh!.seq }, { deduped: true, seq: fresh!.seq });
  assert.equal(suite.hub.appender.stats.transactions - before, 1);
});

test('a retry in the next group, sent while the group holding the original has not committed, is answered deduped', async () => {
  const event = (v: number, key: string) => newEvent({ type: 'x.next-group', data: { v }, actor: 'hub', idempotencyKey: key });
  // Group A writes the original, then holds the log lock in a command until told to go on.
  let started!: () => void;
  let release!: () => void;
  const commandStarted = new Promise<void>((resolve) => (started = resolve));
  const held = new Promise<void>((resolve) => (release = resolve));
  const groupA = Promise.all([
    suite.hub.appender.append([event(1, 'hub:next-group:original')]),
    suite.hub.appender.execute(async () => {
      started();
      await held;
      return [];
    }),
  ]);
  await commandStarted;
  // Group B (two requests, queued in one turn) goes now: its insert waits for the lock, and meets the original's key once it is committed.
  const groupB = Promise.all([suite.hub.appender.append([event(1, 'hub:next-group:original')]), suite.hub.appender.append([event(2, 'hub:next-group:other')])]);
  await setTimeout(100);
  release();
  const [[original]] = await groupA;
  const [[retry], [other]] = await groupB;
  assert.deepEqual({ deduped: retry!.deduped, seq: retry!.seq }, { deduped: true, seq: original!.seq });
  assert.equal(other!.deduped, false);
  const { rows } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM events WHERE type = 'x.next-group'`.execute(suite.hub.db);
  assert.equal(rows[0]!.n, 2);
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

test('a key stored before and sent again with another payload: its request is a 409 with none of its events written, in a group of several or alone', async () => {
  const event = (key: string, v: number) => newEvent({ type: 'x.taken', data: { v }, actor: 'hub', idempotencyKey: `hub:taken:${key}` });
  const [stored] = await suite.hub.appender.append([event('stored', 1)]);
  const before = suite.hub.appender.stats.transactions;
  // Queued in one turn: one group, whose insert meets the stored key only when it writes.
  const outcomes = await Promise.allSettled([
    suite.hub.appender.append([event('first', 1)]),
    suite.hub.appender.append([event('beside-taken', 1), event('stored', 2)]),
    suite.hub.appender.append([event('stored', 1)]),
    suite.hub.appender.append([event('last', 1)]),
  ]);
  assert.deepEqual(outcomes.map((o) => o.status), ['fulfilled', 'rejected', 'fulfilled', 'fulfilled']);
  assert.equal(((outcomes[1] as PromiseRejectedResult).reason as HubError).code, 'idempotency_conflict');
  assert.deepEqual((outcomes[2] as PromiseFulfilledResult<AppendReceipt[]>).value, [{ id: stored!.id, seq: stored!.seq, deduped: true }]);
  // The group was rolled back and each request written alone.
  assert.ok(suite.hub.appender.stats.transactions - before > 1);
  const alone = await Promise.allSettled([suite.hub.appender.append([event('alone-beside-taken', 1), event('stored', 3)])]);
  assert.equal(((alone[0] as PromiseRejectedResult).reason as HubError).code, 'idempotency_conflict');
  const { rows } = await sql<{ key: string; v: number }>`SELECT data->>'v' AS v, idempotency_key AS key FROM events WHERE type = 'x.taken' ORDER BY seq`.execute(suite.hub.db);
  assert.deepEqual(rows.map((r) => `${r.key.replace('hub:taken:', '')}=${r.v}`), ['stored=1', 'first=1', 'last=1']);
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

test('a view is shown only the events it concerns, to fold and to react to', async () => {
  const shown: string[] = [];
  const choosy: Projection = {
    name: 'choosy',
    concerns: (event) => event.type === 'x.concerned',
    async apply(_trx, event) {
      shown.push(`apply ${event.type}`);
    },
    async react(_trx, event) {
      shown.push(`react ${event.type}`);
      return [];
    },
  };
  const hub = await testHub(suite.database.url, {}, [choosy]);
  try {
    await hub.appender.append(['x.concerned', 'x.ignored', 'x.concerned'].map((type, i) => newEvent({ type, data: { i }, actor: 'hub' })));
    assert.deepEqual(shown, ['apply x.concerned', 'apply x.concerned', 'react x.concerned', 'react x.concerned']);
  } finally {
    await hub.close();
  }
});

describe('a group that only inserts', () => {
  // An appender of its own on the suite's database, whose every statement is recorded.
  const statements: string[] = [];
  let db: Kysely<Database>;
  let appender: GroupCommitAppender;
  const guarded: Projection = {
    name: 'guards-x.guarded',
    concerns: (event) => event.type === 'x.folded',
    async apply() {},
    guard: { applies: (event) => event.type === 'x.guarded', async check() {} },
  };
  before(async () => {
    await suite.ready();
    const log = (event: LogEvent) => void statements.push(event.query.sql.trim().split(/\s+/)[0]!.toUpperCase());
    db = new Kysely<Database>({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: suite.database.url, max: 2 }) }), log });
    appender = new GroupCommitAppender(db, [guarded], { maxEvents: 50, maxInFlight: 1, notifyChannel, onCommitted() {}, onError() {} });
  });
  after(() => db.destroy());
  /** The first word of each statement one group sends, its requests queued in one turn. */
  async function statementsOf(...requests: NewEvent[][]): Promise<{ sent: string[]; receipts: AppendReceipt[][] }> {
    statements.length = 0;
    const receipts = await Promise.all(requests.map((events) => appender.append(events)));
    return { sent: [...statements], receipts };
  }
  const event = (type: string, key?: string, v = 1) => newEvent({ type, data: { v }, actor: 'hub', idempotencyKey: key });

  test('is one statement, with no BEGIN or COMMIT, its events in request order', async () => {
    const { sent, receipts } = await statementsOf([event('x.plain'), event('x.plain')], [event('x.plain', 'hub:insert-only:a')]);
    assert.deepEqual(sent, ['WITH']);
    const seqs = receipts.flat().map((r) => r.seq);
    assert.deepEqual(seqs, [...seqs].sort((a, b) => a - b));
    assert.ok(receipts.flat().every((r) => !r.deduped));
  });

  test('a key stored already sends it back through a transaction, which answers the retry deduped and writes the rest', async () => {
    const [stored] = await appender.append([event('x.plain', 'hub:insert-only:stored')]);
    const { sent, receipts } = await statementsOf([event('x.plain', 'hub:insert-only:stored')], [event('x.plain', 'hub:insert-only:beside')]);
    // The failed statement's session let go of the insert lock (the SELECT) before the transaction took it.
    assert.deepEqual(sent.slice(0, 3), ['WITH', 'SELECT', 'BEGIN']);
    assert.equal(sent.at(-1), 'COMMIT');
    assert.deepEqual(receipts[0], [{ id: stored!.id, seq: stored!.seq, deduped: true }]);
    assert.equal(receipts[1]![0]!.deduped, false);
    assert.deepEqual(await advisoryLocksHeld(), [], 'no session keeps a log lock after the failed statement');
  });

  test('inserts, then waits to commit until the append ahead of it is visible', async () => {
    // Another append still committing: it holds the commit lock.
    const ahead = new pg.Client({ connectionString: suite.database.url });
    await ahead.connect();
    await ahead.query('BEGIN');
    await ahead.query('SELECT pg_advisory_xact_lock($1)', [logCommitLockKey]);
    const appended = appender.append([event('x.behind'), event('x.behind')]);
    await until('the append waiting on the commit lock', async () => (await advisoryLocksHeld()).includes(`${logCommitLockKey} waiting`) || undefined);
    // Its rows are in (it waits at the end of its insert), not yet visible.
    assert.equal((await eventsPerTransaction('x.behind')).length, 0);
    await ahead.query('COMMIT');
    await ahead.end();
    assert.equal((await appended).length, 2);
    assert.deepEqual(await eventsPerTransaction('x.behind'), [2]);
    assert.deepEqual(await advisoryLocksHeld(), []);
  });

  test('an event a view folds or guards, a key twice, or a command takes a transaction', async () => {
    for (const requests of [[[event('x.folded')]], [[event('x.guarded')]], [[event('x.plain', 'hub:insert-only:twice')], [event('x.plain', 'hub:insert-only:twice')]]]) {
      const { sent } = await statementsOf(...requests);
      assert.equal(sent[0], 'BEGIN', `${requests.flat().map((e) => e.type).join(', ')}: ${sent.join(' ')}`);
    }
    statements.length = 0;
    await appender.execute(async () => [event('x.plain')]);
    assert.equal(statements[0], 'BEGIN');
  });
});

describe('reactions', () => {
  // A chain: each x.chain event below its `until` makes the next; x.ping makes one x.pong per target.
  const reacting: Projection = {
    name: 'reacts-in-chains',
    async apply() {},
    async react(_trx, event) {
      const { root, step, until, target } = event.data as { root?: string; step?: number; until?: number; target?: string };
      if (event.type === 'x.chain' && step! < until!) {
        return [newEvent({ type: 'x.chain', data: { root, step: step! + 1, until }, actor: 'hub', idempotencyKey: `hub:chain:${root}:${step! + 1}` })];
      }
      // Each pong names the ping that caused it: derived again, the same key comes with other data.
      if (event.type === 'x.ping') return [newEvent({ type: 'x.pong', data: { target, cause: event.id }, actor: 'hub', idempotencyKey: `hub:pong:${target}` })];
      return [];
    },
  };
  let hub: TestHub;
  before(async () => {
    hub = await testHub(suite.database.url, {}, [reacting]);
  });
  after(() => hub?.close());

  async function stepsOf(type: string, field: string, value: string): Promise<number[]> {
    const { rows } = await sql<{ step: number }>`SELECT (data->>'step')::int AS step FROM events WHERE type = ${type} AND data->>${field} = ${value} ORDER BY seq`.execute(hub.db);
    return rows.map((r) => r.step);
  }

  test('a reaction to a reaction is appended too, four levels deep, in the same transaction', async () => {
    await hub.appender.append([newEvent({ type: 'x.chain', data: { root: 'deep', step: 0, until: 4 }, actor: 'hub' })]);
    assert.deepEqual(await stepsOf('x.chain', 'root', 'deep'), [0, 1, 2, 3, 4]);
    const { rows } = await sql<{ n: number }>`SELECT count(DISTINCT xmin::text)::int AS n FROM events WHERE data->>'root' = 'deep'`.execute(hub.db);
    assert.equal(rows[0]!.n, 1, 'the cause and its reactions commit together');
  });

  test('a chain deeper than four levels is cut: its request fails and none of it is written', async () => {
    await assert.rejects(hub.appender.append([newEvent({ type: 'x.chain', data: { root: 'endless', step: 0, until: 1000 }, actor: 'hub' })]), /deeper than 4 levels/);
    assert.deepEqual(await stepsOf('x.chain', 'root', 'endless'), []);
  });

  test('a reaction that already happened is not appended again, across requests or within one, whatever its data says the second time', async () => {
    await hub.appender.append([newEvent({ type: 'x.ping', data: { target: 'once' }, actor: 'hub' })]);
    await hub.appender.append([newEvent({ type: 'x.ping', data: { target: 'once' }, actor: 'hub' }), newEvent({ type: 'x.ping', data: { target: 'twice' }, actor: 'hub' }), newEvent({ type: 'x.ping', data: { target: 'twice' }, actor: 'hub' })]);
    const { rows } = await sql<{ target: string; n: number }>`SELECT data->>'target' AS target, count(*)::int AS n FROM events WHERE type = 'x.pong' GROUP BY 1 ORDER BY 1`.execute(hub.db);
    assert.deepEqual(rows.map((r) => [r.target, r.n]), [['once', 1], ['twice', 1]]);
  });
});
