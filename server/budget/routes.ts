import { Hono } from 'hono';
import type { BudgetLimit, BudgetSpendCorrection, Origin } from '../../contracts/index.ts';
import { findAgent } from '../agents/store.ts';
import { unknownAgent } from '../agents/rules.ts';
import { refuseScoped } from '../projects/scope.ts';
import { allow, principalOf } from '../auth/middleware.ts';
import { HubError, invalidInput } from '../errors.ts';
import type { FeatureDeps } from '../feature.ts';
import type { HubEnv } from '../http/env.ts';
import { knownQuery } from '../http/known-query.ts';
import { type BodyParser, jsonBody, matching } from '../http/json-body.ts';
import { newEvent } from '../log/new-event.ts';
import { type Budget, type BudgetDefaults, type BudgetView, type ScopeRef, emptyBudget, limitOf, utcDay } from './model.ts';
import { findBudgets, listBudgets, taskKnown } from './store.ts';

/** What both budget requests name: the budget. */
type ScopeRequest = Pick<BudgetLimit, 'scope' | 'scopeId'>;

/** `/budgets`: every budget's spend and limit, setting a limit, and correcting a spend. */
export function budgetRoutes(deps: FeatureDeps): Hono<HubEnv> {
  const app = new Hono<HubEnv>();
  const defaults = deps.config.budgets;

  /** The budget a request names, once its body is valid and its agent or task is known. */
  const budgetNamed = <T extends ScopeRequest>(schemaId: string): BodyParser<{ request: T; ref: ScopeRef }> => async (body, c) => {
    const request = await matching<T>(deps.contracts, schemaId)(body, c);
    const ref = { scope: request.scope, scopeId: scopeIdOf(request, deps.clock.now()) };
    if (ref.scope === 'agent' && (await findAgent(deps.db, ref.scopeId)) === undefined) throw unknownAgent(ref.scopeId);
    if (ref.scope === 'task' && !(await taskKnown(deps.db, ref.scopeId))) throw new HubError('not_found', `no task "${ref.scopeId}" in the log; GET /tasks lists them`);
    return { request, ref };
  };

  /** Appends the operator's event about a budget, and answers the budget's view after it. */
  const setBudget = async (ref: ScopeRef, type: string, data: Record<string, unknown>, actor: string, origin: Origin): Promise<BudgetView> => {
    const subjects = { agentId: ref.scope === 'agent' ? ref.scopeId : null, taskId: ref.scope === 'task' ? ref.scopeId : null };
    await deps.appender.append([newEvent({ type, data: { scope: ref.scope, scopeId: ref.scopeId, ...data, by: actor }, actor, ...subjects }, origin)]);
    const [budget] = await findBudgets(deps.db, [ref]);
    return viewOf(budget ?? emptyBudget(ref), defaults);
  };

  app.get('/', allow('GET /budgets'), knownQuery([]), async (c) => {
    refuseScoped(principalOf(c), 'read the budgets');
    return c.json({ budgets: (await listBudgets(deps.db)).map((b) => viewOf(b, defaults)) });
  });

  app.post('/', allow('POST /budgets'), jsonBody(budgetNamed<BudgetLimit>('requests/budget-limit.schema.json')), async (c) => {
    const { request, ref } = c.req.valid('json');
    refuseScoped(principalOf(c), 'set budgets');
    return c.json(await setBudget(ref, 'budget.limit_changed', { limitUsd: request.limitUsd }, principalOf(c).actor, c.get('origin')));
  });

  app.post('/correct', allow('POST /budgets/correct'), jsonBody(budgetNamed<BudgetSpendCorrection>('requests/budget-correction.schema.json')), async (c) => {
    const { request, ref } = c.req.valid('json');
    refuseScoped(principalOf(c), 'correct budgets');
    return c.json(await setBudget(ref, 'budget.spend_corrected', { spentUsd: request.spentUsd, reason: request.reason }, principalOf(c).actor, c.get('origin')));
  });
  return app;
}

/** The scope id: required for an agent or a task; for global, a UTC date that defaults to today. */
function scopeIdOf(request: ScopeRequest, now: Date): string {
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
  return invalidInput([{ path: path!, message: rest.join(' ') }]);
}

function viewOf(budget: Budget, defaults: BudgetDefaults): BudgetView {
  const { scope, scopeId, spentUsd, warned, exceeded, overridden } = budget;
  return { scope, scopeId, spentUsd, limitUsd: limitOf(budget, defaults), warned, exceeded, overridden };
}
