import type { EventEnvelope } from '../../contracts/index.ts';
import type { NewEvent } from '../log/event.ts';
import { newEvent } from '../log/new-event.ts';
import type { AgentChange } from './rules.ts';

/** The event for a change a rule decided, written by `actor`; `cause` links a reaction to what caused it. */
export function changeEvent(change: AgentChange, actor: string, cause?: EventEnvelope, correlationId?: string): NewEvent {
  return newEvent(
    {
      type: change.type,
      data: change.data,
      actor,
      agentId: change.agentId ?? null,
      ...(change.idempotencyKey !== undefined ? { idempotencyKey: change.idempotencyKey } : {}),
      ...(cause !== undefined ? { causationId: cause.id, correlationId: cause.correlationId ?? null } : {}),
    },
    correlationId,
  );
}
