import { childSpan } from '../../contracts/trace-context.ts';
import type { Logger } from 'pino';
import { sleep } from '../client/backoff.ts';
import { HubClientError } from '../client/errors.ts';
import type { EventEnvelope } from '../client/views.ts';
import { failureOf } from './failure.ts';
import type { AgentOrigin, HealerHub } from './hub-actions.ts';
import type { HealAction } from '../../contracts/vocabulary.ts';
import type { HealerPlaybook } from './playbook.ts';
import { actionFailed, answerOf, healed, nextStep, respawnKey, retryAttempt, retryTaskReason } from './rules.ts';
import type { EventEffect, HealOutcome, HealTarget, HealerState } from './state.ts';

export interface HealDeps {
  hub: HealerHub;
  playbooks: readonly HealerPlaybook[];
  logger: Logger;
  /** Aborts waits (a playbook's backoff) as soon as the healer stops. */
  stopping: AbortSignal;
  /** Aborts requests in flight once the stop's grace period is over. */
  abort: AbortSignal;
}

/** An action the failure itself rules out (nothing to respawn, no task): a human must look. */
class CannotAct extends Error {}

/**
 * What one event means to the healer: acts on a failure or on the answer to an escalation, and
 * says what changed. Throws what a retry may cure (the hub unreachable, a stop), so the caller
 * handles the same event again; every write it makes is keyed, so a repeat changes nothing.
 */
export async function effectOf(deps: HealDeps, state: HealerState, event: EventEnvelope): Promise<EventEffect> {
  if (event.type === 'decision.resolved' || event.type === 'decision.expired' || event.type === 'decision.cancelled') {
    return answerEffect(deps, state, event);
  }
  if (event.type === 'agent.exited') return exitEffect(state, event);
  const origin = event.agentId ? await deps.hub.findOrigin(event.agentId, deps.abort) : undefined;
  if (origin !== undefined && event.actor === `agent:${event.agentId}`) {
    // The hub started it, so only the hub's report of its process ends it; the agent's own word does not.
    deps.logger.info({ failureEventId: event.id, agentId: event.agentId }, 'an agent the hub started reported its own failure: left to the hub');
    return {};
  }
  const failure = failureOf(event, origin);
  const step = nextStep(state, deps.playbooks, failure);
  if (step.kind === 'escalate') {
    deps.logger.warn({ failureEventId: failure.eventId, agentId: failure.agentId, reason: step.outcome.reason }, 'escalating a failure to a human');
    return { outcome: step.outcome };
  }
  const { target, playbook, attempt, delayMs } = step;
  deps.logger.info(
    { failureEventId: target.failureEventId, agentId: target.agentId, playbook: playbook.name, action: playbook.action, attempt, delayMs },
    `healing: ${playbook.action} (playbook ${playbook.name}, attempt ${attempt} of ${playbook.maxAttempts}) in ${delayMs} ms`,
  );
  await sleep(delayMs, deps.stopping);
  return { outcome: await attemptAction(deps, target, playbook.name, playbook.action, attempt, origin) };
}

async function answerEffect(deps: HealDeps, state: HealerState, event: EventEnvelope): Promise<EventEffect> {
  const decisionId = event.decisionId;
  const escalation = decisionId !== undefined ? state.escalations[decisionId] : undefined;
  if (decisionId === undefined || !escalation) return {};
  const log = deps.logger.child({ decisionId, failureEventId: escalation.failureEventId });
  if (event.type === 'decision.cancelled') {
    log.info('the escalation was cancelled; the failure is left alone');
    return { closes: decisionId };
  }
  if (event.type === 'decision.expired') {
    const to = await deps.hub.escalatedTo(decisionId, deps.abort);
    if (to !== undefined) return { moves: { from: decisionId, to } };
  }
  const outcome = String(event.data.outcome);
  if (answerOf(outcome) === 'abandon') {
    log.info({ outcome }, `the operator answered ${outcome}: the failure is abandoned`);
    return { closes: decisionId };
  }
  const retry = retryAttempt(escalation);
  log.info({ playbook: retry.playbook, action: retry.action, attempt: retry.attempt }, `the operator answered ${outcome}: trying ${retry.action} once more`);
  const origin = retry.target.agentId !== undefined ? await deps.hub.findOrigin(retry.target.agentId, deps.abort) : undefined;
  return { closes: decisionId, outcome: await attemptAction(deps, retry.target, retry.playbook, retry.action, retry.attempt, origin) };
}

/** An agent of a lineage exited cleanly: the lineage healed. Any other exit is none of the healer's business. */
function exitEffect(state: HealerState, event: EventEnvelope): EventEffect {
  const lineage = event.agentId !== undefined ? state.lineages[event.agentId] : undefined;
  return lineage === undefined ? {} : { ends: lineage };
}

/** Runs one attempt; the hub refusing it (a 4xx) becomes an escalation, anything a retry may cure is thrown. */
async function attemptAction(
  deps: HealDeps,
  target: HealTarget,
  playbook: string,
  action: HealAction,
  attempt: number,
  origin: AgentOrigin | undefined,
): Promise<HealOutcome> {
  const log = deps.logger.child({ failureEventId: target.failureEventId, agentId: target.agentId, playbook, action, attempt });
  try {
    const spawnedAgentId = await act(deps, target, action, attempt, origin);
    log.info({ spawnedAgentId }, `healed: ${action} done (attempt ${attempt})`);
    return healed(target, playbook, action, attempt, spawnedAgentId);
  } catch (error) {
    const refused = error instanceof CannotAct || (error instanceof HubClientError && !error.transient);
    if (!refused || deps.stopping.aborted || deps.abort.aborted) throw error;
    log.warn({ err: error }, `${action} failed (attempt ${attempt}): escalating`);
    return actionFailed(target, playbook, action, attempt, (error as Error).message);
  }
}

/** The action itself, through the hub; answers the new agent's id for a respawn. */
async function act(deps: HealDeps, target: HealTarget, action: HealAction, attempt: number, origin: AgentOrigin | undefined): Promise<string | undefined> {
  const signal = deps.abort;
  // The fix joins the failure's trace, as a span of the healer's own.
  const hub = target.trace ? deps.hub.inSpan(childSpan(target.trace)) : deps.hub;
  if (action === 'respawn') {
    if (!origin || target.agentId === undefined) throw new CannotAct(`agent ${target.agentId ?? '(none)'} has no agent.spawn_requested event: the hub did not start it, so it cannot be respawned`);
    return hub.respawn(target.agentId, respawnKey(target.failureEventId, attempt), signal);
  }
  if (action === 'resume') {
    if (target.agentId === undefined) throw new CannotAct(`${target.failureType} ${target.failureEventId} names no agent to resume`);
    await hub.resume(target.agentId, `healer: resume after ${target.failureType} ${target.failureEventId}`, signal);
    return undefined;
  }
  if (target.taskId === undefined) throw new CannotAct(`agent ${target.agentId ?? '(none)'} works on no task, so there is no task to retry`);
  await hub.retryTask(target.taskId, retryTaskReason(target), signal);
  return undefined;
}
