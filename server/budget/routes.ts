import { Hono } from 'hono';
import { findAgent } from '../agents/find-agents.ts';
import { unknownAgent } from '../agents/rules.ts';
import { allow, principalOf } from '../auth/middleware.ts';
import { HubError } from '../errors.ts';
import type { FeatureDeps } from '../feature.ts';
import type { HubEnv } from '../http/env.ts';
import { readJson } from '../http/read-json.ts';
import { newEvent } from '../log/new-event.ts';
import { type Budget, type BudgetDefaults, type BudgetView, type Scope, emptyBudget, limitOf, utcDay } from './budget.ts';
import { findBudgets, listBudgets } from './find-budgets.ts';
import { taskKnown } from './task-known.ts';

interface LimitRequest {
  scope: Scope;
  scopeId?: string;
  limitUsd: number;
}

/** `/budgets`: every budget's spend and limit, and setting a limit. */
export function budgetRoutes(deps: FeatureDeps): Hono<HubEnv> {
  const app = new Hono<HubEnv>();
  const defaults = deps.config.budgets;

  app.get('/', allow('GET /budgets'), async (c) => c.json({ budgets: (await listBudgets(deps.db)).map((b) => viewOf(b, defaults)) }));

  app.post('/', allow('POST /budgets'), async (c) => {
    const principal = principalOf(c);
    const body = await readJson(c);
    const problems = deps.contracts.check('mc:budget-limit', body);
    if (problems.length > 0) throw new HubError(400, 'validation_failed', `${problems[0]!.path || 'the body'} ${problems[0]!.message}`, problems);
    const { scope, limitUsd } = body as LimitRequest;
    const scopeId = scopeIdOf(body as LimitRequest, deps.clock.now());
    if (scope === 'agent' && (await findAgent(deps.db, scopeId)) === undefined) throw unknownAgent(scopeId);
    if (scope === 'task' && !(await taskKnown(deps.db, scopeId))) throw new HubError(404, 'not_found', `no task "${scopeId}" in the log; GET /tasks lists them`);
    const data = { scope, scopeId, limitUsd, by: principal.actor };
    await deps.appender.append([newEvent({ type: 'budget.limit_changed', data, actor: principal.actor, agentId: scope === 'agent' ? scopeId : null, taskId: scope === 'task' ? scopeId : null }, c.get('requestId'))]);
    const [budget] = await findBudgets(deps.db, [{ scope, scopeId }]);
    return c.json(viewOf(budget ?? emptyBudget({ scope, scopeId }), defaults));
  });
  return app;
}

/** The scope id: required for an agent or a task; for global, a UTC date that defaults to today. */
function scopeIdOf(request: LimitRequest, now: Date): string {
  const { scope, scopeId } = request;
  if (scope !== 'global') {
    if (scopeId === undefined) throw invalid(`/scopeId is required for a ${scope} budget: give the ${scope} id`);
    return scopeId;
  }
  if (scopeId === undefined) return utcDay(now);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(scopeId) || Number.isNaN(Date.parse(scopeId)) || utcDay(scopeId) !== scopeId) {
    throw invalid(`/scopeId of a global budget is a UTC date YYYY-MM-DD (got "${scopeId}"); leave it out for today`);
  }
  return scopeId;
}

function invalid(message: string): HubError {
  const [path, ...rest] = message.split(' ');
  return new HubError(400, 'validation_failed', message, [{ path: path!, message: rest.join(' ') }]);
}

function viewOf(budget: Budget, defaults: BudgetDefaults): BudgetView {
  const { scope, scopeId, spentUsd, warned, exceeded, overridden } = budget;
  return { scope, scopeId, spentUsd, limitUsd: limitOf(budget, defaults), warned, exceeded, overridden };
}
