import type { OnTimeout, Risk } from '../../contracts/vocabulary.ts';
import type { Decision, DecisionFact } from './model.ts';

/**
 * Folds one event into a decision (undefined: not asked yet). Only a pending decision changes, so
 * folding the log again gives the same rows; the result is the same object when nothing changed.
 */
export function evolve(decision: Decision | undefined, fact: DecisionFact): Decision | undefined {
  const data = fact.data;
  const at = iso(fact.recordedAt);
  if (fact.type === 'decision.requested') {
    if (decision !== undefined) return decision;
    return {
      id: fact.decisionId,
      title: String(data.title),
      context: String(data.context ?? ''),
      options: (data.options as string[]) ?? [],
      risk: data.risk as Risk,
      status: 'pending',
      outcome: null,
      approvals: [],
      resolvedBy: null,
      comment: null,
      expiresAt: iso(String(data.expiresAt)),
      onTimeout: data.onTimeout as OnTimeout,
      agentId: fact.agentId,
      taskId: fact.taskId,
      requestedBy: fact.actor,
      createdAt: at,
      resolvedAt: null,
      escalatedTo: null,
      projectId: typeof data.projectId === 'string' ? data.projectId : 'default',
      tool: typeof data.tool === 'string' ? data.tool : null,
    };
  }
  if (decision === undefined || decision.status !== 'pending') return decision;
  switch (fact.type) {
    case 'decision.approved_once':
      return { ...decision, approvals: [...decision.approvals, { by: String(data.by), at, ...(typeof data.person === 'string' ? { person: data.person } : {}) }] };
    case 'decision.resolved': {
      const outcome = String(data.outcome);
      const by = String(data.by);
      return {
        ...decision,
        status: 'resolved',
        outcome,
        resolvedBy: by,
        comment: typeof data.comment === 'string' ? data.comment : null,
        resolvedAt: at,
        approvals: outcome === 'deny' ? decision.approvals : [...decision.approvals, { by, at, ...(typeof data.person === 'string' ? { person: data.person } : {}) }],
      };
    }
    case 'decision.expired':
      return { ...decision, status: 'expired', outcome: String(data.outcome), resolvedAt: at };
    case 'decision.cancelled':
      return {
        ...decision,
        status: 'cancelled',
        resolvedBy: String(data.by),
        comment: typeof data.reason === 'string' ? data.reason : null,
        resolvedAt: at,
      };
    default:
      return decision;
  }
}

/** Records the decision an escalation opened in this one's place. */
export function linkEscalation(decision: Decision, escalatedTo: string): Decision {
  return decision.escalatedTo === escalatedTo ? decision : { ...decision, escalatedTo };
}

function iso(time: string): string {
  return new Date(time).toISOString();
}
