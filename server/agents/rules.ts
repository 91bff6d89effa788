import type { EventEnvelope } from '../../contracts/index.ts';
import { HubError } from '../errors.ts';
import type { Change } from '../log/command.ts';
import { type PauseReason, type Role, liveStatuses } from '../../contracts/vocabulary.ts';
import { type Agent, bySelf, isFinal, isPausable } from './model.ts';


/** The later of two ISO times (null when both are). */
export function later(a: string | null, b: string | null): string | null {
  if (a === null || b === null) return a ?? b;
  return Date.parse(a) >= Date.parse(b) ? a : b;
}

/** When the hub last heard from the agent: its last heartbeat or its last event, whichever is later. */
export function lastSeenAt(agent: Agent, heartbeatAt: string | null): string {
  return later(agent.lastEventAt, heartbeatAt) ?? agent.createdAt;
}

/** A live agent (running or awaiting a decision) not heard from for `staleAfterMs` becomes stale, once per silence. */
export function decideStale(agent: Agent, heartbeatAt: string | null, now: Date, staleAfterMs: number): Change[] {
  if (!liveStatuses.includes(agent.status)) return [];
  const seen = lastSeenAt(agent, heartbeatAt);
  if (now.getTime() - Date.parse(seen) <= staleAfterMs) return [];
  return [{ type: 'agent.stale', agentId: agent.id, data: { lastSeenAt: seen }, idempotencyKey: `agent:${agent.id}:stale:${agent.lastSeq}` }];
}

/** A heartbeat from an unknown agent registers it; from a stale one, recovers it (once per staleness). */
export function decideHeartbeat(agent: Agent | undefined, id: string, now: Date, name: string | undefined): Change[] {
  if (agent === undefined) {
    return [{ type: 'agent.registered', agentId: id, data: { via: 'heartbeat', ...(name !== undefined ? { name } : {}) }, idempotencyKey: `agent:${id}:registered` }];
  }
  if (agent.status === 'stale') return [recovered(agent, now.toISOString())];
  return [];
}

/** An event the stale agent appended itself shows it is alive: it recovers, once per staleness. */
export function recoverOnOwnEvent(agent: Agent | undefined, event: EventEnvelope): Change[] {
  if (agent?.status !== 'stale' || !bySelf(event)) return [];
  return [recovered(agent, new Date(event.recordedAt).toISOString())];
}

function recovered(agent: Agent, seenAt: string): Change {
  return { type: 'agent.recovered', agentId: agent.id, data: { lastSeenAt: seenAt }, idempotencyKey: `agent:${agent.id}:recovered:${agent.statusSeq}` };
}

/** An operator pauses one agent: any that is alive or may be, not one already paused or gone. */
export function decidePause(agent: Agent | undefined, id: string, by: string, comment: string | undefined): Change[] {
  if (agent === undefined) throw unknownAgent(id);
  if (agent.status === 'paused') {
    throw new HubError('conflict', `agent "${id}" is already paused (reason: ${agent.pausedReason}); resume it with POST /agents/${id}/resume`);
  }
  if (!isPausable(agent.status)) {
    throw new HubError('conflict', `agent "${id}" is ${agent.status}; only a spawning, running, awaiting_decision or stale agent can be paused`);
  }
  return [{ type: 'agent.paused', agentId: id, data: { reason: 'operator', by, ...(comment !== undefined ? { comment } : {}) } }];
}

/**
 * Asks the runner of the agent to stop it. Only an agent the hub started has a process to stop
 * (one that registered itself is stopped by whoever runs it); one still waiting for a runner has
 * none yet and simply never starts; one that has ended is a 409.
 */
export function decideStop(agent: Agent | undefined, id: string, by: string, reason: string | undefined): Change[] {
  if (agent === undefined) throw unknownAgent(id);
  if (isFinal(agent.status)) throw new HubError('conflict', `agent "${id}" has already ${agent.status === 'exited' ? 'exited' : 'failed'}; there is nothing to stop`);
  if (agent.status === 'spawning' && agent.runnerId === null) {
    return [{ type: 'agent.exited', agentId: id, data: { code: null, signal: null, stoppedBy: by }, idempotencyKey: `agent:${id}:ended` }];
  }
  if (agent.template === null) {
    throw new HubError('conflict', `agent "${id}" registered itself: the hub did not start it, so it has no process to stop; revoke its token (DELETE /tokens/:id) to shut it out`);
  }
  return [{ type: 'agent.stop_requested', agentId: id, data: { by, ...(reason !== undefined ? { reason } : {}) } }];
}

// What a person or the budget paused stays paused until a person resumes it; the healer lifts only
// the pauses of the machinery (a decision's, its own).
const healerLiftable: ReadonlySet<PauseReason> = new Set(['decision', 'healer']);

/**
 * Resumes one paused agent. An operator (or admin) may resume whatever paused it (an override
 * of a budget pause); the healer only an agent paused by a decision or by the healer, logged
 * with reason `healer`.
 */
export function decideResume(agent: Agent | undefined, id: string, by: string, comment: string | undefined, role: Role = 'operator'): Change[] {
  if (agent === undefined) throw unknownAgent(id);
  if (agent.status !== 'paused') {
    const hint = isFinal(agent.status) ? 'it has ended' : 'it is not paused';
    throw new HubError('conflict', `agent "${id}" is ${agent.status} (${hint}); only a paused agent can be resumed`);
  }
  if (role === 'healer' && (agent.pausedReason === null || !healerLiftable.has(agent.pausedReason))) {
    throw new HubError('forbidden', `agent "${id}" was paused by ${agent.pausedReason ?? 'an unknown cause'}; the healer resumes only agents paused by a decision or by the healer: an operator must resume this one`);
  }
  const reason = role === 'healer' ? 'healer' : 'operator';
  return [{ type: 'agent.resumed', agentId: id, data: { reason, by, ...(comment !== undefined ? { comment } : {}) } }];
}

/** The positions of the last `hub.paused_all` and `hub.resumed_all` (null: never). */
export interface PauseAllMarks {
  pausedSeq: number | null;
  resumedSeq: number | null;
}

/** True while the hub is paused as a whole: the last of the two marks is a `hub.paused_all`. */
export function isPausedAll(marks: PauseAllMarks): boolean {
  return marks.pausedSeq !== null && (marks.resumedSeq === null || marks.pausedSeq > marks.resumedSeq);
}

/**
 * Pause-all pauses every agent that is alive or may be. Again while paused-all it pauses only
 * what came alive since, and logs no second `hub.paused_all` (200 with an empty list when nothing did).
 */
export function decidePauseAll(agents: readonly Agent[], pausedAll: boolean, by: string, reason: string | undefined): { paused: string[]; changes: Change[] } {
  const paused = agents.filter((a) => isPausable(a.status)).map((a) => a.id);
  const changes: Change[] = pausedAll ? [] : [{ type: 'hub.paused_all', data: { by, ...(reason !== undefined ? { reason } : {}) } }];
  for (const id of paused) changes.push({ type: 'agent.paused', agentId: id, data: { reason: 'pause_all', by } });
  return { paused, changes };
}

/** Resume-all resumes only the agents pause-all paused, not those an operator, the budget or the healer paused. */
export function decideResumeAll(agents: readonly Agent[], pausedAll: boolean, by: string, reason: string | undefined): { resumed: string[]; changes: Change[] } {
  const resumed = agents.filter((a) => a.status === 'paused' && a.pausedReason === 'pause_all').map((a) => a.id);
  const changes: Change[] = pausedAll ? [{ type: 'hub.resumed_all', data: { by, ...(reason !== undefined ? { reason } : {}) } }] : [];
  for (const id of resumed) changes.push({ type: 'agent.resumed', agentId: id, data: { reason: 'pause_all', by } });
  return { resumed, changes };
}

/**
 * Refuses (409 agent_paused) a run of an agent that is paused, or of any agent while the hub is
 * paused as a whole; a budget pause is left to the budget's 402. Undefined: it may run.
 */
export function refuseRunWhilePaused(agent: Agent | undefined, pausedAll: boolean): HubError | undefined {
  if (agent?.status === 'paused' && agent.pausedReason !== 'budget') {
    const by = agent.pausedReason === 'pause_all' ? 'the hub-wide pause (POST /resume-all lifts it)' : `reason ${agent.pausedReason} (POST /agents/${agent.id}/resume lifts it)`;
    return new HubError('agent_paused', `agent "${agent.id}" is paused by ${by}; start no run until it is resumed`);
  }
  if (pausedAll && agent?.status !== 'paused') {
    return new HubError('agent_paused', 'the hub is paused (pause-all): no run starts until an operator calls POST /resume-all');
  }
  return undefined;
}

/** The 404 for an agent the view does not know. */
export function unknownAgent(id: string): HubError {
  return new HubError('not_found', `no agent "${id}"; GET /agents lists them`);
}
