import { mayAppend } from '../auth/roles.ts';

/** True for an event an agent appended itself through `POST /events` (its report), not one the hub wrote about it. */
export function isAgentReport(event: { type: string; actor: string; agentId: string | null }): boolean {
  return event.agentId !== null && event.actor === `agent:${event.agentId}` && mayAppend('agent', event.type);
}
