import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { sql } from 'kysely';
import { hubSuite } from '../helpers/hub-suite.ts';
import { bearer } from '../helpers/hub.ts';
import { assertHubProblem } from '../helpers/problem.ts';

// Generous agent limits, so only the day's budget of 5 is in play.
const suite = hubSuite({ budgets: { agentUsd: 100, taskUsd: 100, globalDailyUsd: 5, warnAt: 0.8 } });

const problem = assertHubProblem;
const today = () => new Date().toISOString().slice(0, 10);

async function agent(id: string) {
  const headers = bearer(await suite.hub.mint('agent', id));
  return {
    start: (estimatedCostUsd: number) => suite.hub.post('/events', { type: 'run.started', data: { model: 'm', estimatedCostUsd } }, headers),
    async complete(costUsd: number): Promise<void> {
      assert.equal((await suite.hub.post('/events', { type: 'run.completed', data: { tokensIn: 1, tokensOut: 1, costUsd } }, headers)).status, 201);
    },
  };
}

async function globalEvents(type: string): Promise<any[]> {
  const { rows } = await sql<{ data: any }>`select data from events where type = ${type} and data->>'scope' = 'global' order by seq`.execute(suite.hub.db);
  return rows.map((r) => r.data);
}

describe("the day's global budget", () => {
  test('spend from all agents warns at 80%, refuses estimates past the limit, exceeds at 100% and pauses the last spender', async () => {
    const [a, b, c] = [await agent('agt_g1'), await agent('agt_g2'), await agent('agt_g3')];
    await a.complete(2);
    await b.complete(2);
    assert.deepEqual(await globalEvents('budget.warning'), [{ scope: 'global', scopeId: today(), spentUsd: 4, limitUsd: 5 }]);
    problem(await c.start(1.5), 402, 'budget_exceeded', new RegExp(`refused up front.*global budget for ${today()} to 5\\.5 USD, over its limit of 5 USD.*"scope":"global","limitUsd"`));
    assert.equal((await c.start(1)).status, 201);
    await c.complete(1);
    assert.deepEqual(await globalEvents('budget.exceeded'), [{ scope: 'global', scopeId: today(), spentUsd: 5, limitUsd: 5 }]);
    assert.deepEqual([(await suite.hub.get('/agents/agt_g3')).body.status, (await suite.hub.get('/agents/agt_g3')).body.pausedReason], ['paused', 'budget']);
    problem(await a.start(0), 402, 'budget_exceeded', new RegExp(`global budget for ${today()} is exceeded: spent 5 of 5 USD`));
  });

  test("raising today's limit resumes the paused agent and lets every agent run", async () => {
    const res = await suite.hub.post('/budgets', { scope: 'global', limitUsd: 20 });
    assert.deepEqual(res.body, { scope: 'global', scopeId: today(), spentUsd: 5, limitUsd: 20, warned: false, exceeded: false, overridden: false });
    assert.equal((await suite.hub.get('/agents/agt_g3')).body.status, 'running');
    assert.equal((await (await agent('agt_g1')).start(1)).status, 201);
  });

  test('a limit for another day leaves today alone', async () => {
    const res = await suite.hub.post('/budgets', { scope: 'global', scopeId: '2020-01-01', limitUsd: 0 });
    assert.deepEqual([res.status, res.body.scopeId, res.body.spentUsd], [200, '2020-01-01', 0]);
    assert.equal((await (await agent('agt_g2')).start(1)).status, 201);
  });
});

describe('an absurd cost cannot stop the hub', () => {
  test('a run.completed or run.started over 10,000 USD is refused, and the day can still be spent', async () => {
    const spender = bearer(await suite.hub.mint('agent', 'agt_absurd'));
    const before = (await suite.hub.get('/budgets')).body.budgets.find((b: any) => b.scope === 'global' && b.scopeId === today());
    problem(await suite.hub.post('/events', { type: 'run.completed', data: { tokensIn: 1, tokensOut: 1, costUsd: 1e300 } }, spender), 400, 'validation_failed', /\/data\/costUsd must be <= 10000/);
    problem(await suite.hub.post('/events', { type: 'run.started', data: { model: 'm', estimatedCostUsd: 1e300 } }, spender), 400, 'validation_failed', /\/data\/estimatedCostUsd must be <= 10000/);
    const after = (await suite.hub.get('/budgets')).body.budgets.find((b: any) => b.scope === 'global' && b.scopeId === today());
    assert.equal(after.spentUsd, before.spentUsd);
    assert.equal((await (await agent('agt_g1')).start(0.5)).status, 201);
  });
});

describe('correcting a spend', () => {
  test("an operator resets today's spend: audited, exceedance lifted, the paused agent resumed", async () => {
    await suite.hub.post('/budgets', { scope: 'global', limitUsd: 30 });
    const c = await agent('agt_fix');
    await c.complete(30 - (await suite.hub.get('/budgets')).body.budgets.find((b: any) => b.scope === 'global' && b.scopeId === today()).spentUsd);
    assert.equal((await suite.hub.get('/agents/agt_fix')).body.pausedReason, 'budget');
    problem(await c.start(0), 402, 'budget_exceeded', /paused by its budget/);

    const res = await suite.hub.post('/budgets/correct', { scope: 'global', spentUsd: 1.5, reason: 'a run reported a bogus cost' });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.deepEqual(res.body, { scope: 'global', scopeId: today(), spentUsd: 1.5, limitUsd: 30, warned: false, exceeded: false, overridden: false });
    const [corrected] = await globalEvents('budget.spend_corrected');
    assert.deepEqual({ ...corrected, by: typeof corrected.by }, { scope: 'global', scopeId: today(), spentUsd: 1.5, reason: 'a run reported a bogus cost', by: 'string' });
    assert.match(corrected.by, /^operator:/);
    assert.equal((await suite.hub.get('/agents/agt_fix')).body.status, 'running');
    assert.equal((await c.start(1)).status, 201);
  });

  test('a corrected budget warns and exceeds again when spend crosses its lines once more', async () => {
    await suite.hub.post('/budgets/correct', { scope: 'global', spentUsd: 0, reason: 'start the day over' });
    const warnings = (await globalEvents('budget.warning')).length;
    const exceeded = (await globalEvents('budget.exceeded')).length;
    await (await agent('agt_again')).complete(30);
    assert.equal((await globalEvents('budget.warning')).length, warnings + 1);
    assert.equal((await globalEvents('budget.exceeded')).length, exceeded + 1);
    assert.equal((await suite.hub.get('/agents/agt_again')).body.pausedReason, 'budget');
  });

  test('agent and viewer tokens may not correct a spend: 403', async () => {
    for (const token of [await suite.hub.mint('agent', 'agt_cheat'), await suite.hub.mint('viewer')]) {
      problem(await suite.hub.post('/budgets/correct', { scope: 'global', spentUsd: 0, reason: 'mine' }, bearer(token)), 403, 'forbidden', /may not call POST \/budgets\/correct/);
    }
  });

  test('a correction without a reason, or of an unknown agent, is refused and appends nothing', async () => {
    problem(await suite.hub.post('/budgets/correct', { scope: 'global', spentUsd: 0 }), 400, 'validation_failed', /must have required property 'reason'/);
    problem(await suite.hub.post('/budgets/correct', { scope: 'global', spentUsd: 1e300, reason: 'x' }), 400, 'validation_failed', /\/spentUsd must be <= 1000000000/);
    problem(await suite.hub.post('/budgets/correct', { scope: 'agent', scopeId: 'agt_nobody', spentUsd: 0, reason: 'x' }), 404, 'not_found', /no agent "agt_nobody"/);
  });
});
