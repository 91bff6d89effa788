import { type AgentStatus, type PauseReason, pausableStatuses } from '../../contracts/vocabulary.ts';
import { mayAppend } from '../auth/roles.ts';

/** The one event about an agent that is not its activity: it says the agent was not heard from. */
export const silenceType = 'agent.stale';

/** An agent as the rules see it: one row of the agents view. */
export interface Agent {
  id: string;
  name: string;
  template: string | null;
  status: AgentStatus;
  taskId: string | null;
  pendingDecisionId: string | null;
  pausedReason: PauseReason | null;
  /** The project it belongs to (its template's; `default`). */
  projectId: string;
  /** The runner it is placed on (`agent.assigned`); null until one takes it, or for an agent that registered itself. */
  runnerId: string | null;
  /** `recordedAt` of its latest event (ISO), `agent.stale` aside: that one says it was not heard from. */
  lastEventAt: string | null;
  createdAt: string;
  lastSeq: number;
  /** The event that set the current status; for a stale agent, its `agent.stale`. */
  statusSeq: number;
}

/** The agent's API view. */
export type { AgentView } from '../../contracts/views.ts';

/** True for exited and failed: nothing but a respawn moves such an agent. */
export function isFinal(status: AgentStatus): boolean {
  return status === 'exited' || status === 'failed';
}

/** True when the agent can be paused: it is alive or may be (stale), and not paused already. */
export function isPausable(status: AgentStatus): boolean {
  return pausableStatuses.includes(status);
}

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
