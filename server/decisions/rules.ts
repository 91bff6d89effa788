import { HubError } from '../errors.ts';
import type { Risk } from '../../contracts/vocabulary.ts';
import { type Decision, type DecisionAsk, type DecisionChange, clip, limits, validOutcomes } from './model.ts';

/** Who answers, and how. `by` is the operator's actor: "different operators" are different actors. */
export interface DecisionAnswer {
  outcome: string;
  by: string;
  comment?: string;
  /** With an approval of a tool call: the same call is allowed from now on, for whom (see the policies feature). */
  allowFromNow?: 'agent' | 'project' | 'everyone';
  /** The person behind `by`, when known: one person's approvals count once, whichever of their tokens or links gave them. */
  person?: string;
}

/** The events of a new decision: `low` risk is approved by policy at once, the rest wait for an operator. */
export function decideRequest(ask: DecisionAsk): DecisionChange[] {
  if (ask.risk === 'red' && ask.onTimeout === 'approve') {
    throw new HubError('validation_failed', 'a red-risk decision needs two operators, so it cannot be approved by its deadline passing: use onTimeout "deny" or "escalate"', [
      { path: '/onTimeout', message: 'must be deny or escalate when risk is red' },
    ]);
  }
  const requested: DecisionChange = {
    type: 'decision.requested',
    decisionId: ask.id,
    data: { title: ask.title, context: ask.context, options: ask.options, risk: ask.risk, expiresAt: ask.expiresAt, onTimeout: ask.onTimeout, ...(ask.projectId !== undefined ? { projectId: ask.projectId } : {}), ...(ask.tool !== undefined ? { tool: ask.tool } : {}) },
  };
  if (ask.risk !== 'low') return [requested];
  return [requested, { type: 'decision.resolved', decisionId: ask.id, data: { outcome: 'approve', by: 'policy', comment: 'approved by policy: low risk' } }];
}

/** An agent's report names only a decision it asked itself; else a 403 that says which it may name. */
export function refuseForeignDecision(agentId: string, decisionId: string, decision: Decision | undefined): HubError | undefined {
  if (decision?.agentId === agentId) return undefined;
  const whose = decision === undefined ? 'does not exist' : decision.agentId === null ? 'was not asked by an agent' : `was asked by agent "${decision.agentId}"`;
  return new HubError('forbidden', `agent "${agentId}" may name only decisions it asked: "${decisionId}" ${whose}; name one it asked with POST /decisions, or leave decisionId out`);
}

/** True when a retried request asks the same as the decision its key already made. */
export function sameAsk(decision: Decision, ask: Omit<DecisionAsk, 'id' | 'expiresAt'>): boolean {
  return (
    decision.title === ask.title &&
    decision.context === ask.context &&
    decision.risk === ask.risk &&
    decision.onTimeout === ask.onTimeout &&
    decision.agentId === ask.agentId &&
    decision.taskId === ask.taskId &&
    JSON.stringify(decision.options) === JSON.stringify(ask.options)
  );
}

/**
 * The events of an answer. The first answer wins: the same answer again changes nothing, another
 * is a 409. A deny resolves at once; a red approval needs two different operators, neither of them its asker.
 */
export function decideResolve(decision: Decision, answer: DecisionAnswer, now: Date, askerPerson?: string): DecisionChange[] {
  const { id } = decision;
  const allowed = validOutcomes(decision);
  if (!allowed.includes(answer.outcome)) {
    throw new HubError('validation_failed', `"${answer.outcome}" is not an answer to decision ${id}; answer one of: ${allowed.join(', ')}`, [
      { path: '/outcome', message: `must be one of: ${allowed.join(', ')}` },
    ]);
  }
  if (decision.status === 'expired') {
    throw conflict(`decision ${id} expired unanswered at ${decision.expiresAt} and its onTimeout (${decision.onTimeout}) applied: outcome "${decision.outcome}"; it takes no more answers`);
  }
  if (decision.status === 'cancelled') throw conflict(`decision ${id} was cancelled by ${decision.resolvedBy}; it takes no more answers`);
  if (decision.status === 'resolved') {
    if (decision.outcome === answer.outcome) return [];
    throw conflict(`decision ${id} was already resolved "${decision.outcome}" by ${decision.resolvedBy}; the first answer wins`);
  }
  if (now.getTime() >= Date.parse(decision.expiresAt)) {
    throw conflict(`decision ${id} passed its deadline (${decision.expiresAt}) unanswered; its onTimeout (${decision.onTimeout}) applies`);
  }
  const resolved: DecisionChange = {
    type: 'decision.resolved',
    decisionId: id,
    data: {
      outcome: answer.outcome,
      by: answer.by,
      ...(answer.comment !== undefined ? { comment: answer.comment } : {}),
      ...(answer.allowFromNow !== undefined ? { allowFromNow: answer.allowFromNow } : {}),
      ...(answer.person !== undefined ? { person: answer.person } : {}),
    },
  };
  if (answer.outcome === 'deny' || decision.risk !== 'red') return [resolved];
  if (answer.outcome !== 'approve') {
    throw conflict(`decision ${id} is red risk: answer "approve" (two different operators must) or "deny", not "${answer.outcome}"`);
  }
  if (answer.by === decision.requestedBy || (answer.person !== undefined && answer.person === askerPerson)) {
    throw new HubError('forbidden', `${answer.person ?? answer.by} asked decision ${id}, so their approval does not count: two other people must approve it (the asker may still deny it)`);
  }
  if (decision.approvals.some((a) => a.by === answer.by || (answer.person !== undefined && a.person === answer.person))) return [];
  if (decision.approvals.length === 0) return [{ type: 'decision.approved_once', decisionId: id, data: { by: answer.by, ...(answer.person !== undefined ? { person: answer.person } : {}) } }];
  return [resolved];
}

/** Who withdraws a decision, and why. */
export interface DecisionCancel {
  by: string;
  reason?: string;
}

/** The event withdrawing a pending decision; a settled one takes no cancel (409, naming how it settled). */
export function decideCancel(decision: Decision, cancel: DecisionCancel): DecisionChange[] {
  const { id } = decision;
  if (decision.status === 'cancelled') throw conflict(`decision ${id} was already cancelled by ${decision.resolvedBy}`);
  if (decision.status === 'expired') throw conflict(`decision ${id} already expired at ${decision.expiresAt} with outcome "${decision.outcome}"; there is nothing to cancel`);
  if (decision.status === 'resolved') throw conflict(`decision ${id} was already resolved "${decision.outcome}" by ${decision.resolvedBy}; there is nothing to cancel`);
  return [{ type: 'decision.cancelled', decisionId: id, data: { by: cancel.by, ...(cancel.reason !== undefined ? { reason: cancel.reason } : {}) } }];
}

/** Who may withdraw a decision: an operator or admin any, anyone else only one it asked itself. */
export function mayCancel(canceller: { role: string; actor: string }, decision: Pick<Decision, 'id' | 'requestedBy'>): boolean {
  return canceller.role === 'admin' || canceller.role === 'operator' || decision.requestedBy === canceller.actor;
}

/**
 * Why an agent's own pending decisions are withdrawn when `event` ends it (`agent.exited`,
 * `agent.failed`), or undefined when the event does not end an agent: no one is left to wait.
 */
export function askerEndedReason(event: { type: string; agentId?: string; data: Record<string, unknown> }): string | undefined {
  if (event.agentId === undefined) return undefined;
  if (event.type === 'agent.exited') {
    const { stoppedBy } = event.data;
    return typeof stoppedBy === 'string' ? clip(`the asking agent ${event.agentId} was stopped by ${stoppedBy}`, limits.reason) : `the asking agent ${event.agentId} exited (code ${String(event.data.code ?? 'unknown')})`;
  }
  if (event.type !== 'agent.failed') return undefined;
  const how = typeof event.data.signal === 'string' ? `was killed by ${event.data.signal}` : `failed (code ${String(event.data.code ?? 'unknown')})`;
  const error = typeof event.data.error === 'string' && event.data.error !== '' ? `: ${event.data.error}` : '';
  return clip(`the asking agent ${event.agentId} ${how}${error}`, limits.reason);
}

/** What the hub opens when a decision escalates: the same question, at least `high` risk, denied if unanswered again. */
export interface Escalation {
  id: string;
  expiresAt: string;
}

/**
 * The events of a passed deadline: `decision.expired` with the outcome `onTimeout` gives (`escalated`
 * when it escalates, with a new decision); nothing when the decision is answered or not yet due.
 */
export function decideExpiry(decision: Decision, now: Date, escalation: Escalation): DecisionChange[] {
  if (decision.status !== 'pending' || now.getTime() < Date.parse(decision.expiresAt)) return [];
  const outcome = decision.onTimeout === 'escalate' ? 'escalated' : decision.onTimeout;
  const expired: DecisionChange = { type: 'decision.expired', decisionId: decision.id, data: { outcome, onTimeout: decision.onTimeout } };
  if (decision.onTimeout !== 'escalate') return [expired];
  return [expired, ...decideRequest(escalationOf(decision, escalation))];
}

/** The decision an escalation opens in place of `decision`. */
export function escalationOf(decision: Decision, escalation: Escalation): DecisionAsk {
  const note = `Escalated: decision ${decision.id} ("${decision.title}") expired unanswered at ${decision.expiresAt}.`;
  return {
    id: escalation.id,
    title: clip(`Escalated: ${decision.title}`, limits.title),
    context: clip(decision.context === '' ? note : `${note}\n\n${decision.context}`, limits.context),
    options: decision.options,
    risk: raised(decision.risk),
    expiresAt: escalation.expiresAt,
    onTimeout: 'deny',
    agentId: decision.agentId,
    taskId: decision.taskId,
  };
}

function raised(risk: Risk): Risk {
  return risk === 'low' || risk === 'medium' ? 'high' : risk;
}

function conflict(message: string): HubError {
  return new HubError('conflict', message);
}
