import type { Transaction } from 'kysely';
import type { EventEnvelope } from '../../contracts/index.ts';
import { refuseRunWhilePaused } from '../agents/rules.ts';
import { findAgent, findAgentsByStatus, hubPausedAll } from '../agents/store.ts';
import type { Database } from '../db/schema.ts';
import type { NewEvent, Projection } from '../log/event.ts';
import { eventOf } from '../log/command.ts';
import { budgetsTouched, evolveBudget } from './evolve.ts';
import { type Budget, type BudgetDefaults, type ScopeRef, emptyBudget, sameScope, utcDay } from './model.ts';
import { type BudgetChange, affectedBy, decideOnLimitChange, decideOnSpend, refuseRun } from './rules.ts';
import { findBudgets, saveBudgets, transactionDay } from './store.ts';

/**
 * The budget view: spend folded from `run.completed` and corrections, limits and flags from events
 * only. It reacts to spend, limit changes and corrections (warn, exceed, pause, resume) and guards `run.started`.
 */
export function budgetProjection(defaults: BudgetDefaults): Projection {
  return {
    name: 'budget',
    tables: ['budgets'],
    // Every event `react` takes (spend, a limit changed, a spend corrected) touches a budget too.
    concerns: (event) => budgetsTouched(event).length > 0,
    async apply(trx, event) {
      const refs = budgetsTouched(event);
      if (refs.length === 0) return;
      const found = await findBudgets(trx, refs);
      const changed: Budget[] = [];
      for (const ref of refs) {
        const budget = found.find((b) => sameScope(b, ref));
        const next = evolveBudget(budget, ref, event);
        if (next !== undefined && next !== budget) changed.push(next);
      }
      await saveBudgets(trx, changed);
    },
    async react(trx, event) {
      if (event.type === 'run.completed') return (await onSpend(trx, event, defaults)).map((c) => eventOf(c, { actor: 'hub', cause: event }));
      if (event.type === 'budget.limit_changed' || event.type === 'budget.spend_corrected') return (await onBudgetSet(trx, event, defaults)).map((c) => eventOf(c, { actor: 'hub', cause: event }));
      return [];
    },
    guard: { applies: (event) => event.type === 'run.started', check: (trx, event) => guardRun(trx, event, defaults) },
  };
}

async function onSpend(trx: Transaction<Database>, event: EventEnvelope, defaults: BudgetDefaults): Promise<BudgetChange[]> {
  const budgets = await findBudgets(trx, budgetsTouched(event));
  const agent = event.agentId !== undefined ? await findAgent(trx, event.agentId) : undefined;
  return decideOnSpend(budgets, agent, defaults);
}

async function onBudgetSet(trx: Transaction<Database>, event: EventEnvelope, defaults: BudgetDefaults): Promise<BudgetChange[]> {
  const ref = budgetsTouched(event)[0]!;
  const [changed] = await findBudgets(trx, [ref]);
  if (changed === undefined) return [];
  const owner = ref.scope === 'agent' ? await findAgent(trx, ref.scopeId) : undefined;
  const paused = (await findAgentsByStatus(trx, ['paused'])).filter((a) => affectedBy(a, ref));
  const day = utcDay(event.recordedAt);
  const refsOf = (a: { id: string; taskId: string | null }): ScopeRef[] => [
    { scope: 'agent', scopeId: a.id },
    ...(a.taskId !== null ? [{ scope: 'task' as const, scopeId: a.taskId }] : []),
    { scope: 'global', scopeId: day },
  ];
  const theirs = await findBudgets(trx, paused.flatMap(refsOf));
  const withBudgets = paused.map((agent) => ({ agent, budgets: refsOf(agent).map((r) => theirs.find((b) => sameScope(b, r)) ?? emptyBudget(r)) }));
  return decideOnLimitChange(changed, owner, withBudgets, defaults, event.id);
}

/**
 * Refuses a `run.started` while its agent or the hub is paused (409 agent_paused), or when its
 * agent's, task's or today's budget cannot pay for it (402 budget_exceeded): one read of the agent for both.
 */
export async function guardRun(trx: Transaction<Database>, event: NewEvent, defaults: BudgetDefaults): Promise<void> {
  const refs: ScopeRef[] = [
    ...(event.agentId !== null ? [{ scope: 'agent' as const, scopeId: event.agentId }] : []),
    ...(event.taskId !== null ? [{ scope: 'task' as const, scopeId: event.taskId }] : []),
    // The day the run is recorded on: the transaction's, as `recorded_at` takes it.
    { scope: 'global', scopeId: await transactionDay(trx) },
  ];
  const found = await findBudgets(trx, refs);
  const budgets = refs.map((r) => found.find((b) => sameScope(b, r)) ?? emptyBudget(r));
  const agent = event.agentId !== null ? await findAgent(trx, event.agentId) : undefined;
  const refusal = refuseRunWhilePaused(agent, await hubPausedAll(trx)) ?? refuseRun(agent, budgets, Number(event.data.estimatedCostUsd ?? 0), defaults);
  if (refusal !== undefined) throw refusal;
}
