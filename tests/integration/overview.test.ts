// GET /overview: each figure of the dashboard's landing view against a seeded fleet on a real
// PostgreSQL; the event counts against a plain count by `recorded_at`; one project's overview and a
// project-scoped token's; the roles that may not read it; the answer against the contract.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { before, describe, test } from 'node:test';
import { sql } from 'kysely';
import type { Overview } from '../../server/client/views.ts';
import { newEvent } from '../../server/log/new-event.ts';
import { registeredAgent } from '../helpers/agents.ts';
import { ask } from '../helpers/decisions.ts';
import { healerCallback } from '../helpers/healer-callback.ts';
import { assertMatchesContract } from '../helpers/contract-schema.ts';
import { bearer } from '../helpers/hub.ts';
import { hubSuite } from '../helpers/hub-suite.ts';

// No agent turns stale by the clock while a test counts: staleness here is appended on purpose.
const suite = hubSuite({ projects: { shop: {} }, agents: { staleAfterMs: 3_600_000 } });

const overview = async (query = '', headers = suite.hub.auth): Promise<Overview> => {
  const res = await suite.hub.get(`/overview${query}`, headers);
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body as Overview;
};

const asHub = (type: string, agentId: string, data: Record<string, unknown>) => suite.hub.appender.append([newEvent({ type, data, actor: 'hub', agentId })]);

const utcDay = (offsetDays: number) => new Date(Date.now() + offsetDays * 86_400_000).toISOString().slice(0, 10);

/** Events recorded in the last `seconds` before `at`, counted the plain way: a scan by `recorded_at`. */
async function recordedWithin(seconds: number, at: string): Promise<number> {
  const { rows } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM events WHERE recorded_at >= ${at}::timestamptz - make_interval(secs => ${seconds}) AND recorded_at <= ${at}::timestamptz`.execute(suite.hub.db);
  return rows[0]!.n;
}

let firstPendingAt: string;
let failureId: string;

before(async () => {
  await suite.ready();
  // History from before the window: the log's first rows, as if recorded two hours and ten
  // minutes ago (written directly: the hub only records the present).
  const { rows } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM events`.execute(suite.hub.db);
  assert.equal(rows[0]!.n, 0, 'a fresh log, so the backdated events come first');
  for (const [ago, n] of [['2 hours', 2], ['10 minutes', 3]] as const) {
    for (let i = 0; i < n; i++) {
      const key = `test:backdated:${ago}:${i}`;
      await sql`INSERT INTO events (id, type, actor, idempotency_key, payload_hash, data, recorded_at)
                VALUES (${`evt_old_${randomBytes(6).toString('hex')}`}, 'x.backdated', 'hub', ${key}, ${key}, '{}'::jsonb, now() - ${ago}::interval)`.execute(suite.hub.db);
    }
  }

  // The fleet: running, paused, failed, waiting on a decision, stale.
  const runner = await registeredAgent(suite.hub, 'agt_run', { name: 'runner-1' });
  await registeredAgent(suite.hub, 'agt_pause', { name: 'pauser' });
  assert.equal((await suite.hub.post('/agents/agt_pause/pause', {})).status, 200);
  const failing = await registeredAgent(suite.hub, 'agt_fail', { name: 'importer' });
  const failed = await suite.hub.post('/events', { type: 'agent.failed', data: { code: 1, error: 'disk full' } }, failing);
  assert.equal(failed.status, 201, JSON.stringify(failed.body));
  failureId = failed.body.id;
  const waiting = await registeredAgent(suite.hub, 'agt_wait', { name: 'migrator' });
  await registeredAgent(suite.hub, 'agt_stale', { name: 'quiet one' });
  await asHub('agent.stale', 'agt_stale', { lastSeenAt: new Date().toISOString() });

  // Decisions of each risk: low is approved by policy at once, one high is answered.
  firstPendingAt = (await ask(suite.hub, { title: 'Apply the migration?', risk: 'medium' }, waiting)).createdAt;
  await ask(suite.hub, { title: 'Regenerate the lockfile?', risk: 'low' });
  await ask(suite.hub, { title: 'Force-push?', risk: 'high' });
  await ask(suite.hub, { title: 'Rotate the keys?', risk: 'high' });
  const answered = await ask(suite.hub, { title: 'Bump lodash?', risk: 'high' });
  assert.equal((await suite.hub.post(`/decisions/${answered.id}/resolve`, { outcome: 'deny' })).status, 200);
  await ask(suite.hub, { title: 'Drop the table?', risk: 'red' });

  // Spend: two runs today, a limit of today's own, and a corrected spend yesterday.
  for (const costUsd of [1.25, 0.5]) {
    assert.equal((await suite.hub.post('/events', { type: 'run.started', data: { model: 'm', estimatedCostUsd: costUsd } }, runner)).status, 201);
    assert.equal((await suite.hub.post('/events', { type: 'run.completed', data: { model: 'm', tokensIn: 1, tokensOut: 1, costUsd } }, runner)).status, 201);
  }
  assert.equal((await suite.hub.post('/budgets', { scope: 'global', limitUsd: 40 })).status, 200);
  assert.equal((await suite.hub.post('/budgets/correct', { scope: 'global', scopeId: utcDay(-1), spentUsd: 3.5, reason: 'seeded' })).status, 200);

  // The healer: the failure escalated (which opens a high decision), then fixed.
  await healerCallback(suite.hub.url, 'heal.escalated', { failureEventId: failureId, reason: 'no playbook matched "disk full"', attempts: 0 });
  await healerCallback(suite.hub.url, 'heal.completed', { failureEventId: failureId, playbook: 'free-disk', action: 'respawn', attempts: 1 });
});

describe('GET /overview', () => {
  test('counts pending decisions by risk, with the oldest one asked', async () => {
    const { decisions } = await overview();
    assert.deepEqual(decisions.byRisk, { low: 0, medium: 1, high: 3, red: 1 }, 'two high asked and open, one opened by the escalation');
    assert.equal(decisions.pending, 5);
    assert.equal(decisions.oldestPendingAt, firstPendingAt);
    const listed = (await suite.hub.get('/decisions?status=pending')).body.decisions as Array<{ risk: string }>;
    assert.equal(listed.length, decisions.pending, 'as many as the inbox lists');
  });

  test('counts the fleet by status and lists who needs a look, failed first', async () => {
    const { agents } = await overview();
    const { attention, ...counts } = agents;
    assert.deepEqual(counts, { total: 5, running: 1, waiting: 1, paused: 1, stale: 1, lost: 0, failedLastHour: 1 });
    assert.deepEqual(
      attention.map((a) => [a.id, a.status, a.reason]),
      [
        ['agt_fail', 'failed', 'disk full'],
        ['agt_wait', 'awaiting_decision', 'waits on "Apply the migration?" (medium)'],
        ['agt_stale', 'stale', 'no heartbeat or event for over 60 min'],
      ],
    );
    const pending = (await suite.hub.get('/agents/agt_wait')).body.pendingDecisionId;
    assert.equal(attention[1]!.decisionId, pending);
    assert.equal(attention[0]!.name, 'importer');
    assert.ok(attention.every((a) => a.since !== null && Date.parse(a.since) <= Date.now()));
  });

  test("gives today's spend against the day's limit, and the last seven days", async () => {
    const { spend } = await overview();
    assert.ok(spend);
    assert.equal(spend.todayUsd, 1.75);
    assert.equal(spend.dailyLimitUsd, 40);
    assert.deepEqual(
      spend.lastDays.map((d) => d.day),
      [-6, -5, -4, -3, -2, -1, 0].map(utcDay),
    );
    assert.deepEqual(
      spend.lastDays.map((d) => d.usd),
      [0, 0, 0, 0, 0, 3.5, 1.75],
    );
  });

  test('counts the events of the last minute and hour as a scan by recorded_at does', async () => {
    const { events, generatedAt } = await overview();
    assert.equal(events.lastHour, await recordedWithin(3600, generatedAt));
    assert.equal(events.lastMinute, await recordedWithin(60, generatedAt));
    const { rows } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM events`.execute(suite.hub.db);
    assert.equal(events.lastHour, rows[0]!.n - 2, 'all but the two of two hours ago');
    assert.equal(events.lastMinute, events.lastHour - 3, 'and not the three of ten minutes ago');
  });

  test('lists the last failures and heals, newest first', async () => {
    const { recent } = await overview();
    assert.deepEqual(
      recent.failures.map((f) => [f.id, f.agentId, f.agentName, f.error]),
      [[failureId, 'agt_fail', 'importer', 'disk full']],
    );
    assert.deepEqual(
      recent.heals.map((h) => [h.type, h.agentId, h.failureEventId, h.playbook, h.action]),
      [
        ['heal.completed', 'agt_fail', failureId, 'free-disk', 'respawn'],
        ['heal.escalated', 'agt_fail', failureId, null, null],
      ],
    );
    assert.match(recent.heals[1]!.reason ?? '', /no playbook matched/);
    assert.ok(recent.heals[1]!.decisionId?.startsWith('dec_'));
  });

  test('answers what the contract describes', async () => {
    for (const body of [await overview(), await overview('', bearer(await scopedToken('viewer', 'shop')))]) assertMatchesContract('Overview', body);
  });
});

/** A token of `role` that sees only `projectId`. */
async function scopedToken(role: 'operator' | 'viewer', projectId: string): Promise<string> {
  const res = await suite.hub.post('/tokens', { role, projectId }, bearer(suite.hub.adminToken));
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return res.body.token as string;
}

describe('GET /overview of one project', () => {
  before(async () => {
    await suite.ready();
    // A shop agent that failed and one still waiting for a runner, and a decision about the shop.
    for (const [id, name] of [['agt_shop_1', 'shop-importer'], ['agt_shop_2', 'shop-indexer']] as const) {
      await asHub('agent.spawn_requested', id, { template: 'shopper', name, projectId: 'shop' });
    }
    await asHub('agent.failed', 'agt_shop_1', { code: 2, error: 'cart service down' });
    assert.equal((await suite.hub.post('/decisions', { title: 'Ship the cart?', risk: 'red', projectId: 'shop' })).status, 201);
  });

  test('?project= narrows every figure but the hub-wide spend', async () => {
    const shop = await overview('?project=shop');
    assert.equal(shop.project, 'shop');
    assert.deepEqual(shop.decisions.byRisk, { low: 0, medium: 0, high: 0, red: 1 });
    const { attention, ...counts } = shop.agents;
    assert.deepEqual(counts, { total: 2, running: 0, waiting: 0, paused: 0, stale: 0, lost: 0, failedLastHour: 1 });
    assert.deepEqual(attention.map((a) => [a.id, a.reason]), [['agt_shop_1', 'cart service down']]);
    assert.deepEqual(shop.recent.failures.map((f) => f.agentId), ['agt_shop_1']);
    assert.deepEqual(shop.recent.heals, []);
    const about = (await suite.hub.get('/events?project=shop&limit=1000')).body.events as unknown[];
    assert.equal(shop.events.lastHour, about.length, "the events about the shop's agents and decisions");
    assert.equal(shop.spend?.todayUsd, 1.75, 'the daily budget is the whole hub');
    const all = await overview();
    assert.equal(all.project, null);
    assert.equal(all.agents.total, 7);
    assert.equal(all.decisions.byRisk.red, 2);
  });

  test("a project-scoped token sees its project's overview, without the hub's spend", async () => {
    const token = bearer(await scopedToken('operator', 'shop'));
    const scoped = await overview('', token);
    const asked = await overview('?project=shop');
    assert.equal(scoped.project, 'shop');
    assert.equal(scoped.spend, null, 'it may not read the budgets');
    assert.deepEqual({ ...scoped, spend: null, generatedAt: '' }, { ...asked, spend: null, generatedAt: '' });
    assert.equal((await suite.hub.get('/overview?project=default', token)).status, 403);
  });
});

describe('GET /overview refused', () => {
  test('to agent, healer, runner and coder tokens', async () => {
    for (const role of ['agent', 'healer', 'runner', 'coder'] as const) {
      const res = await suite.hub.get('/overview', bearer(await suite.hub.mint(role, role === 'agent' ? 'agt_reader' : undefined)));
      assert.equal(res.status, 403, `${role}: ${JSON.stringify(res.body)}`);
      assert.equal(res.body.code, 'forbidden');
    }
  });

  test('without a token, and with a query parameter it does not take', async () => {
    assert.equal((await suite.hub.get('/overview', {})).status, 401);
    const res = await suite.hub.get('/overview?projct=shop');
    assert.equal(res.status, 400);
    assert.match(res.body.detail, /unknown query parameter "projct"; known here: project/);
  });
});
