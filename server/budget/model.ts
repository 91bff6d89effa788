/** Whose spending a budget caps: one agent, one task, or the whole hub for one UTC day. */
export const Scope = { agent: 'agent', task: 'task', global: 'global' } as const;
export type Scope = (typeof Scope)[keyof typeof Scope];

/** One budget: `scopeId` is the agent id, the task id, or the UTC date `YYYY-MM-DD` (global). */
export interface ScopeRef {
  scope: Scope;
  scopeId: string;
}

/** A budget as the rules see it: one row of the budget view. */
export interface Budget extends ScopeRef {
  spentUsd: number;
  /** Null: the configured default for the scope applies. */
  limitUsd: number | null;
  /** A `budget.warning` was logged for the current limit. */
  warned: boolean;
  /** A `budget.exceeded` was logged and nothing lifted it since. */
  exceeded: boolean;
  /** An operator resumed the agent past its limit: runs go on until the limit changes. */
  overridden: boolean;
  lastSeq: number;
}

/** The configured defaults (`config.budgets`). */
export interface BudgetDefaults {
  agentUsd: number;
  taskUsd: number;
  globalDailyUsd: number;
  /** Fraction of a limit at which a warning is logged. */
  warnAt: number;
}

/** A budget's API view. */
export type { BudgetView } from '../../contracts/views.ts';

/** The limit that applies: the scope's own, else the configured default. */
export function limitOf(budget: Budget, defaults: BudgetDefaults): number {
  if (budget.limitUsd !== null) return budget.limitUsd;
  if (budget.scope === 'agent') return defaults.agentUsd;
  if (budget.scope === 'task') return defaults.taskUsd;
  return defaults.globalDailyUsd;
}

/** An unspent budget with the default limit, for a scope that has no row yet. */
export function emptyBudget(ref: ScopeRef): Budget {
  return { scope: ref.scope, scopeId: ref.scopeId, spentUsd: 0, limitUsd: null, warned: false, exceeded: false, overridden: false, lastSeq: 0 };
}

/** The UTC date (`YYYY-MM-DD`) of a time: the global budget's day. */
export function utcDay(time: string | Date): string {
  return new Date(time).toISOString().slice(0, 10);
}

/** The most one run may cost or estimate (the run.* schemas refuse more). */
export const maxRunCostUsd = 10_000;

/**
 * The spend after a run's cost. A cost the schemas would refuse now (from a log written before
 * they capped it) counts as the cap, so a sum stays finite and a rebuild folds the same rows.
 */
export function spendAfter(spentUsd: number, costUsd: number): number {
  const cost = Number.isFinite(costUsd) ? Math.min(Math.max(costUsd, 0), maxRunCostUsd) : maxRunCostUsd;
  return roundUsd(spentUsd + cost);
}

/** Dollars rounded to the nano-dollar, so sums of fractions fold to the same value every time. */
export function roundUsd(usd: number): number {
  return Math.round(usd * 1e9) / 1e9;
}

/** True when `spent` has reached `line` (within rounding). */
export function reached(spent: number, line: number): boolean {
  return spent >= line - 1e-9;
}

/** The same scope. */
export function sameScope(a: ScopeRef, b: ScopeRef): boolean {
  return a.scope === b.scope && a.scopeId === b.scopeId;
}
