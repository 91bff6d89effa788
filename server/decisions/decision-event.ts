import type { NewEvent } from '../log/event.ts';
import { newEvent } from '../log/new-event.ts';
import type { DecisionChange } from './decision.ts';

export interface DecisionEventContext {
  actor: string;
  /** The asking agent and its task: every event of a decision carries them, so agent and task filters see it. */
  agentId: string | null;
  taskId: string | null;
  /** Unset: a key of the hub's that no one can have taken. */
  idempotencyKey?: string;
  causationId?: string;
  /** The request id, for events a request caused. */
  correlationDefault?: string;
}

/** The key the hub derives for a decision event: one event of each kind per decision. */
export function decisionKey(decisionId: string, kind: 'requested' | 'resolved' | 'expired' | 'escalation'): string {
  return `decision:${decisionId}:${kind}`;
}

/** The key of the hub's cancel of a decision because of `causeId` (its asker's end): one per cause. */
export function cancelKey(decisionId: string, causeId: string): string {
  return `decision:${decisionId}:cancelled-by:${causeId}`;
}

/** A decided change as an event ready to append. */
export function decisionEvent(change: DecisionChange, context: DecisionEventContext): NewEvent {
  return newEvent(
    {
      type: change.type,
      data: change.data,
      actor: context.actor,
      agentId: context.agentId,
      taskId: context.taskId,
      decisionId: change.decisionId,
      causationId: context.causationId ?? null,
      ...(context.idempotencyKey !== undefined ? { idempotencyKey: context.idempotencyKey } : {}),
    },
    context.correlationDefault,
  );
}
