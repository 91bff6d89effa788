import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { agentsProjection } from '../../server/agents/projection.ts';
import { newEvent } from '../../server/log/new-event.ts';
import { hubSuite } from '../helpers/hub-suite.ts';
import type { Answer } from '../helpers/hub.ts';
import { assertHubProblem, countEvents } from '../helpers/problem.ts';
import { bearer } from '../helpers/hub.ts';
import { agentEvents, registeredAgent } from '../helpers/agents.ts';
import { rebuildViews } from '../../server/log/rebuild.ts';

const suite = hubSuite();

const problem = assertHubProblem;

const registered = (id: string, body: { name?: string } = {}) => registeredAgent(suite.hub, id, body);
const eventsOf = (agentId: string, type: string) => agentEvents(suite.hub, agentId, type);

/** Appends events only the hub writes (decisions, tasks, spawns), as the other features will. */
async function hubAppends(...events: Array<{ type: string; data: Record<string, unknown>; agentId?: string; taskId?: string; decisionId?: string }>): Promise<void> {
  await suite.hub.appender.append(events.map((e) => newEvent({ ...e, actor: 'hub' })));
}

describe('GET /agents and GET /agents/:id', () => {
  test('an agent the hub did not start registers by its first event, running and named by its id', async () => {
    const headers = bearer(await suite.hub.mint('agent', 'agt_first'));
    assert.equal((await suite.hub.post('/events', { type: 'x.hello', data: {} }, headers)).status, 201);
    const res = await suite.hub.get('/agents/agt_first');
    assert.equal(res.status, 200);
    assert.deepEqual({ ...res.body, lastSeenAt: typeof res.body.lastSeenAt }, {
      id: 'agt_first',
      name: 'agt_first',
      template: null,
      status: 'running',
      lastSeenAt: 'string',
      spentUsd: 0,
      budgetUsd: suite.hub.config.budgets.agentUsd,
      pendingDecisionId: null,
      taskId: null,
      pausedReason: null,
      runnerId: null,
      projectId: 'default',
    });
    assert.ok(Math.abs(Date.parse(res.body.lastSeenAt) - Date.now()) < 60_000);
  });

  test('the list answers { agents: [...] } with every agent', async () => {
    await registered('agt_listed');
    const res = await suite.hub.get('/agents');
    assert.equal(res.status, 200);
    assert.ok(res.body.agents.some((a: any) => a.id === 'agt_listed' && a.status === 'running'));
  });

  test('an unknown agent is a 404', async () => {
    problem(await suite.hub.get('/agents/agt_nobody'), 404, 'not_found', /no agent "agt_nobody"/);
  });

  test('a decision it asked makes it awaiting_decision; the answer makes it running', async () => {
    await registered('agt_asks');
    await hubAppends({ type: 'decision.requested', agentId: 'agt_asks', decisionId: 'dec_asks', data: { title: 't', context: '', options: ['approve', 'deny'], risk: 'high', expiresAt: new Date(Date.now() + 60_000).toISOString(), onTimeout: 'deny' } });
    const waiting = await suite.hub.get('/agents/agt_asks');
    assert.deepEqual([waiting.body.status, waiting.body.pendingDecisionId], ['awaiting_decision', 'dec_asks']);
    await hubAppends({ type: 'decision.resolved', decisionId: 'dec_asks', data: { outcome: 'approve', by: 'operator:x' } });
    const answered = await suite.hub.get('/agents/agt_asks');
    assert.deepEqual([answered.body.status, answered.body.pendingDecisionId], ['running', null]);
  });

  test('asking through POST /decisions and being answered through /resolve moves it there and back', async () => {
    const headers = await registered('agt_inbox');
    const asked = await suite.hub.post('/decisions', { title: 'Deploy?', context: 'prod', options: ['approve', 'deny'], risk: 'high' }, headers);
    assert.ok(asked.status < 300, JSON.stringify(asked.body));
    assert.deepEqual(pick(await suite.hub.get('/agents/agt_inbox'), 'status', 'pendingDecisionId'), ['awaiting_decision', asked.body.id]);
    assert.equal((await suite.hub.post(`/decisions/${asked.body.id}/resolve`, { outcome: 'approve' })).status, 200);
    assert.deepEqual(pick(await suite.hub.get('/agents/agt_inbox'), 'status', 'pendingDecisionId'), ['running', null]);
  });

  test('a spawn shows spawning with its name and template, then running; an exit ends it', async () => {
    await hubAppends({ type: 'agent.spawn_requested', agentId: 'agt_spawned', data: { name: 'fixer', template: 'claude' } });
    assert.deepEqual(pick(await suite.hub.get('/agents/agt_spawned'), 'status', 'name', 'template'), ['spawning', 'fixer', 'claude']);
    await hubAppends({ type: 'agent.spawned', agentId: 'agt_spawned', data: { runner: 'local' } });
    assert.equal((await suite.hub.get('/agents/agt_spawned')).body.status, 'running');
    await hubAppends({ type: 'agent.exited', agentId: 'agt_spawned', data: { code: 0 } });
    assert.equal((await suite.hub.get('/agents/agt_spawned')).body.status, 'exited');
  });

  test('an agent the hub started that reports its own failure or exit stays running; the report is kept', async () => {
    await hubAppends({ type: 'agent.spawn_requested', agentId: 'agt_liar', data: { name: 'liar', template: 'claude' } }, { type: 'agent.spawned', agentId: 'agt_liar', data: { runner: 'local' } });
    const headers = bearer(await suite.hub.mint('agent', 'agt_liar'));
    for (const report of [{ type: 'agent.failed', data: { error: 'pretend' } }, { type: 'agent.exited', data: { code: 0 } }]) {
      assert.equal((await suite.hub.post('/events', report, headers)).status, 201);
    }
    assert.equal((await suite.hub.get('/agents/agt_liar')).body.status, 'running');
    assert.deepEqual((await eventsOf('agt_liar', 'agent.failed')).map((e) => e.actor), ['agent:agt_liar']);
    assert.equal((await suite.hub.post('/agents/agt_liar/pause', {})).status, 200, 'an operator can still pause it');
  });

  test('an agent the hub did not start may still end itself', async () => {
    const headers = await registered('agt_self_ended');
    assert.equal((await suite.hub.post('/events', { type: 'agent.exited', data: { code: 0 } }, headers)).status, 201);
    assert.equal((await suite.hub.get('/agents/agt_self_ended')).body.status, 'exited');
  });

  test('task.assigned sets the task of its agent and clears it on the one before', async () => {
    await registered('agt_task_a');
    await registered('agt_task_b');
    await hubAppends({ type: 'task.assigned', taskId: 'tsk_handed', data: { agentId: 'agt_task_a' } });
    assert.equal((await suite.hub.get('/agents/agt_task_a')).body.taskId, 'tsk_handed');
    await hubAppends({ type: 'task.assigned', taskId: 'tsk_handed', data: { agentId: 'agt_task_b' } });
    assert.equal((await suite.hub.get('/agents/agt_task_a')).body.taskId, null);
    assert.equal((await suite.hub.get('/agents/agt_task_b')).body.taskId, 'tsk_handed');
  });
});

describe('POST /agents/:id/heartbeat', () => {
  test('the first heartbeat registers the agent (agent.registered once), later ones append nothing', async () => {
    const headers = await registered('agt_hb', { name: 'cli agent' });
    const before = await countEvents(suite.hub.db);
    const res = await suite.hub.post('/agents/agt_hb/heartbeat', {}, headers);
    assert.equal(res.status, 200);
    assert.deepEqual(pick(res, 'id', 'name', 'status'), ['agt_hb', 'cli agent', 'running']);
    assert.equal(await countEvents(suite.hub.db), before);
    const registrations = await eventsOf('agt_hb', 'agent.registered');
    assert.deepEqual(registrations.map((e) => e.data), [{ via: 'heartbeat', name: 'cli agent' }]);
  });

  test('works without a body: the agent is registered, running', async () => {
    const headers = bearer(await suite.hub.mint('agent', 'agt_hb_nobody'));
    const res = await fetch(`${suite.hub.url}/agents/agt_hb_nobody/heartbeat`, { method: 'POST', headers });
    assert.equal(res.status, 200);
    const body = (await res.json()) as { id: string; status: string };
    assert.deepEqual([body.id, body.status], ['agt_hb_nobody', 'running']);
    assert.deepEqual((await eventsOf('agt_hb_nobody', 'agent.registered')).map((e) => e.data), [{ via: 'heartbeat' }]);
  });

  test("another agent's heartbeat is a 403", async () => {
    const headers = bearer(await suite.hub.mint('agent', 'agt_hb_mine'));
    problem(await suite.hub.post('/agents/agt_hb_other/heartbeat', {}, headers), 403, 'forbidden', /only for its own agent \("agt_hb_mine"\)/);
  });

  test('an operator may not send heartbeats: 403', async () => {
    problem(await suite.hub.post('/agents/agt_hb/heartbeat', {}), 403, 'forbidden', /operator.*POST \/agents\/:id\/heartbeat/);
  });

  test('a bad body is a 400 that names the field', async () => {
    const headers = bearer(await suite.hub.mint('agent', 'agt_hb_bad'));
    problem(await suite.hub.post('/agents/agt_hb_bad/heartbeat', { name: 7 }, headers), 400, 'validation_failed', /\/name must be string/);
    problem(await suite.hub.post('/agents/agt_hb_bad/heartbeat', { colour: 'red' }, headers), 400, 'validation_failed', /unknown property "colour"/);
  });
});

describe('the agents view folds from the log alone', () => {
  test('folding the whole log again gives the same rows', async () => {
    const query = (db: typeof suite.hub.db) => db.selectFrom('agents').selectAll().orderBy('id').execute();
    const live = await query(suite.hub.db);
    await rebuildViews(suite.hub.db, [agentsProjection]);
    const refolded = await query(suite.hub.db);
    assert.ok(live.length > 5);
    assert.deepEqual(refolded, live);
  });
});

function pick(res: Answer, ...keys: string[]): unknown[] {
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return keys.map((k) => res.body[k]);
}
