import type { Agent } from '../../server/agents/model.ts';

/** An agent as the rules see it: a running agent agt_1 that registered itself, with `over` laid on. */
export function agentRow(over: Partial<Agent> = {}): Agent {
  return {
    id: 'agt_1',
    name: 'agt_1',
    template: null,
    status: 'running',
    taskId: null,
    pendingDecisionId: null,
    pausedReason: null,
    runnerId: null,
    projectId: 'default',
    lastEventAt: null,
    createdAt: '2026-11-21T10:00:00.000Z',
    lastSeq: 1,
    statusSeq: 1,
    ...over,
  };
}
