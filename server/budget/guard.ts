import type { Transaction } from 'kysely';
import { findAgent } from '../agents/find-agents.ts';
import { hubPausedAll } from '../agents/pause-all-marks.ts';
import { refuseRunWhilePaused } from '../agents/rules.ts';
import type { Database } from '../db/schema.ts';
import type { NewEvent } from '../log/event.ts';
import { type BudgetDefaults, type ScopeRef, emptyBudget, sameScope } from './budget.ts';
import { findBudgets } from './find-budgets.ts';
import { refuseRun } from './rules.ts';
import { transactionDay } from './transaction-day.ts';

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
