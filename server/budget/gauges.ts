import type { Kysely } from 'kysely';
import { Gauge } from 'prom-client';
import type { Clock } from '../clock.ts';
import type { Database } from '../db/schema.ts';
import { type Budget, type BudgetDefaults, emptyBudget, limitOf, utcDay } from './model.ts';
import { readOncePerScrape } from '../ops/metrics.ts';
import { openBudgets } from './store.ts';

/**
 * Spend against budget, per budget that can still be spent (today's global one, and those of
 * unfinished agents and tasks), read from the view at each scrape: an operator alerts on
 * `mc_budget_spent_usd / mc_budget_limit_usd`. Today's global budget is shown before anything is
 * spent, at its default limit.
 */
export function budgetGauges(db: Kysely<Database>, clock: Clock, defaults: BudgetDefaults): Gauge[] {
  const open = readOncePerScrape(async () => {
    const day = utcDay(clock.now());
    const budgets = await openBudgets(db, day);
    if (!budgets.some((b) => b.scope === 'global')) budgets.push(emptyBudget({ scope: 'global', scopeId: day }));
    return budgets;
  });
  const perBudget = (name: string, help: string, value: (budget: Budget) => number) =>
    new Gauge({
      name,
      help,
      labelNames: ['scope', 'scope_id'],
      registers: [],
      async collect() {
        const budgets = await open();
        // A budget finished since the last scrape, or yesterday's, leaves the series.
        this.reset();
        for (const budget of budgets) this.set({ scope: budget.scope, scope_id: budget.scopeId }, value(budget));
      },
    });
  return [
    perBudget('mc_budget_spent_usd', 'Spent of each open budget, in USD', (budget) => budget.spentUsd),
    perBudget('mc_budget_limit_usd', 'Limit of each open budget, in USD (its own, else the default)', (budget) => limitOf(budget, defaults)),
  ];
}
