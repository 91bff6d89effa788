import type { Decision } from '../../server/decisions/model.ts';

/** A decision as the rules see it: a pending medium one, dec_1, asked by agent agt_1 for task tsk_1 at `createdAt`, due an hour later, with `over` laid on. */
export function decisionRow(over: Partial<Decision> = {}, createdAt = new Date('2026-01-01T00:00:00.000Z')): Decision {
  return {
    id: 'dec_1',
    title: 'Deploy to production?',
    context: 'all tests pass',
    options: ['approve', 'deny'],
    risk: 'medium',
    expiresAt: new Date(createdAt.getTime() + 3_600_000).toISOString(),
    onTimeout: 'deny',
    agentId: 'agt_1',
    taskId: 'tsk_1',
    status: 'pending',
    outcome: null,
    approvals: [],
    resolvedBy: null,
    comment: null,
    requestedBy: 'agent:agt_1',
    createdAt: createdAt.toISOString(),
    resolvedAt: null,
    escalatedTo: null,
    projectId: 'default',
    tool: null,
    ...over,
  };
}
