import type { AgentView } from './types.ts';

/** What an operator may do to an agent in its state (the hub answers 409 otherwise). */
export interface AgentActions {
  pause: boolean;
  resume: boolean;
  inject: boolean;
}

const live = new Set(['spawning', 'running', 'awaiting_decision', 'stale']);
const reachable = new Set(['running', 'awaiting_decision', 'paused']);

export function agentActions(agent: AgentView): AgentActions {
  return { pause: live.has(agent.status), resume: agent.status === 'paused', inject: reachable.has(agent.status) };
}

/** Agents that still run first, then by name. */
export function agentOrder(agents: ReadonlyMap<string, AgentView>): AgentView[] {
  const ended = (a: AgentView) => (a.status === 'exited' || a.status === 'failed' ? 1 : 0);
  return [...agents.values()].sort((a, b) => ended(a) - ended(b) || a.name.localeCompare(b.name));
}
