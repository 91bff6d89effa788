import { mayAppend } from '../auth/roles.ts';

/** True for an event an agent appended itself through `POST /events` (its report), not one the hub wrote about it. */
export function isAgentReport(event: { type: string; actor: string; agentId: string | null }): boolean {
  return event.agentId !== null && event.actor === `agent:${event.agentId}` && mayAppend('agent', event.type);
}

/** True for a decision an agent asked itself (`POST /decisions` with its token): it names a task as its reports do. */
export function isAgentAsk(event: { type: string; actor: string; agentId: string | null }): boolean {
  return event.type === 'decision.requested' && event.agentId !== null && event.actor === `agent:${event.agentId}`;
}
