import type { Selectable } from 'kysely';
import type { Budget, Scope } from './budget.ts';
import type { BudgetsTable } from './table.ts';

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
