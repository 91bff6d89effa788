import { mayAppend } from '../auth/roles.ts';

/** True for an event its own agent caused (with its token), not one the hub or a person wrote about it. */
export function bySelf(event: { actor: string; agentId?: string | null }): boolean {
  return event.agentId != null && event.actor === `agent:${event.agentId}`;
}

/** True for an event an agent appended itself through `POST /events` (its report). */
export function isAgentReport(event: { type: string; actor: string; agentId: string | null }): boolean {
  return bySelf(event) && mayAppend('agent', event.type);
}

/** True for a decision an agent asked itself (`POST /decisions` with its token): it names a task as its reports do. */
export function isAgentAsk(event: { type: string; actor: string; agentId: string | null }): boolean {
  return event.type === 'decision.requested' && bySelf(event);
}
