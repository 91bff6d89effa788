import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { budgetProjection } from '../../server/budget/projection.ts';
import { newEvent } from '../../server/log/new-event.ts';
import { hubSuite } from '../helpers/hub-suite.ts';
import { assertHubProblem, countEvents } from '../helpers/problem.ts';
import { bearer } from '../helpers/hub.ts';
import { rebuildViews } from '../../server/log/rebuild.ts';

const suite = hubSuite({ budgets: { agentUsd: 1, taskUsd: 2, globalDailyUsd: 5, warnAt: 0.8 } });
before(async () => {
  await suite.ready();
  // These tests are about agents and tasks: lift today's global budget out of the way (budgets-global.test.ts tests it).
  assert.equal((await suite.hub.post('/budgets', { scope: 'global', limitUsd: 1000 })).status, 200);
});

const problem = assertHubProblem;

/** An agent with a token, as the runs post them. */
async function agent(id: string) {
  const headers = bearer(await suite.hub.mint('agent', id));
  assert.equal((await suite.hub.post(`/agents/${id}/heartbeat`, {}, headers)).status, 200);
  return {
    start: (estimatedCostUsd: number, taskId?: string) => suite.hub.post('/events', { type: 'run.started', data: { model: 'm', estimatedCostUsd }, ...(taskId ? { taskId } : {}) }, headers),
    async complete(costUsd: number, taskId?: string): Promise<void> {
      const res = await suite.hub.post('/events', { type: 'run.completed', data: { tokensIn: 10, tokensOut: 10, costUsd }, ...(taskId ? { taskId } : {}) }, headers);
      assert.equal(res.status, 201, JSON.stringify(res.body));
    },
  };
}

async function eventsOf(type: string, subject: { agentId?: string; taskId?: string }): Promise<any[]> {
  const column = subject.agentId !== undefined ? 'agent_id' : 'task_id';
  const { rows } = await sql<{ data: any }>`select data from events where type = ${type} and ${sql.ref(column)} = ${subject.agentId ?? subject.taskId} order by seq`.execute(suite.hub.db);
  return rows.map((r) => r.data);
}

const view = async (id: string) => (await suite.hub.get(`/agents/${id}`)).body;

describe('the agent budget', () => {
  test('spend past 80% of the limit logs one budget.warning', async () => {
    const a = await agent('agt_warn');
    await a.complete(0.5);
    assert.deepEqual(await eventsOf('budget.warning', { agentId: 'agt_warn' }), []);
    await a.complete(0.3);
    await a.complete(0.05);
    assert.deepEqual(await eventsOf('budget.warning', { agentId: 'agt_warn' }), [{ scope: 'agent', scopeId: 'agt_warn', spentUsd: 0.8, limitUsd: 1 }]);
    const v = await view('agt_warn');
    assert.deepEqual([v.spentUsd, v.budgetUsd, v.status], [0.85, 1, 'running']);
  });

  test('spend reaching the limit exceeds it and pauses the agent; its next run is refused with 402', async () => {
    const a = await agent('agt_over');
    await a.complete(1);
    assert.equal((await eventsOf('budget.exceeded', { agentId: 'agt_over' })).length, 1);
    const paused = await eventsOf('agent.paused', { agentId: 'agt_over' });
    assert.deepEqual(paused, [{ reason: 'budget', by: 'hub' }]);
    assert.deepEqual([(await view('agt_over')).status, (await view('agt_over')).pausedReason], ['paused', 'budget']);
    const before = await countEvents(suite.hub.db);
    problem(await a.start(0.01), 402, 'budget_exceeded', /agent "agt_over" is paused by its budget.*1 of 1 USD.*POST \/budgets.*POST \/agents\/agt_over\/resume/);
    assert.equal(await countEvents(suite.hub.db), before, 'the refused run is not logged');
  });

  test('raising the limit lifts the exceedance, resumes the agent and lets it run', async () => {
    const a = await agent('agt_raise');
    await a.complete(1.2);
    problem(await a.start(0.1), 402, 'budget_exceeded', /paused by its budget/);
    const res = await suite.hub.post('/budgets', { scope: 'agent', scopeId: 'agt_raise', limitUsd: 3 });
    assert.equal(res.status, 200);
    assert.deepEqual(res.body, { scope: 'agent', scopeId: 'agt_raise', spentUsd: 1.2, limitUsd: 3, warned: false, exceeded: false, overridden: false });
    assert.deepEqual(await eventsOf('agent.resumed', { agentId: 'agt_raise' }), [{ reason: 'budget', by: 'hub' }]);
    assert.deepEqual([(await view('agt_raise')).status, (await view('agt_raise')).budgetUsd], ['running', 3]);
    assert.equal((await a.start(0.5)).status, 201);
  });

  test('an operator resume overrides the limit: runs go on, and no new exceedance pauses it', async () => {
    const a = await agent('agt_override');
    await a.complete(1);
    assert.equal((await suite.hub.post('/agents/agt_override/resume', {})).status, 200);
    assert.equal((await a.start(0.5)).status, 201);
    await a.complete(0.5);
    assert.equal((await view('agt_override')).status, 'running');
    const budgets = (await suite.hub.get('/budgets')).body.budgets;
    assert.deepEqual(
      budgets.find((b: any) => b.scope === 'agent' && b.scopeId === 'agt_override'),
      { scope: 'agent', scopeId: 'agt_override', spentUsd: 1.5, limitUsd: 1, warned: true, exceeded: false, overridden: true },
    );
  });

  test('a run whose estimate would go over the limit is refused up front', async () => {
    const a = await agent('agt_upfront');
    await a.complete(0.7);
    problem(await a.start(0.5), 402, 'budget_exceeded', /refused up front.*0\.5 USD would take the budget of agent "agt_upfront" to 1\.2 USD, over its limit of 1 USD \(spent 0\.7\)/);
    assert.equal((await a.start(0.3)).status, 201);
  });

  test('a lowered limit under the spend exceeds it at once and pauses the agent', async () => {
    const a = await agent('agt_lowered');
    await a.complete(0.4);
    const res = await suite.hub.post('/budgets', { scope: 'agent', scopeId: 'agt_lowered', limitUsd: 0.3 });
    assert.deepEqual([res.body.exceeded, res.body.warned], [true, true]);
    assert.equal((await view('agt_lowered')).pausedReason, 'budget');
    problem(await a.start(0), 402, 'budget_exceeded', /paused by its budget/);
  });
});

describe('the task budget', () => {
  test('spend on a task from several agents warns, exceeds, pauses, and a raise resumes', async () => {
    const spawned = (id: string) => [
      newEvent({ type: 'agent.spawn_requested', data: { name: id, template: 't', taskId: 'tsk_shared' }, actor: 'hub', agentId: id }),
      newEvent({ type: 'agent.spawned', data: { runner: 'test' }, actor: 'hub', agentId: id }),
    ];
    await suite.hub.appender.append([...spawned('agt_t1'), ...spawned('agt_t2'), ...spawned('agt_t3')]);
    const [t1, t2, t3] = [await agent('agt_t1'), await agent('agt_t2'), await agent('agt_t3')];
    await t1.complete(0.9, 'tsk_shared');
    await t2.complete(0.8, 'tsk_shared');
    assert.deepEqual(await eventsOf('budget.warning', { taskId: 'tsk_shared' }), [{ scope: 'task', scopeId: 'tsk_shared', spentUsd: 1.7, limitUsd: 2 }]);
    // Each agent stays under its own limit of 1; together they reach the task's 2.
    await t3.complete(0.3, 'tsk_shared');
    assert.equal((await eventsOf('budget.exceeded', { taskId: 'tsk_shared' })).length, 1);
    assert.equal((await view('agt_t3')).pausedReason, 'budget');
    problem(await t1.start(0.01, 'tsk_shared'), 402, 'budget_exceeded', /budget of task "tsk_shared" is exceeded: spent 2 of 2 USD.*"scope":"task","scopeId":"tsk_shared"/);

    const res = await suite.hub.post('/budgets', { scope: 'task', scopeId: 'tsk_shared', limitUsd: 10 });
    assert.deepEqual(res.body, { scope: 'task', scopeId: 'tsk_shared', spentUsd: 2, limitUsd: 10, warned: false, exceeded: false, overridden: false });
    assert.equal((await view('agt_t3')).status, 'running');
    assert.equal((await t2.start(0.01, 'tsk_shared')).status, 201);
    assert.equal((await t1.start(0.01, 'tsk_shared')).status, 201);
  });
});

describe('POST /budgets and GET /budgets', () => {
  test('a global limit defaults to today (UTC)', async () => {
    const res = await suite.hub.post('/budgets', { scope: 'global', limitUsd: 1000 });
    assert.deepEqual([res.status, res.body.scopeId, res.body.limitUsd], [200, new Date().toISOString().slice(0, 10), 1000]);
  });

  test('appends budget.limit_changed by the operator', async () => {
    await agent('agt_limit');
    await suite.hub.post('/budgets', { scope: 'agent', scopeId: 'agt_limit', limitUsd: 4.5 });
    const [changed] = await eventsOf('budget.limit_changed', { agentId: 'agt_limit' });
    assert.deepEqual({ ...changed, by: typeof changed.by }, { scope: 'agent', scopeId: 'agt_limit', limitUsd: 4.5, by: 'string' });
    assert.match(changed.by, /^operator:/);
  });

  test('an unknown agent or task is a 404', async () => {
    problem(await suite.hub.post('/budgets', { scope: 'agent', scopeId: 'agt_nobody', limitUsd: 1 }), 404, 'not_found', /no agent "agt_nobody"/);
    problem(await suite.hub.post('/budgets', { scope: 'task', scopeId: 'tsk_nobody', limitUsd: 1 }), 404, 'not_found', /no task "tsk_nobody"/);
  });

  test('a bad body is a 400 that says what to fix', async () => {
    problem(await suite.hub.post('/budgets', { scope: 'agent', limitUsd: 1 }), 400, 'validation_failed', /\/scopeId is required for a agent budget/);
    problem(await suite.hub.post('/budgets', { scope: 'team', scopeId: 'x', limitUsd: 1 }), 400, 'validation_failed', /\/scope must be one of: agent, task, global/);
    problem(await suite.hub.post('/budgets', { scope: 'task', scopeId: 'tsk_shared', limitUsd: -1 }), 400, 'validation_failed', /\/limitUsd must be >= 0/);
    problem(await suite.hub.post('/budgets', { scope: 'global', scopeId: '2026-13-40', limitUsd: 1 }), 400, 'validation_failed', /UTC date YYYY-MM-DD/);
    problem(await suite.hub.post('/budgets', { scope: 'global' }), 400, 'validation_failed', /must have required property 'limitUsd'/);
  });

  test('agent and viewer tokens may not set limits: 403', async () => {
    problem(await suite.hub.post('/budgets', { scope: 'global', limitUsd: 1 }, bearer(await suite.hub.mint('viewer'))), 403, 'forbidden', /viewer token may not call POST \/budgets/);
    problem(await suite.hub.post('/budgets', { scope: 'global', limitUsd: 1 }, bearer(await suite.hub.mint('agent', 'agt_greedy'))), 403, 'forbidden', /agent token may not call POST \/budgets/);
  });

  test('GET /budgets lists every budget with its effective limit', async () => {
    const res = await suite.hub.get('/budgets', bearer(await suite.hub.mint('viewer')));
    assert.equal(res.status, 200);
    const warn = res.body.budgets.find((b: any) => b.scope === 'agent' && b.scopeId === 'agt_warn');
    assert.deepEqual(warn, { scope: 'agent', scopeId: 'agt_warn', spentUsd: 0.85, limitUsd: 1, warned: true, exceeded: false, overridden: false });
    assert.ok(res.body.budgets.some((b: any) => b.scope === 'global' && b.limitUsd === 1000));
  });
});

describe('the budget view folds from the log alone', () => {
  test('folding the whole log again gives the same rows', async () => {
    const projection = budgetProjection(suite.hub.config.budgets);
    const query = (db: typeof suite.hub.db) => db.selectFrom('budgets').selectAll().orderBy('scope').orderBy('scope_id').execute();
    const live = await query(suite.hub.db);
    await rebuildViews(suite.hub.db, [projection]);
    const refolded = await query(suite.hub.db);
    assert.ok(live.length > 5);
    assert.deepEqual(refolded, live);
  });
});
