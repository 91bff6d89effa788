import { injectableStatuses, pausableStatuses } from '../../../contracts/vocabulary.ts';
import type { AgentView } from './types.ts';

/** What an operator may do to an agent in its state (the hub answers 409 otherwise). */
export interface AgentActions {
  pause: boolean;
  resume: boolean;
  inject: boolean;
  /** Only an agent the hub started has a process to stop; one that registered itself is stopped by whoever runs it. */
  stop: boolean;
}

export function agentActions(agent: AgentView): AgentActions {
  const ended = agent.status === 'exited' || agent.status === 'failed';
  return { pause: pausableStatuses.includes(agent.status), resume: agent.status === 'paused', inject: injectableStatuses.includes(agent.status), stop: agent.template !== null && !ended };
}

/** Agents that still run first, then by name. */
export function agentOrder(agents: ReadonlyMap<string, AgentView>): AgentView[] {
  const ended = (a: AgentView) => (a.status === 'exited' || a.status === 'failed' ? 1 : 0);
  return [...agents.values()].sort((a, b) => ended(a) - ended(b) || a.name.localeCompare(b.name));
}
