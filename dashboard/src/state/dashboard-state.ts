import type { AgentView, DecisionView, EventEnvelope, TaskView } from './types.ts';

/** Everything the views show, folded from the initial load, the live events and the refreshes. */
export interface DashboardState {
  /** The newest events, oldest first, at most `eventCap` of them. */
  events: readonly EventEnvelope[];
  /** The highest `seq` seen: where the live stream resumes. */
  lastSeq: number;
  agents: Readonly<Record<string, AgentView>>;
  tasks: Readonly<Record<string, TaskView>>;
  decisions: Readonly<Record<string, DecisionView>>;
  /** Actor id -> the name of the person behind it (`GET /actors`); read through `nameOf`. */
  actors: Readonly<Record<string, string>>;
  /** `heal.completed` and `heal.escalated` events, oldest first. */
  heals: readonly EventEnvelope[];
  /** Whether the hub is paused by pause-all; undefined until an event says. */
  pausedAll: boolean | undefined;
  /** True once the initial load has finished. */
  loaded: boolean;
  /** Why the initial load failed (the problem's detail), if it did. */
  loadError: string | undefined;
}

export const defaultEventCap = 10_000;
const healCap = 1000;
const healTypes = new Set(['heal.completed', 'heal.escalated']);

export const emptyState: DashboardState = {
  events: [],
  lastSeq: 0,
  agents: {},
  tasks: {},
  decisions: {},
  actors: {},
  heals: [],
  pausedAll: undefined,
  loaded: false,
  loadError: undefined,
};

/**
 * Adds events newer than `lastSeq` (older ones and repeats are dropped), keeps the newest `cap`,
 * and applies what is simple directly: heals, the pause-all flag, and the agents' `lastSeenAt`.
 */
export function withEvents(state: DashboardState, incoming: readonly EventEnvelope[], cap = defaultEventCap): DashboardState {
  const fresh: EventEnvelope[] = [];
  let lastSeq = state.lastSeq;
  for (const event of [...incoming].sort((a, b) => a.seq - b.seq)) {
    if (event.seq <= lastSeq) continue;
    fresh.push(event);
    lastSeq = event.seq;
  }
  if (fresh.length === 0) return state;
  const joined = state.events.concat(fresh);
  const events = joined.length > cap ? joined.slice(joined.length - cap) : joined;
  const heals = fresh.filter((e) => healTypes.has(e.type));
  let pausedAll = state.pausedAll;
  for (const event of fresh) {
    if (event.type === 'hub.paused_all') pausedAll = true;
    if (event.type === 'hub.resumed_all') pausedAll = false;
  }
  return {
    ...state,
    events,
    lastSeq,
    heals: heals.length === 0 ? state.heals : withHealEvents(state.heals, heals),
    pausedAll,
    agents: touchAgents(state.agents, fresh),
  };
}

/** The heals list with `more` added (by id, once), oldest first, at most the newest 1000. */
export function withHealEvents(heals: readonly EventEnvelope[], more: readonly EventEnvelope[]): EventEnvelope[] {
  const known = new Set(heals.map((h) => h.id));
  const joined = heals.concat(more.filter((h) => !known.has(h.id))).sort((a, b) => a.seq - b.seq);
  return joined.length > healCap ? joined.slice(joined.length - healCap) : joined;
}

/** An agent's `lastSeenAt` is its last heartbeat or event, whichever is later: events move it forward here. */
function touchAgents(agents: Readonly<Record<string, AgentView>>, events: readonly EventEnvelope[]): Readonly<Record<string, AgentView>> {
  let next: Record<string, AgentView> | undefined;
  for (const event of events) {
    const agent = event.agentId ? (next ?? agents)[event.agentId] : undefined;
    if (!agent || (agent.lastSeenAt !== null && agent.lastSeenAt >= event.recordedAt)) continue;
    next ??= { ...agents };
    next[agent.id] = { ...agent, lastSeenAt: event.recordedAt };
  }
  return next ?? agents;
}

export function withAgents(state: DashboardState, agents: readonly AgentView[]): DashboardState {
  return { ...state, agents: byId(agents) };
}

export function withAgent(state: DashboardState, agent: AgentView): DashboardState {
  return { ...state, agents: { ...state.agents, [agent.id]: agent } };
}

export function withTasks(state: DashboardState, tasks: readonly TaskView[]): DashboardState {
  return { ...state, tasks: byId(tasks) };
}

export function withTask(state: DashboardState, task: TaskView): DashboardState {
  return { ...state, tasks: { ...state.tasks, [task.id]: task } };
}

/** Merges decisions in by id (the pending list and the recent history come in two reads). */
export function withDecisions(state: DashboardState, decisions: readonly DecisionView[]): DashboardState {
  return { ...state, decisions: { ...state.decisions, ...byId(decisions) } };
}

export function withDecision(state: DashboardState, decision: DecisionView): DashboardState {
  return { ...state, decisions: { ...state.decisions, [decision.id]: decision } };
}

export function withHeals(state: DashboardState, heals: readonly EventEnvelope[]): DashboardState {
  return { ...state, heals: withHealEvents(state.heals, heals) };
}

function byId<T extends { id: string }>(items: readonly T[]): Record<string, T> {
  return Object.fromEntries(items.map((item) => [item.id, item]));
}
