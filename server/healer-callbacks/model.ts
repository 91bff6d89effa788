import type { EventEnvelope } from '../../contracts/index.ts';
import { type DecisionAsk, clip, limits, newDecisionId } from '../decisions/model.ts';

/** What the healer reports when it gives up on a failure. */
export interface Escalated {
  failureEventId: string;
  reason: string;
  playbook?: string;
  attempts?: number;
}

/** The decision a human gets when the healer gives up: what failed, what was tried, retry or abandon; the agent by its name when the view knows it. */
export function escalationAsk(escalated: Escalated, failure: EventEnvelope | undefined, expiresAt: Date, agentName?: string): DecisionAsk {
  const data = (failure?.data ?? {}) as { error?: string; code?: number | null; stderrTail?: string[] };
  const who = failure?.agentId ? `agent ${agentName ?? failure.agentId}` : 'an agent';
  const lines = [
    `The healer could not fix a failure of ${who}${agentName !== undefined && agentName !== failure?.agentId ? ` (${failure?.agentId})` : ''} and asks a human.`,
    '',
    `Failure: ${data.error ?? 'unknown'}${data.code != null && !String(data.error).includes(`code ${data.code}`) ? ` (exit code ${data.code})` : ''} — event ${escalated.failureEventId}`,
    `Tried: ${escalated.playbook ? `playbook "${escalated.playbook}", ${escalated.attempts ?? 0} attempt(s)` : 'no playbook matched'}`,
    `Why it stopped: ${escalated.reason}`,
  ];
  if (data.stderrTail?.length) lines.push('', 'Last stderr lines:', ...data.stderrTail.slice(-10).map((l) => `    ${l}`));
  lines.push('', 'Answer "retry" to let the healer try again, or "abandon" to leave it.');
  return {
    id: newDecisionId(),
    title: clip(`Healer escalation: ${who} failed`, limits.title),
    context: clip(lines.join('\n'), limits.context),
    options: ['retry', 'abandon'],
    risk: 'high',
    expiresAt: expiresAt.toISOString(),
    onTimeout: 'deny',
    agentId: failure?.agentId ?? null,
    taskId: failure?.taskId ?? null,
  };
}

/** The idempotency key of the event a healer callback appends: one per `webhook-id`. */
export function callbackKey(webhookId: string | undefined): string {
  return `hub:webhook:${webhookId}`;
}
