import { type AgentStatus, type PauseReason, pausableStatuses } from '../../contracts/vocabulary.ts';

/** An agent as the rules see it: one row of the agents view. */
export interface Agent {
  id: string;
  name: string;
  template: string | null;
  status: AgentStatus;
  taskId: string | null;
  pendingDecisionId: string | null;
  pausedReason: PauseReason | null;
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
