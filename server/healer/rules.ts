import { type Failure, describeFailure, failureText } from './failure.ts';
import type { HealAction } from '../../contracts/vocabulary.ts';
import type { HealerPlaybook } from './playbook.ts';
import type { HealOutcome, HealTarget, HealerState, OpenEscalation } from './state.ts';

/** What to do about a failure: act (after a wait) as attempt N of a playbook, or hand it to a human. */
export type HealStep =
  | { kind: 'act'; target: HealTarget; playbook: HealerPlaybook; attempt: number; delayMs: number }
  | { kind: 'escalate'; outcome: Extract<HealOutcome, { kind: 'escalated' }> };

/** The playbook name reported when an operator's `retry` answers a failure no playbook matched. */
export const operatorRetry = 'operator-retry';

const reasonLimit = 4000;

/** The first playbook whose every set field matches the failure. */
export function matchPlaybook(playbooks: readonly HealerPlaybook[], failure: Failure): HealerPlaybook | undefined {
  return playbooks.find(({ match }) => {
    if (match.type !== failure.type) return false;
    if (match.template !== undefined && match.template !== failure.template) return false;
    if (match.exitCode !== undefined && match.exitCode !== failure.code) return false;
    return match.errorPattern === undefined || new RegExp(match.errorPattern).test(failureText(failure));
  });
}

/** The failure's lineage: the one its agent inherited from an earlier heal, else its own event id. */
export function lineageOf(state: HealerState, failure: Failure): string {
  return (failure.agentId !== undefined ? state.lineages[failure.agentId] : undefined) ?? failure.eventId;
}

export function targetOf(state: HealerState, failure: Failure): HealTarget {
  return {
    failureEventId: failure.eventId,
    failureType: failure.type,
    lineage: lineageOf(state, failure),
    ...(failure.agentId !== undefined ? { agentId: failure.agentId } : {}),
    ...(failure.taskId !== undefined ? { taskId: failure.taskId } : {}),
    summary: describeFailure(failure),
    ...(failure.trace !== undefined ? { trace: failure.trace } : {}),
  };
}

/** The wait before an attempt: `backoffMs`, doubled for every attempt after the first. */
export function backoffFor(playbook: HealerPlaybook, attempt: number): number {
  return playbook.backoffMs * 2 ** Math.max(0, attempt - 1);
}

/** The next step for a failure, from the attempts its lineage has already used. */
export function nextStep(state: HealerState, playbooks: readonly HealerPlaybook[], failure: Failure): HealStep {
  const target = targetOf(state, failure);
  const playbook = matchPlaybook(playbooks, failure);
  if (!playbook) {
    const reason = `${target.summary}. No playbook matches it, so nothing was tried.`;
    return { kind: 'escalate', outcome: { kind: 'escalated', target, reason: clip(reason), action: 'respawn', attempts: 0 } };
  }
  const used = state.attempts[target.lineage]?.[playbook.name] ?? 0;
  if (used >= playbook.maxAttempts) {
    const reason =
      `${target.summary}. Playbook ${playbook.name} (${playbook.action}) has used all ${playbook.maxAttempts} attempts ` +
      `for this lineage (first failure ${target.lineage}) and it still fails.`;
    return { kind: 'escalate', outcome: { kind: 'escalated', target, reason: clip(reason), playbook: playbook.name, action: playbook.action, attempts: used } };
  }
  const attempt = used + 1;
  return { kind: 'act', target, playbook, attempt, delayMs: backoffFor(playbook, attempt) };
}

/** The outcome of an action the hub carried out. */
export function healed(target: HealTarget, playbook: string, action: HealAction, attempt: number, spawnedAgentId?: string): HealOutcome {
  return { kind: 'healed', target, playbook, action, attempt, ...(spawnedAgentId !== undefined ? { spawnedAgentId } : {}) };
}

/** The outcome of an action the hub refused or could not carry out: a human takes over. */
export function actionFailed(target: HealTarget, playbook: string, action: HealAction, attempt: number, why: string): HealOutcome {
  const by = playbook === operatorRetry ? 'An operator asked to retry' : `Playbook ${playbook}`;
  const reason = `${target.summary}. ${by}: ${action} (attempt ${attempt}) failed: ${why}`;
  return { kind: 'escalated', target, reason: clip(reason), playbook, action, attempts: attempt };
}

/** The idempotency key of a respawn: the same failure and attempt always name the same spawn. */
export function respawnKey(failureEventId: string, attempt: number): string {
  return `heal:${failureEventId}:${attempt}`;
}

/** The reason recorded on a task the healer moves back to `todo`. */
export function retryTaskReason(target: HealTarget): string {
  return clip(`healer: retry after ${target.summary}`);
}

/** What an operator's answer to an escalation means: anything but a yes ends it. */
export function answerOf(outcome: string): 'retry' | 'abandon' {
  return outcome === 'retry' || outcome === 'approve' ? 'retry' : 'abandon';
}

/** The extra attempt an operator's `retry` runs: the playbook's action, or a respawn when none matched. */
export function retryAttempt(escalation: OpenEscalation): { target: HealTarget; playbook: string; action: HealAction; attempt: number } {
  const { playbook, action, attempts, ...target } = escalation;
  return { target, playbook: playbook ?? operatorRetry, action, attempt: attempts + 1 };
}

function clip(text: string): string {
  return text.length <= reasonLimit ? text : `${text.slice(0, reasonLimit - 1)}…`;
}
