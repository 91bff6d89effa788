import type { ColumnType } from 'kysely';

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
