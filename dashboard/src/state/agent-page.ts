import type { ReadPage } from '../../../server/client/pagination.ts';
import { type AgentActivity, activityTypes, emptyActivity, withActivity } from './agent-activity.ts';
import type { DashboardState } from './dashboard-state.ts';
import { problemStatus, problemText } from './problem.ts';
import { Store } from './store.ts';
import type { AgentView, EventEnvelope } from './types.ts';

export interface AgentPageState {
  /** The agent as `GET /agents/:id` answered when the page opened; the dashboard's views keep it current after. */
  agent: AgentView | undefined;
  activity: AgentActivity;
  /** The agent a respawn started in this one's place, once one did. */
  respawnedAs: string | undefined;
  loaded: boolean;
  /** True when the hub knows no such agent (or not for this token). */
  missing: boolean;
  error: string | undefined;
}

/** What the page reads, through the mission's one client. */
export interface AgentPageSource {
  readLog: ReadPage;
  agent(id: string): Promise<AgentView>;
}

/** How many of the agent's newest events (its output aside) the page folds. */
export const activityPage = 1000;
/** At most this many agents of the same name are asked whether they respawn this one. */
const maxNamesakes = 5;

/**
 * An agent's page, apart from its output: its view, the activity folded from its newest events
 * (decisions, tool calls, runs, commits, merges, why it stopped) and its lineage, then kept
 * current from the events the live stream delivers.
 */
export class AgentPage {
  readonly state = new Store<AgentPageState>({ agent: undefined, activity: emptyActivity, respawnedAs: undefined, loaded: false, missing: false, error: undefined });
  readonly #agentId: string;
  readonly #source: AgentPageSource;
  #early: EventEnvelope[] = [];

  constructor(agentId: string, source: AgentPageSource) {
    this.#agentId = agentId;
    this.#source = source;
  }

  /** Reads the agent, its newest events and its spawn request; `namesakes`: agents that may be its respawn (a respawn keeps the name). */
  async load(namesakes: readonly AgentView[] = []): Promise<void> {
    const id = this.#agentId;
    this.state.update((s) => ({ ...s, error: undefined }));
    try {
      const [agent, recent, spawn] = await Promise.all([
        this.#source.agent(id),
        this.#source.readLog({ agent: id, types: [...activityTypes], order: 'desc', limit: activityPage }),
        this.#source.readLog({ agent: id, types: ['agent.spawn_requested'], limit: 1 }),
      ]);
      const activity = withActivity(emptyActivity, [...spawn.events, ...recent.events, ...this.#early]);
      this.#early = [];
      const respawnedAs = this.state.value.respawnedAs ?? (agent.status === 'failed' ? await this.#respawnOf(agent, namesakes) : undefined);
      this.state.set({ agent, activity, respawnedAs, loaded: true, missing: false, error: undefined });
    } catch (error) {
      this.state.update((s) => ({ ...s, loaded: true, missing: problemStatus(error) === 404, error: problemText(error) }));
    }
  }

  /** Events the live stream delivered: this agent's, and a respawn of it. */
  received(events: readonly EventEnvelope[]): void {
    const respawn = events.find((e) => e.type === 'agent.spawn_requested' && (e.data as { respawnOf?: unknown }).respawnOf === this.#agentId);
    if (respawn?.agentId) this.state.update((s) => ({ ...s, respawnedAs: respawn.agentId }));
    const mine = events.filter((e) => e.agentId === this.#agentId && e.type !== 'agent.output');
    if (mine.length === 0) return;
    if (!this.state.value.loaded) {
      this.#early.push(...mine);
      return;
    }
    this.state.update((s) => ({ ...s, activity: withActivity(s.activity, mine) }));
  }

  /** The namesake whose spawn request names this agent as the one it starts again. */
  async #respawnOf(agent: AgentView, namesakes: readonly AgentView[]): Promise<string | undefined> {
    const candidates = namesakes.filter((a) => a.id !== agent.id && a.name === agent.name).slice(0, maxNamesakes);
    const reads = await Promise.all(candidates.map((a) => this.#source.readLog({ agent: a.id, types: ['agent.spawn_requested'], limit: 1 }).catch(() => undefined)));
    return reads.flatMap((page) => page?.events ?? []).find((e) => (e.data as { respawnOf?: unknown }).respawnOf === agent.id)?.agentId;
  }
}

/** Calls `listener` with the events the dashboard's state takes in from now on (from the app's one live stream), oldest first. */
export function followNewEvents(dashboard: Store<DashboardState>, listener: (events: readonly EventEnvelope[]) => void): () => void {
  let seen = dashboard.value.lastSeq;
  let events = dashboard.value.events;
  return dashboard.subscribe((next) => {
    if (next.events === events) return;
    events = next.events;
    const fresh = eventsAfter(next.events, seen);
    seen = Math.max(seen, next.lastSeq);
    if (fresh.length > 0) listener(fresh);
  });
}

/** The events after `seq` among `events` (in `seq` order), found from the end. */
export function eventsAfter(events: readonly EventEnvelope[], seq: number): EventEnvelope[] {
  let i = events.length;
  while (i > 0 && events[i - 1]!.seq > seq) i--;
  return events.slice(i);
}
