import type { Feature } from '../feature.ts';
import { budgetGauges } from './gauges.ts';
import { budgetProjection } from './projection.ts';
import { budgetRoutes } from './routes.ts';

/** The budget view: spend per agent, task and day, limits, warnings, and the guard on runs. */
export const budgetFeature: Feature = (deps) => ({
  projection: budgetProjection(deps.config.budgets),
  routes: { '/budgets': budgetRoutes(deps) },
  gauges: budgetGauges(deps.db, deps.clock, deps.config.budgets),
});
