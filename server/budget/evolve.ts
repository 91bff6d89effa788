import type { EventEnvelope } from '../../contracts/index.ts';
import { type Budget, type Scope, type ScopeRef, emptyBudget, reached, roundUsd, spendAfter, utcDay } from './model.ts';

/** The budgets an event changes, to load before folding it (none for most events). */
export function budgetsTouched(event: EventEnvelope): ScopeRef[] {
  const data = event.data;
  switch (event.type) {
    case 'run.completed':
      return [
        ...(event.agentId !== undefined ? [{ scope: 'agent' as const, scopeId: event.agentId }] : []),
        ...(event.taskId !== undefined ? [{ scope: 'task' as const, scopeId: event.taskId }] : []),
        { scope: 'global', scopeId: utcDay(event.recordedAt) },
      ];
    case 'budget.limit_changed':
    case 'budget.spend_corrected':
    case 'budget.warning':
    case 'budget.exceeded':
      return [{ scope: data.scope as Scope, scopeId: typeof data.scopeId === 'string' ? data.scopeId : utcDay(event.recordedAt) }];
    case 'agent.resumed':
      return data.reason === 'operator' && event.agentId !== undefined ? [{ scope: 'agent', scopeId: event.agentId }] : [];
    default:
      return [];
  }
}

/**
 * Folds one event into the budget of `ref` (undefined: no row yet). Flags change only by events
 * (`budget.warning`, `budget.exceeded`, a limit change, a spend correction, an operator's resume), never by the
 * configured defaults, so a rebuild folds to the same rows. Same object when nothing changed.
 */
export function evolveBudget(budget: Budget | undefined, ref: ScopeRef, event: EventEnvelope): Budget | undefined {
  const next = change(budget, ref, event);
  return next === budget || next === undefined ? budget : { ...next, lastSeq: event.seq };
}

function change(budget: Budget | undefined, ref: ScopeRef, event: EventEnvelope): Budget | undefined {
  const data = event.data;
  const b = budget ?? emptyBudget(ref);
  switch (event.type) {
    case 'run.completed':
      return { ...b, spentUsd: spendAfter(b.spentUsd, Number(data.costUsd)) };
    case 'budget.limit_changed': {
      const limitUsd = Number(data.limitUsd);
      return {
        ...b,
        limitUsd,
        // A new limit ends an operator's override; a limit above the spend lifts `exceeded`.
        overridden: false,
        exceeded: b.exceeded && reached(b.spentUsd, limitUsd),
        // The warning was for the old limit: react() logs one again if the spend is over the new line.
        warned: b.warned && b.limitUsd === limitUsd,
      };
    }
    case 'budget.spend_corrected':
      // The budget starts over from the corrected spend: react() warns and exceeds again if it is over the lines.
      return { ...b, spentUsd: roundUsd(Number(data.spentUsd)), warned: false, exceeded: false, overridden: false };
    case 'budget.warning':
      return b.warned ? budget : { ...b, warned: true };
    case 'budget.exceeded':
      return b.exceeded ? budget : { ...b, exceeded: true };
    case 'agent.resumed':
      // An operator resuming the agent overrides its own budget until the limit changes.
      return budget?.exceeded === true ? { ...budget, exceeded: false, overridden: true } : budget;
    default:
      return budget;
  }
}
