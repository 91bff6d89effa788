import type { Contracts } from '../../contracts/index.ts';
import type { DecisionRequest } from '../../contracts/views.ts';
import type { Principal } from '../auth/roles.ts';
import type { HubConfig } from '../config.ts';
import { HubError } from '../errors.ts';
import { invalidInput } from '../http/json-body.ts';
import { type DecisionStatus, decisionStatuses as statuses } from '../../contracts/vocabulary.ts';
import type { DecisionAsk } from './decision.ts';
import type { DecisionAnswer } from './rules.ts';

/** The body of `POST /decisions` as an ask with its id and deadline, or a 400/403 that says what to fix. */
export function parseAsk(contracts: Contracts, config: HubConfig, principal: Principal, body: unknown, id: string, now: Date): DecisionAsk {
  const problems = contracts.check('requests/decision-request.schema.json', body);
  if (problems.length > 0) throw invalidInput(problems);
  const ask = body as DecisionRequest;
  const bound = principal.agentId;
  if (bound !== null && ask.agentId !== undefined && ask.agentId !== bound) {
    throw new HubError('forbidden', `an agent token asks decisions only for its own agent ("${bound}"), not "${ask.agentId}"`);
  }
  const expiresInSec = ask.expiresInSec ?? config.decisions.defaultExpiresInSec;
  return {
    id,
    title: ask.title,
    context: ask.context ?? '',
    options: ask.options ?? ['approve', 'deny'],
    risk: ask.risk,
    expiresAt: new Date(now.getTime() + expiresInSec * 1000).toISOString(),
    onTimeout: ask.onTimeout ?? config.decisions.defaultOnTimeout,
    agentId: bound ?? ask.agentId ?? null,
    taskId: ask.taskId ?? null,
  };
}

/** The body of `POST /decisions/:id/resolve`, answered by the caller. */
export function parseAnswer(contracts: Contracts, principal: Principal, body: unknown): DecisionAnswer {
  const problems = contracts.check('requests/decision-resolution.schema.json', body);
  if (problems.length > 0) throw invalidInput(problems);
  const { outcome, comment } = body as { outcome: string; comment?: string };
  return { outcome, by: principal.actor, ...(comment !== undefined ? { comment } : {}) };
}

/** `?status=`: one of the statuses, or every decision when unset. */
export function parseStatus(value: string | undefined): DecisionStatus | undefined {
  if (value === undefined || value === '') return undefined;
  if (!(statuses as readonly string[]).includes(value)) {
    throw new HubError('validation_failed', `status must be one of: ${statuses.join(', ')} (got ${JSON.stringify(value.slice(0, 40))})`);
  }
  return value as DecisionStatus;
}

/** An integer query parameter from `min` to `max`, `fallback` when unset. */
export function parseInteger(name: string, value: string | undefined, fallback: number, min: number, max: number, unit = ''): number {
  if (value === undefined || value === '') return fallback;
  const n = /^\d{1,7}$/.test(value) ? Number(value) : Number.NaN;
  if (!(n >= min && n <= max)) {
    throw new HubError('validation_failed', `${name} must be an integer from ${min} to ${max}${unit} (got ${JSON.stringify(value.slice(0, 40))})`);
  }
  return n;
}
