import assert from 'node:assert/strict';
import { agentRow } from '../helpers/agent-rows.ts';
import { describe, test } from 'node:test';
import type { EventEnvelope } from '../../contracts/index.ts';
import { type Budget, type BudgetDefaults, emptyBudget, limitOf, maxRunCostUsd, utcDay } from '../../server/budget/model.ts';
import { budgetsTouched, evolveBudget } from '../../server/budget/evolve.ts';
import { affectedBy, blocks, crossings, decideOnLimitChange, decideOnSpend, refuseRun } from '../../server/budget/rules.ts';

const defaults: BudgetDefaults = { agentUsd: 1, taskUsd: 2, globalDailyUsd: 5, warnAt: 0.8 };
let seq = 0;

function ev(type: string, data: Record<string, unknown> = {}, extra: Partial<EventEnvelope> = {}): EventEnvelope {
  seq += 1;
  return { seq, id: `evt_${seq}`, type, actor: 'agent:agt_1', agentId: 'agt_1', recordedAt: '2026-11-21T10:00:00.000Z', data, ...extra };
}

const agentBudget = (over: Partial<Budget> = {}): Budget => ({ ...emptyBudget({ scope: 'agent', scopeId: 'agt_1' }), ...over });
const agent = agentRow;
const spend = (budget: Budget | undefined, costUsd: number) => evolveBudget(budget, { scope: 'agent', scopeId: 'agt_1' }, ev('run.completed', { tokensIn: 1, tokensOut: 1, costUsd }))!;

describe('evolve: the budget view', () => {
  test('run.completed touches the agent, its task and the day of recordedAt', () => {
    assert.deepEqual(budgetsTouched(ev('run.completed', { costUsd: 1 }, { taskId: 'tsk_1' })), [
      { scope: 'agent', scopeId: 'agt_1' },
      { scope: 'task', scopeId: 'tsk_1' },
      { scope: 'global', scopeId: '2026-11-21' },
    ]);
  });

  test('run.completed adds its cost to the spend, without float drift', () => {
    assert.equal(spend(spend(undefined, 0.1), 0.2).spentUsd, 0.3);
  });

  test('a cost from before the schemas capped it counts as the cap, so the spend stays finite', () => {
    assert.equal(spend(undefined, 1e300).spentUsd, maxRunCostUsd);
    assert.equal(spend(spend(undefined, 1e300), 1).spentUsd, maxRunCostUsd + 1);
  });

  test('budget.spend_corrected sets the spend and clears the flags, so the budget starts over', () => {
    const over = agentBudget({ spentUsd: 1e300, warned: true, exceeded: true, overridden: true });
    const next = evolveBudget(over, over, ev('budget.spend_corrected', { scope: 'agent', scopeId: 'agt_1', spentUsd: 0.25, reason: 'typo', by: 'op' }))!;
    assert.deepEqual([next.spentUsd, next.warned, next.exceeded, next.overridden], [0.25, false, false, false]);
  });

  test('budget.limit_changed sets the limit and ends an operator override', () => {
    const next = evolveBudget(agentBudget({ overridden: true }), { scope: 'agent', scopeId: 'agt_1' }, ev('budget.limit_changed', { scope: 'agent', scopeId: 'agt_1', limitUsd: 3, by: 'op' }))!;
    assert.deepEqual([next.limitUsd, next.overridden], [3, false]);
  });

  test('budget.limit_changed above the spend clears exceeded; below it keeps it', () => {
    const over = agentBudget({ spentUsd: 1.2, exceeded: true, warned: true });
    const change = (limitUsd: number) => evolveBudget(over, over, ev('budget.limit_changed', { scope: 'agent', scopeId: 'agt_1', limitUsd, by: 'op' }))!;
    assert.deepEqual([change(2).exceeded, change(2).warned], [false, false]);
    assert.equal(change(1.1).exceeded, true);
  });

  test('budget.warning and budget.exceeded set their flags', () => {
    const ref = { scope: 'agent' as const, scopeId: 'agt_1' };
    assert.equal(evolveBudget(agentBudget(), ref, ev('budget.warning', { scope: 'agent', scopeId: 'agt_1', spentUsd: 0.8, limitUsd: 1 }))!.warned, true);
    assert.equal(evolveBudget(agentBudget(), ref, ev('budget.exceeded', { scope: 'agent', scopeId: 'agt_1', spentUsd: 1, limitUsd: 1 }))!.exceeded, true);
  });

  test("an operator's agent.resumed clears the agent's exceeded flag as an override", () => {
    const next = evolveBudget(agentBudget({ spentUsd: 1, exceeded: true }), { scope: 'agent', scopeId: 'agt_1' }, ev('agent.resumed', { reason: 'operator' }))!;
    assert.deepEqual([next.exceeded, next.overridden], [false, true]);
    assert.deepEqual(budgetsTouched(ev('agent.resumed', { reason: 'budget' })), []);
  });
});

describe('rules: crossing the lines', () => {
  test('a scope without its own limit uses the configured default', () => {
    assert.equal(limitOf(emptyBudget({ scope: 'task', scopeId: 't' }), defaults), 2);
    assert.equal(limitOf(emptyBudget({ scope: 'global', scopeId: utcDay(new Date()) }), defaults), 5);
    assert.equal(limitOf(agentBudget({ limitUsd: 7 }), defaults), 7);
  });

  test('spend past warnAt of the limit warns once per limit', () => {
    assert.deepEqual(crossings(agentBudget({ spentUsd: 0.79 }), defaults), []);
    const [warning] = crossings(agentBudget({ spentUsd: 0.8 }), defaults);
    assert.deepEqual(warning, { type: 'budget.warning', agentId: 'agt_1', data: { scope: 'agent', scopeId: 'agt_1', spentUsd: 0.8, limitUsd: 1 }, idempotencyKey: 'budget:warning:agent:agt_1:1:0' });
    assert.deepEqual(crossings(agentBudget({ spentUsd: 0.9, warned: true }), defaults), []);
  });

  test('spend reaching the limit exceeds it, and pauses the run’s agent', () => {
    const changes = decideOnSpend([agentBudget({ spentUsd: 1, warned: true })], agent(), defaults);
    assert.deepEqual(changes.map((c) => [c.type, c.idempotencyKey]), [
      ['budget.exceeded', 'budget:exceeded:agent:agt_1:1:0'],
      ['agent.paused', 'budget:pause:agt_1:budget:exceeded:agent:agt_1:1:0'],
    ]);
    assert.deepEqual(changes[1]!.data, { reason: 'budget', by: 'hub' });
  });

  test('an agent already paused (or ended) is not paused again', () => {
    for (const status of ['paused', 'exited'] as const) {
      const changes = decideOnSpend([agentBudget({ spentUsd: 1, warned: true })], agent({ status }), defaults);
      assert.deepEqual(changes.map((c) => c.type), ['budget.exceeded'], status);
    }
  });

  test('an operator override lets the spend go past the limit without a new exceedance', () => {
    assert.deepEqual(crossings(agentBudget({ spentUsd: 1.5, warned: true, overridden: true }), defaults), []);
  });

  test('a task budget names its task on the event', () => {
    const [warning] = crossings({ ...emptyBudget({ scope: 'task', scopeId: 'tsk_1' }), spentUsd: 1.6 }, defaults);
    assert.deepEqual([warning!.agentId, warning!.taskId], [null, 'tsk_1']);
  });
});

describe('rules: lifting a limit', () => {
  test('a budget blocks when exceeded, or spent up to its limit without an override', () => {
    assert.equal(blocks(agentBudget({ exceeded: true, spentUsd: 0 }), defaults), true);
    assert.equal(blocks(agentBudget({ spentUsd: 1 }), defaults), true);
    assert.equal(blocks(agentBudget({ spentUsd: 1, overridden: true }), defaults), false);
    assert.equal(blocks(agentBudget({ spentUsd: 0.99 }), defaults), false);
  });

  test('only agents paused by their budget are affected by a limit change of their scope', () => {
    const byBudget = agent({ status: 'paused', pausedReason: 'budget', taskId: 'tsk_1' });
    assert.equal(affectedBy(byBudget, { scope: 'agent', scopeId: 'agt_1' }), true);
    assert.equal(affectedBy(byBudget, { scope: 'task', scopeId: 'tsk_1' }), true);
    assert.equal(affectedBy(byBudget, { scope: 'global', scopeId: '2026-11-21' }), true);
    assert.equal(affectedBy(byBudget, { scope: 'agent', scopeId: 'agt_2' }), false);
    assert.equal(affectedBy(agent({ status: 'paused', pausedReason: 'operator' }), { scope: 'agent', scopeId: 'agt_1' }), false);
  });

  test("a task budget's change affects only the agents of that task", () => {
    const byBudget = agent({ status: 'paused', pausedReason: 'budget', taskId: 'tsk_1' });
    assert.equal(affectedBy(byBudget, { scope: 'task', scopeId: 'tsk_2' }), false);
  });

  test('a raised limit resumes the agent its budget paused, when nothing else holds it back', () => {
    const raised = agentBudget({ spentUsd: 1, limitUsd: 2, warned: false });
    const paused = { agent: agent({ status: 'paused', pausedReason: 'budget' }), budgets: [raised] };
    const changes = decideOnLimitChange(raised, paused.agent, [paused], defaults, 'evt_9');
    assert.deepEqual(changes.map((c) => [c.type, c.idempotencyKey]), [['agent.resumed', 'budget:resume:agt_1:evt_9']]);
  });

  test('a raised limit resumes nobody while another budget of the agent is still exceeded', () => {
    const raised = agentBudget({ spentUsd: 1, limitUsd: 2 });
    const task = { ...emptyBudget({ scope: 'task', scopeId: 'tsk_1' }), spentUsd: 2, exceeded: true };
    const paused = { agent: agent({ status: 'paused', pausedReason: 'budget', taskId: 'tsk_1' }), budgets: [raised, task] };
    assert.deepEqual(decideOnLimitChange(raised, paused.agent, [paused], defaults, 'evt_9'), []);
  });

  test('a lowered limit under the spend exceeds it at once and pauses the agent', () => {
    const lowered = agentBudget({ spentUsd: 0.5, limitUsd: 0.5, warned: true });
    const changes = decideOnLimitChange(lowered, agent(), [], defaults, 'evt_9');
    assert.deepEqual(changes.map((c) => c.type), ['budget.exceeded', 'agent.paused']);
  });
});

describe('rules: refusing a run up front', () => {
  const today = emptyBudget({ scope: 'global', scopeId: '2026-11-21' });

  test('a run the budgets can pay for may start', () => {
    assert.equal(refuseRun(agent(), [agentBudget({ spentUsd: 0.5 }), today], 0.5, defaults), undefined);
  });

  test('an agent paused by its budget is refused with 402, naming the budget and how to lift it', () => {
    const error = refuseRun(agent({ status: 'paused', pausedReason: 'budget' }), [agentBudget({ spentUsd: 1, exceeded: true }), today], 0, defaults)!;
    assert.deepEqual([error.status, error.code], [402, 'budget_exceeded']);
    assert.match(error.message, /paused by its budget.*agent "agt_1".*1 of 1 USD.*POST \/budgets.*POST \/agents\/agt_1\/resume/);
  });

  test('an exceeded task or day refuses the run', () => {
    const task = { ...emptyBudget({ scope: 'task', scopeId: 'tsk_1' }), spentUsd: 2, exceeded: true };
    assert.match(refuseRun(agent(), [agentBudget(), task, today], 0, defaults)!.message, /budget of task "tsk_1" is exceeded.*"scope":"task","scopeId":"tsk_1"/);
    assert.match(refuseRun(agent(), [agentBudget(), { ...today, spentUsd: 5, exceeded: true }], 0, defaults)!.message, /global budget for 2026-11-21 is exceeded.*"scope":"global","limitUsd"/);
  });

  test('an estimate that would go over a limit is refused up front', () => {
    const error = refuseRun(agent(), [agentBudget({ spentUsd: 0.7 }), today], 0.5, defaults)!;
    assert.match(error.message, /refused up front.*0\.5 USD.*to 1\.2 USD, over its limit of 1 USD \(spent 0\.7\)/);
  });

  test('an estimate landing exactly on the limit may start', () => {
    assert.equal(refuseRun(agent(), [agentBudget({ spentUsd: 0.7 }), today], 0.3, defaults), undefined);
  });

  test('an operator override lets runs past the agent limit', () => {
    assert.equal(refuseRun(agent(), [agentBudget({ spentUsd: 1.2, overridden: true }), today], 0.5, defaults), undefined);
  });
});
