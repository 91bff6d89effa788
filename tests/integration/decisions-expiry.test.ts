import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { expireDecision } from '../../server/decisions/commands.ts';
import { decisionsProjection } from '../../server/decisions/projection.ts';
import { readAfter } from '../../server/log/read-after.ts';
import { ManualClock } from '../helpers/clock.ts';
import { type TestDatabase, testDatabase } from '../helpers/database.ts';
import { ask, bearer, call, eventTypes, resolve } from '../helpers/decisions.ts';
import { type TestHub, testHub } from '../helpers/hub.ts';
import { assertProblem } from '../helpers/problem.ts';

let database: TestDatabase;
let hub: TestHub;
let second: TestHub;
const clock = new ManualClock();
const byHand = { timers: { tickMs: 3_600_000 } };

before(async () => {
  database = await testDatabase();
  hub = await testHub(database.url, byHand, [], clock);
  second = await testHub(database.url, byHand, [], clock);
});
after(async () => {
  await second?.close();
  await hub?.close();
  await database?.drop();
});

const minute = 60_000;
const view = async (id: string) => (await call(hub, 'GET', `/decisions/${id}`)).body;

describe('decision deadlines', () => {
  for (const [onTimeout, outcome] of [['deny', 'deny'], ['approve', 'approve']] as const) {
    test(`onTimeout ${onTimeout}: nothing before the deadline, then expired with outcome ${outcome}`, async () => {
      const { id } = await ask(hub, { expiresInSec: 60, onTimeout });
      clock.advance(minute - 1000);
      assert.equal(await hub.timers.tick(), true);
      assert.equal((await view(id)).status, 'pending');
      clock.advance(1000);
      await hub.timers.tick();
      const expired = await view(id);
      assert.deepEqual([expired.status, expired.outcome, expired.resolvedBy, expired.escalatedTo], ['expired', outcome, null, null]);
      assert.equal(expired.resolvedAt !== null, true);
      assert.deepEqual(await eventTypes(hub, id), ['decision.requested', 'decision.expired']);
      const { rows } = await sql<any>`select data, actor from events where decision_id = ${id} and type = 'decision.expired'`.execute(hub.db);
      assert.deepEqual([rows[0].data, rows[0].actor], [{ outcome, onTimeout }, 'hub']);
    });
  }

  test('onTimeout escalate: expired as escalated, and a new decision asks again at high risk', async () => {
    const agent = bearer(await hub.mint('agent', 'agt_esc'));
    const taskId = (await call(hub, 'POST', '/tasks', { title: 'Tidy the tables', agentId: 'agt_esc' })).body.id;
    const asked = await ask(hub, { title: 'Drop the table?', context: 'it is big', options: ['drop', 'keep'], risk: 'medium', expiresInSec: 60, onTimeout: 'escalate', taskId }, agent);
    clock.advance(minute);
    await hub.timers.tick();
    const old = await view(asked.id);
    assert.deepEqual([old.status, old.outcome], ['expired', 'escalated']);
    assert.match(old.escalatedTo, /^dec_[A-Za-z0-9]+$/);
    const next = await view(old.escalatedTo);
    assert.deepEqual(
      { ...next, id: undefined, context: undefined, createdAt: undefined },
      {
        id: undefined, title: 'Escalated: Drop the table?', context: undefined, options: ['drop', 'keep'], risk: 'high', status: 'pending', outcome: null,
        approvals: [], resolvedBy: null, comment: null, expiresAt: new Date(clock.now().getTime() + hub.config.decisions.defaultExpiresInSec * 1000).toISOString(),
        onTimeout: 'deny', agentId: 'agt_esc', taskId, requestedBy: 'hub', createdAt: undefined, resolvedAt: null, escalatedTo: null, projectId: 'default', tool: null,
      },
    );
    assert.match(next.context, new RegExp(`${asked.id}[\\s\\S]*it is big`));
    // The escalation is logged as caused by the expiry.
    const { rows } = await sql<any>`select e.causation_id, x.id as expired_id from events e, events x
      where e.decision_id = ${next.id} and x.decision_id = ${asked.id} and x.type = 'decision.expired'`.execute(hub.db);
    assert.equal(rows[0].causation_id, rows[0].expired_id);
    // The asking agent may wait on the decision opened in its place.
    await resolve(hub, next.id, 'keep');
    assert.equal((await call(hub, 'GET', `/decisions/${next.id}/wait?timeout=1`, undefined, agent)).body.outcome, 'keep');
  });

  test('an escalated red decision stays red', async () => {
    const { id } = await ask(hub, { risk: 'red', expiresInSec: 60, onTimeout: 'escalate' });
    clock.advance(minute);
    await hub.timers.tick();
    assert.equal((await view((await view(id)).escalatedTo)).risk, 'red');
  });

  test('ticking twice appends one expiry and one escalation', async () => {
    const { id } = await ask(hub, { expiresInSec: 60, onTimeout: 'escalate' });
    clock.advance(minute);
    await hub.timers.tick();
    await hub.timers.tick();
    assert.deepEqual(await eventTypes(hub, id), ['decision.requested', 'decision.expired']);
    const { rows } = await sql<{ n: number }>`select count(*)::int as n from events where idempotency_key = ${`decision:${id}:escalation`}`.execute(hub.db);
    assert.equal(rows[0]!.n, 1);
  });

  test('two hubs on one database ticking at once append one expiry and one escalation', async () => {
    const ids = await Promise.all(Array.from({ length: 5 }, () => ask(hub, { expiresInSec: 60, onTimeout: 'escalate' }).then((d) => d.id as string)));
    clock.advance(minute);
    await Promise.all([hub.timers.tick(), second.timers.tick(), hub.timers.tick(), second.timers.tick()]);
    await Promise.all([hub.timers.tick(), second.timers.tick()]);
    for (const id of ids) {
      assert.deepEqual(await eventTypes(hub, id), ['decision.requested', 'decision.expired']);
      const { rows } = await sql<{ n: number }>`select count(*)::int as n from decisions where title = 'Escalated: Deploy to production?' and context like ${`%${id}%`}`.execute(hub.db);
      assert.equal(rows[0]!.n, 1, `one escalation of ${id}`);
    }
  });

  test('two hubs expiring one decision at once, past the timer lock, append one expiry and one escalation', async () => {
    const { id } = await ask(hub, { expiresInSec: 60, onTimeout: 'escalate' });
    clock.advance(minute);
    const now = clock.now();
    const appended = await Promise.all([hub.appender, second.appender, hub.appender].map((appender) => expireDecision(appender, id, now, 3600)));
    assert.deepEqual(appended.sort(), [0, 0, 2]);
    assert.deepEqual(await eventTypes(hub, id), ['decision.requested', 'decision.expired']);
    assert.equal((await view((await view(id)).escalatedTo)).status, 'pending');
  });

  test('a client using the key strings of a deadline through POST /events does not stop the deadline', async () => {
    const { id } = await ask(hub, { expiresInSec: 60, onTimeout: 'escalate' });
    for (const kind of ['expired', 'escalation']) {
      assert.equal((await call(hub, 'POST', '/events', { type: 'x.squat', data: {}, idempotencyKey: `decision:${id}:${kind}` })).status, 201);
    }
    clock.advance(minute);
    await hub.timers.tick();
    await hub.timers.tick();
    const expired = await view(id);
    assert.deepEqual([expired.status, expired.outcome], ['expired', 'escalated']);
    assert.equal((await view(expired.escalatedTo)).status, 'pending');
    assert.deepEqual(await eventTypes(hub, id), ['decision.requested', 'decision.expired']);
  });

  test('an agent waiting gets the expired view', async () => {
    const agent = bearer(await hub.mint('agent', 'agt_expiring'));
    const { id } = await ask(hub, { expiresInSec: 60 }, agent);
    const waiting = call(hub, 'GET', `/decisions/${id}/wait?timeout=30`, undefined, agent);
    for (let waited = 0; hub.fanout.subscriberCount === 0 && waited < 5000; waited += 10) await new Promise((r) => setTimeout(r, 10));
    const started = Date.now();
    clock.advance(minute);
    await hub.timers.tick();
    const res = await waiting;
    // Far below the wait's 30 s timeout, with room for a loaded machine.
    assert.ok(Date.now() - started < 10_000, `took ${Date.now() - started} ms`);
    assert.deepEqual([res.status, res.body.status, res.body.outcome], [200, 'expired', 'deny']);
  });

  test('a wait on one hub hears a resolution made on another', async () => {
    const { id } = await ask(hub, {});
    const waiting = call(second, 'GET', `/decisions/${id}/wait?timeout=30`);
    for (let waited = 0; second.fanout.subscriberCount === 0 && waited < 5000; waited += 10) await new Promise((r) => setTimeout(r, 10));
    const started = Date.now();
    await resolve(hub, id, 'approve');
    const res = await waiting;
    assert.ok(Date.now() - started < 10_000, `took ${Date.now() - started} ms of a 30 s wait`);
    assert.deepEqual([res.status, res.body.outcome], [200, 'approve']);
  });

  test('resolving an expired decision is a 409', async () => {
    const { id } = await ask(hub, { expiresInSec: 60 });
    clock.advance(minute);
    await hub.timers.tick();
    assertProblem(await resolve(hub, id, 'approve'), 409, 'conflict', /expired.*onTimeout \(deny\).*"deny"/);
  });

  test('resolving after the deadline, before the timer ran, is a 409: the deadline wins', async () => {
    const { id } = await ask(hub, { expiresInSec: 60, onTimeout: 'approve' });
    clock.advance(minute);
    assertProblem(await resolve(hub, id, 'deny'), 409, 'conflict', /passed its deadline/);
    await hub.timers.tick();
    assert.equal((await view(id)).outcome, 'approve');
  });

  test('an answered decision does not expire', async () => {
    const { id } = await ask(hub, { expiresInSec: 60 });
    await resolve(hub, id, 'approve');
    clock.advance(minute);
    await hub.timers.tick();
    assert.deepEqual([(await view(id)).status, (await view(id)).outcome], ['resolved', 'approve']);
  });
});

describe('the decisions view', () => {
  test('folding the whole log again gives the same rows', async () => {
    // Some of every kind: policy approvals, red approvals, answers, expiries and escalations are above.
    const { id } = await ask(hub, { risk: 'red' }, bearer(hub.adminToken));
    await resolve(hub, id, 'approve');
    const rows = async (db: typeof hub.db) => (await sql`select * from decisions order by id`.execute(db)).rows;
    const before = await rows(hub.db);
    assert.ok(before.length > 10);
    const projection = decisionsProjection();
    const rebuilt = await hub.db
      .transaction()
      .execute(async (trx) => {
        await sql`delete from decisions`.execute(trx);
        for (let after = 0; ; ) {
          const { frames } = await readAfter(trx, after, { limit: 500, maxBytes: 4 * 1024 * 1024 });
          if (frames.length === 0) break;
          for (const frame of frames) await projection.apply(trx, JSON.parse(frame.wire));
          after = frames.at(-1)!.seq;
        }
        const result = await rows(trx);
        throw Object.assign(new Error('roll back'), { result });
      })
      .catch((error: { result?: unknown[] }) => {
        if (!error.result) throw error;
        return error.result;
      });
    assert.deepEqual(rebuilt, before);
    assert.deepEqual(projection.tables, ['decisions']);
  });
});
