import { type Agent, isPausable } from '../agents/model.ts';
import { HubError } from '../errors.ts';
import type { Change } from '../log/command.ts';
import { type Budget, type BudgetDefaults, type ScopeRef, limitOf, reached, roundUsd } from './model.ts';

/** An event a budget rule decided on: always about an agent or none, once per cause. */
export interface BudgetChange extends Change {
  type: 'budget.warning' | 'budget.exceeded' | 'agent.paused' | 'agent.resumed';
  agentId: string | null;
  taskId?: string;
  data: Record<string, unknown>;
  idempotencyKey: string;
}

/**
 * What a budget's spend calls for now: a warning past `warnAt` of its limit, `exceeded` at the
 * limit. Once each: the flags they set stop a repeat, until a limit change or a spend correction
 * clears them (which is why the keys name the budget's last change, not only its limit).
 */
export function crossings(budget: Budget, defaults: BudgetDefaults): BudgetChange[] {
  const limitUsd = limitOf(budget, defaults);
  const { scope, scopeId, spentUsd } = budget;
  const data = { scope, scopeId, spentUsd, limitUsd };
  // The event names its subject, so `GET /events?agent=` and `?task=` find it.
  const subject = { agentId: scope === 'agent' ? scopeId : null, ...(scope === 'task' ? { taskId: scopeId } : {}) };
  const changes: BudgetChange[] = [];
  if (!budget.warned && reached(spentUsd, defaults.warnAt * limitUsd)) {
    changes.push({ type: 'budget.warning', ...subject, data, idempotencyKey: `budget:warning:${scope}:${scopeId}:${limitUsd}:${budget.lastSeq}` });
  }
  if (!budget.exceeded && !budget.overridden && reached(spentUsd, limitUsd)) {
    changes.push({ type: 'budget.exceeded', ...subject, data, idempotencyKey: `budget:exceeded:${scope}:${scopeId}:${limitUsd}:${budget.lastSeq}` });
  }
  return changes;
}

/**
 * After a run's cost is added to its agent's, task's and day's budgets: the warnings and
 * exceedances, and a pause of the run's agent when any budget is exceeded (unless it is paused or gone).
 */
export function decideOnSpend(budgets: readonly Budget[], agent: Agent | undefined, defaults: BudgetDefaults): BudgetChange[] {
  const changes = budgets.flatMap((b) => crossings(b, defaults));
  const exceeded = changes.find((c) => c.type === 'budget.exceeded');
  if (exceeded !== undefined && agent !== undefined && isPausable(agent.status)) changes.push(pauseFor(agent.id, exceeded.idempotencyKey));
  return changes;
}

/** True when a budget stops new runs: it is exceeded, or spent up to its limit with no operator override. */
export function blocks(budget: Budget, defaults: BudgetDefaults): boolean {
  return budget.exceeded || (!budget.overridden && reached(budget.spentUsd, limitOf(budget, defaults)));
}

/** A paused-for-budget agent and the budgets that apply to it (its own, its task's, today's). */
export interface BudgetPausedAgent {
  agent: Agent;
  budgets: readonly Budget[];
}

/**
 * After a limit changed or a spend was corrected: warnings and exceedances under the new limit (an agent's own limit
 * pauses it), and a resume for each agent paused by its budget that no budget holds back any more.
 */
export function decideOnLimitChange(changed: Budget, owner: Agent | undefined, paused: readonly BudgetPausedAgent[], defaults: BudgetDefaults, causeId: string): BudgetChange[] {
  const changes = decideOnSpend([changed], owner, defaults);
  if (blocks(changed, defaults)) return changes;
  for (const { agent, budgets } of paused) {
    if (budgets.some((b) => blocks(b, defaults))) continue;
    changes.push({ type: 'agent.resumed', agentId: agent.id, data: { reason: 'budget', by: 'hub' }, idempotencyKey: `budget:resume:${agent.id}:${causeId}` });
  }
  return changes;
}

/** Whether an agent paused by its budget is affected by a change to `ref`: its own, its task's, or the day's. */
export function affectedBy(agent: Agent, ref: ScopeRef): boolean {
  if (agent.status !== 'paused' || agent.pausedReason !== 'budget') return false;
  if (ref.scope === 'agent') return agent.id === ref.scopeId;
  if (ref.scope === 'task') return agent.taskId === ref.scopeId;
  return true;
}

/**
 * Refuses a run up front (402) when its agent is paused by its budget, when a budget it draws on
 * is exceeded, or when its estimate would take one over its limit. Undefined: it may run.
 */
export function refuseRun(agent: Agent | undefined, budgets: readonly Budget[], estimateUsd: number, defaults: BudgetDefaults): HubError | undefined {
  if (agent?.status === 'paused' && agent.pausedReason === 'budget') {
    const reason = budgets.find((b) => blocks(b, defaults));
    const what = reason ? `the ${describe(reason)} is spent (${money(reason.spentUsd)} of ${money(limitOf(reason, defaults))} USD)` : 'a budget was reached';
    return refusal(`agent "${agent.id}" is paused by its budget: ${what}; ${remedy(reason ?? { scope: 'agent', scopeId: agent.id })}`);
  }
  for (const b of budgets) {
    const limitUsd = limitOf(b, defaults);
    if (b.exceeded) return refusal(`the ${describe(b)} is exceeded: spent ${money(b.spentUsd)} of ${money(limitUsd)} USD; ${remedy(b)}`);
    if (!b.overridden && roundUsd(b.spentUsd + estimateUsd) > limitUsd + 1e-9) {
      return refusal(
        `refused up front: this run's estimate of ${money(estimateUsd)} USD would take the ${describe(b)} to ${money(b.spentUsd + estimateUsd)} USD, over its limit of ${money(limitUsd)} USD (spent ${money(b.spentUsd)}); ${remedy(b)}`,
      );
    }
  }
  return undefined;
}

function pauseFor(agentId: string, exceededKey: string): BudgetChange {
  return { type: 'agent.paused', agentId, data: { reason: 'budget', by: 'hub' }, idempotencyKey: `budget:pause:${agentId}:${exceededKey}` };
}

function describe(ref: ScopeRef): string {
  if (ref.scope === 'global') return `global budget for ${ref.scopeId}`;
  return `budget of ${ref.scope} "${ref.scopeId}"`;
}

function remedy(ref: ScopeRef): string {
  const raise = `raise the limit with POST /budgets {"scope":"${ref.scope}"${ref.scope === 'global' ? '' : `,"scopeId":"${ref.scopeId}"`},"limitUsd":<more>}`;
  return ref.scope === 'agent' ? `${raise} or resume the agent with POST /agents/${ref.scopeId}/resume` : raise;
}

function money(usd: number): string {
  return String(roundUsd(usd));
}

function refusal(detail: string): HubError {
  return new HubError('budget_exceeded', detail);
}
