import type { EventEnvelope } from './types.ts';

/** The views a batch of events changed, by id: each is read again once (`GET /agents/:id`, ...). */
export interface RefreshPlan {
  agents: string[];
  tasks: string[];
  decisions: string[];
}

// Events that change an agent's row (status, spend, budget, pending decision, task). Output lines
// and custom events only move its lastSeenAt, which the store applies directly.
const agentPrefixes = ['agent.', 'run.completed', 'budget.', 'decision.', 'task.assigned', 'task.transitioned', 'hub.loop_detected'];

/** Which agents, tasks and decisions to read again after `events`. */
export function refreshPlan(events: readonly EventEnvelope[]): RefreshPlan {
  const agents = new Set<string>();
  const tasks = new Set<string>();
  const decisions = new Set<string>();
  for (const event of events) {
    if (event.agentId && event.type !== 'agent.output' && agentPrefixes.some((p) => event.type.startsWith(p))) agents.add(event.agentId);
    if (event.taskId && (event.type.startsWith('task.') || event.type === 'hub.loop_detected')) tasks.add(event.taskId);
    if (event.decisionId && event.type.startsWith('decision.')) decisions.add(event.decisionId);
  }
  return { agents: [...agents], tasks: [...tasks], decisions: [...decisions] };
}
