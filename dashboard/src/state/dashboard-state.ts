import type { AgentView, DecisionView, EventEnvelope, ProjectView, TaskView } from './types.ts';

/** Everything the views show, folded from the initial load, the live events and the refreshes. */
export interface DashboardState {
  /** The newest events, oldest first, at most `eventCap` of them. */
  events: readonly EventEnvelope[];
  /** The highest `seq` seen: where the live stream resumes. */
  lastSeq: number;
  // Maps, not objects: ids come from clients, and an agent named `toString` or `__proto__` must
  // not find, or replace, what every object inherits.
  agents: ReadonlyMap<string, AgentView>;
  tasks: ReadonlyMap<string, TaskView>;
  decisions: ReadonlyMap<string, DecisionView>;
  /** Actor id -> the name of the person behind it (`GET /actors`); read through `nameOf`. */
  actors: ReadonlyMap<string, string>;
  /** `heal.completed` and `heal.escalated` events, oldest first. */
  heals: readonly EventEnvelope[];
  /** The projects the token sees (`GET /projects`), `default` first. */
  projects: readonly ProjectView[];
  /** The one project shown; undefined for every project the token sees. */
  project: string | undefined;
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
  agents: new Map(),
  tasks: new Map(),
  decisions: new Map(),
  actors: new Map(),
  heals: [],
  projects: [],
  project: undefined,
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
function touchAgents(agents: ReadonlyMap<string, AgentView>, events: readonly EventEnvelope[]): ReadonlyMap<string, AgentView> {
  let next: Map<string, AgentView> | undefined;
  for (const event of events) {
    const agent = event.agentId ? (next ?? agents).get(event.agentId) : undefined;
    if (!agent || (agent.lastSeenAt !== null && agent.lastSeenAt >= event.recordedAt)) continue;
    next ??= new Map(agents);
    next.set(agent.id, { ...agent, lastSeenAt: event.recordedAt });
  }
  return next ?? agents;
}

export function withAgents(state: DashboardState, agents: readonly AgentView[]): DashboardState {
  return { ...state, agents: byId(agents) };
}

export function withAgent(state: DashboardState, agent: AgentView): DashboardState {
  return { ...state, agents: new Map(state.agents).set(agent.id, agent) };
}

export function withTasks(state: DashboardState, tasks: readonly TaskView[]): DashboardState {
  return { ...state, tasks: byId(tasks) };
}

export function withTask(state: DashboardState, task: TaskView): DashboardState {
  return { ...state, tasks: new Map(state.tasks).set(task.id, task) };
}

/** Merges decisions in by id (the pending list and the recent history come in two reads). */
export function withDecisions(state: DashboardState, decisions: readonly DecisionView[]): DashboardState {
  return { ...state, decisions: new Map([...state.decisions, ...byId(decisions)]) };
}

export function withDecision(state: DashboardState, decision: DecisionView): DashboardState {
  return { ...state, decisions: new Map(state.decisions).set(decision.id, decision) };
}

export function withHeals(state: DashboardState, heals: readonly EventEnvelope[]): DashboardState {
  return { ...state, heals: withHealEvents(state.heals, heals) };
}

function byId<T extends { id: string }>(items: readonly T[]): Map<string, T> {
  return new Map(items.map((item) => [item.id, item]));
}
