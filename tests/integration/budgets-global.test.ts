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
