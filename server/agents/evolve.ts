import type { EventEnvelope } from '../../contracts/index.ts';
import { type PauseReason, liveStatuses } from '../../contracts/vocabulary.ts';
import { type Agent, bySelf, isFinal, silenceType } from './model.ts';

const closesDecision = new Set(['decision.resolved', 'decision.expired', 'decision.cancelled']);

/** Which rows an event may change: the agents it names, the holder of a reassigned task, the asker of a closed decision. */
export interface AgentsTouched {
  ids: string[];
  taskId: string | null;
  pendingDecisionId: string | null;
}

/** The rows to load before folding `event`; undefined when it concerns no agent (most events, read nothing). */
export function agentsTouched(event: EventEnvelope): AgentsTouched | undefined {
  const ids = event.agentId !== undefined ? [event.agentId] : [];
  let taskId: string | null = null;
  let pendingDecisionId: string | null = null;
  if (event.type === 'task.assigned' && event.taskId !== undefined) {
    const assignee = event.data.agentId;
    if (typeof assignee === 'string' && !ids.includes(assignee)) ids.push(assignee);
    taskId = event.taskId;
  }
  if (closesDecision.has(event.type) && event.decisionId !== undefined) pendingDecisionId = event.decisionId;
  return ids.length > 0 || taskId !== null || pendingDecisionId !== null ? { ids, taskId, pendingDecisionId } : undefined;
}

/**
 * Folds one event into an agent (undefined: not known yet). The first event naming an unknown
 * agent creates it: spawning for `agent.spawn_requested`, else running, named by its id (an agent
 * the hub did not start). Returns the same object when the event changes nothing.
 */
export function evolve(agent: Agent | undefined, event: EventEnvelope): Agent | undefined {
  const base = agent ?? firstSeen(event);
  if (base === undefined) return undefined;
  let next = agent === undefined ? base : transition(base, event);
  if (event.agentId === base.id && event.type !== silenceType) next = { ...next, lastEventAt: iso(event.recordedAt) };
  if (next === agent) return agent;
  return { ...next, lastSeq: event.seq, statusSeq: next.status === base.status && agent !== undefined ? base.statusSeq : event.seq };
}

function firstSeen(event: EventEnvelope): Agent | undefined {
  const id = event.agentId;
  if (id === undefined) return undefined;
  const at = iso(event.recordedAt);
  const created: Agent = {
    id,
    name: id,
    template: null,
    status: 'running',
    taskId: null,
    pendingDecisionId: null,
    pausedReason: null,
    projectId: 'default',
    runnerId: null,
    lastEventAt: null,
    createdAt: at,
    lastSeq: event.seq,
    statusSeq: event.seq,
  };
  if (event.type !== 'agent.spawn_requested') return transition(created, event);
  const { name, template, taskId, projectId } = event.data;
  return {
    ...created,
    status: 'spawning',
    projectId: typeof projectId === 'string' ? projectId : 'default',
    name: typeof name === 'string' ? name : id,
    template: typeof template === 'string' ? template : null,
    taskId: typeof taskId === 'string' ? taskId : (event.taskId ?? null),
  };
}

/** The status rules, one event type at a time; a type not here changes only when the agent was last seen. */
const transitions: Readonly<Record<string, (agent: Agent, event: EventEnvelope) => Agent>> = {
  'agent.spawned': (agent, event) => arrived(agent, typeof event.data.name === 'string' ? event.data.name : undefined),
  'agent.registered': (agent, event) => arrived(agent, typeof event.data.name === 'string' ? event.data.name : undefined),
  'agent.recovered': (agent) => (agent.status === 'stale' || agent.status === 'lost' ? live(agent) : agent),
  'agent.assigned': (agent, event) => ({ ...agent, runnerId: event.data.runnerId as string }),
  'agent.lost': (agent) => (liveStatuses.includes(agent.status) || agent.status === 'stale' ? { ...agent, status: 'lost' } : agent),
  [silenceType]: (agent) => (liveStatuses.includes(agent.status) ? { ...agent, status: 'stale' } : agent),
  'agent.paused': (agent, event) => (isFinal(agent.status) ? agent : { ...agent, status: 'paused', pausedReason: event.data.reason as PauseReason }),
  'agent.resumed': (agent) => (agent.status === 'paused' ? { ...live(agent), pausedReason: null } : agent),
  'agent.exited': (agent, event) => (reportOfStartedAgent(agent, event) ? agent : { ...agent, status: 'exited', pausedReason: null }),
  'agent.failed': (agent, event) => (reportOfStartedAgent(agent, event) ? agent : { ...agent, status: 'failed', pausedReason: null }),
  'decision.requested': asked,
  'decision.resolved': answered,
  'decision.expired': answered,
  'decision.cancelled': answered,
  'task.assigned': assigned,
};

function transition(agent: Agent, event: EventEnvelope): Agent {
  return transitions[event.type]?.(agent, event) ?? agent;
}

/**
 * True when the event is only its agent's activity: no status rule and no other agent concerned,
 * so it makes its agent's row if there is none and else moves only `lastEventAt` and `lastSeq`
 * (what `recordActivity` writes in one statement).
 */
export function isActivityOnly(event: EventEnvelope): boolean {
  return event.agentId !== undefined && event.type !== 'agent.spawn_requested' && !Object.hasOwn(transitions, event.type);
}

/**
 * An agent the hub started (it has a template) ends only by the hub's word, which follows its
 * process: its own `agent.failed` or `agent.exited` stays in the log as a report and changes nothing.
 */
function reportOfStartedAgent(agent: Agent, event: EventEnvelope): boolean {
  return agent.template !== null && bySelf(event);
}

/** Running, or awaiting_decision while a decision it asked is still open. */
function live(agent: Agent): Agent {
  return { ...agent, status: agent.pendingDecisionId !== null ? 'awaiting_decision' : 'running' };
}

/** `agent.spawned` / `agent.registered`: a final agent is respawned; a paused one stays paused. */
function arrived(agent: Agent, name: string | undefined): Agent {
  const named = name !== undefined && name !== agent.name ? { ...agent, name } : agent;
  if (isFinal(agent.status)) return { ...named, status: 'running', pendingDecisionId: null, pausedReason: null };
  if (agent.status === 'paused' || agent.status === 'awaiting_decision' || agent.status === 'running') return named;
  return live(named);
}

function asked(agent: Agent, event: EventEnvelope): Agent {
  if (event.agentId !== agent.id || event.decisionId === undefined || event.data.risk === 'low' || isFinal(agent.status)) return agent;
  const waiting = agent.status === 'running' || agent.status === 'spawning';
  return { ...agent, pendingDecisionId: event.decisionId, status: waiting ? 'awaiting_decision' : agent.status };
}

function answered(agent: Agent, event: EventEnvelope): Agent {
  if (event.decisionId === undefined || agent.pendingDecisionId !== event.decisionId) return agent;
  return { ...agent, pendingDecisionId: null, status: agent.status === 'awaiting_decision' ? 'running' : agent.status };
}

/** The assignee takes the task; the agent that held it before lets it go. */
function assigned(agent: Agent, event: EventEnvelope): Agent {
  const taskId = event.taskId ?? null;
  if (event.data.agentId === agent.id) return agent.taskId === taskId ? agent : { ...agent, taskId };
  return agent.taskId !== null && agent.taskId === taskId ? { ...agent, taskId: null } : agent;
}

function iso(time: string): string {
  return new Date(time).toISOString();
}
