import { type ColumnType, type Kysely, type Selectable, type Transaction, sql } from 'kysely';
import { taskTransitions } from '../../contracts/views.ts';
import { agentStatuses, taskStatuses } from '../../contracts/vocabulary.ts';
import { isFinal } from '../agents/model.ts';
import type { Database } from '../db/schema.ts';
import { findEvents } from '../log/event-query.ts';
import type { Budget, Scope, ScopeRef } from './model.ts';

/** Spend and limit of one scope: an agent, a task, or the whole hub for one UTC day. */
export interface BudgetsTable {
  scope: string;
  /** The agent id, the task id, or the UTC date `YYYY-MM-DD` of the global scope. */
  scope_id: string;
  spent_usd: ColumnType<string, number | undefined, number>;
  /** Null: the configured default for the scope. */
  limit_usd: ColumnType<string | null, number | null, number | null>;
  warned: ColumnType<boolean, boolean | undefined, boolean>;
  exceeded: ColumnType<boolean, boolean | undefined, boolean>;
  overridden: ColumnType<boolean, boolean | undefined, boolean>;
  last_seq: ColumnType<string, number, number>;
}

/** The tables of the budget view. */
export interface BudgetTables {
  budgets: BudgetsTable;
}

/** A budgets row as the rules see it (pg gives numerics as strings). */
export function budgetOf(row: Selectable<BudgetsTable>): Budget {
  return {
    scope: row.scope as Scope,
    scopeId: row.scope_id,
    spentUsd: Number(row.spent_usd),
    limitUsd: row.limit_usd === null ? null : Number(row.limit_usd),
    warned: row.warned,
    exceeded: row.exceeded,
    overridden: row.overridden,
    lastSeq: Number(row.last_seq),
  };
}

/** Writes budgets' rows in one statement, inserting those seen for the first time. */
export async function saveBudgets(trx: Transaction<Database>, budgets: readonly Budget[]): Promise<void> {
  if (budgets.length === 0) return;
  await trx
    .insertInto('budgets')
    .values(
      budgets.map((b) => ({
        scope: b.scope,
        scope_id: b.scopeId,
        spent_usd: b.spentUsd,
        limit_usd: b.limitUsd,
        warned: b.warned,
        exceeded: b.exceeded,
        overridden: b.overridden,
        last_seq: b.lastSeq,
      })),
    )
    .onConflict((oc) =>
      oc.columns(['scope', 'scope_id']).doUpdateSet((eb) => ({
        spent_usd: eb.ref('excluded.spent_usd'),
        limit_usd: eb.ref('excluded.limit_usd'),
        warned: eb.ref('excluded.warned'),
        exceeded: eb.ref('excluded.exceeded'),
        overridden: eb.ref('excluded.overridden'),
        last_seq: eb.ref('excluded.last_seq'),
      })),
    )
    .execute();
}

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

/** True when some event names the task (it was created, assigned or spent on). */
export async function taskKnown(db: Kysely<Database>, taskId: string): Promise<boolean> {
  return (await findEvents(db, { taskId }, 1)).length > 0;
}

/** Today's UTC date as the database sees it in this transaction: the day an event appended now is recorded on. */
export async function transactionDay(db: Kysely<Database>): Promise<string> {
  const { rows } = await sql<{ day: string }>`SELECT to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day`.execute(db);
  return rows[0]!.day;
}
