import type { Kysely } from 'kysely';
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
