import type { Kysely } from 'kysely';
import { taskTransitions } from '../../contracts/views.ts';
import { agentStatuses, taskStatuses } from '../../contracts/vocabulary.ts';
import { isFinal } from '../agents/agent.ts';
import type { Database } from '../db/schema.ts';
import type { Budget, ScopeRef } from './budget.ts';
import { budgetOf } from './budget-row.ts';

/** The budgets of `refs` that have a row (a scope without one is unspent, at its default limit). */
export async function findBudgets(db: Kysely<Database>, refs: readonly ScopeRef[]): Promise<Budget[]> {
  if (refs.length === 0) return [];
  const rows = await db
    .selectFrom('budgets')
    .selectAll()
    .where((eb) => eb.or(refs.map((r) => eb.and([eb('scope', '=', r.scope), eb('scope_id', '=', r.scopeId)]))))
    .execute();
  return rows.map(budgetOf);
}

/** Every budget with a row: agents, then tasks, then days (newest first). */
export async function listBudgets(db: Kysely<Database>): Promise<Budget[]> {
  const rows = await db.selectFrom('budgets').selectAll().orderBy('scope').orderBy('scope_id', 'desc').execute();
  return rows.map(budgetOf);
}

/**
 * The budgets that can still be spent: the global one of `day`, and those of agents and tasks
 * that are not finished. Each part is read through an index (the key of budgets, the status
 * indexes of agents and tasks), so the cost follows the live agents and tasks, not the history.
 */
export async function openBudgets(db: Kysely<Database>, day: string): Promise<Budget[]> {
  const liveAgents = agentStatuses.filter((status) => !isFinal(status));
  const openTasks = taskStatuses.filter((status) => taskTransitions[status].length > 0);
  const rows = await db
    .selectFrom('budgets')
    .selectAll('budgets')
    .where('scope', '=', 'global')
    .where('scope_id', '=', day)
    .unionAll(
      db
        .selectFrom('agents')
        .innerJoin('budgets', (join) => join.on('budgets.scope', '=', 'agent').onRef('budgets.scope_id', '=', 'agents.id'))
        .selectAll('budgets')
        .where('agents.status', 'in', liveAgents),
    )
    .unionAll(
      db
        .selectFrom('tasks')
        .innerJoin('budgets', (join) => join.on('budgets.scope', '=', 'task').onRef('budgets.scope_id', '=', 'tasks.id'))
        .selectAll('budgets')
        .where('tasks.status', 'in', openTasks),
    )
    .execute();
  return rows.map(budgetOf);
}
