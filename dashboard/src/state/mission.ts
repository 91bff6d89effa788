import { unnamedActors, withActors } from './actor-names.ts';
import { type DashboardState, defaultEventCap, emptyState, withAgent, withAgents, withDecision, withEvents, withTask } from './dashboard-state.ts';
import { unlessMissing } from '../../../server/client/errors.ts';
import { findFailure } from './failure-lookup.ts';
import { type DashboardHub, readPages } from './dashboard-hub.ts';
import { problemText } from './problem.ts';
import { loadDashboard } from './initial-load.ts';
import { readOnward } from './log-head.ts';
import { type EventSourceLike, LiveConnection, type Timers } from './live-connection.ts';
import { refreshPlan } from './refresh-plan.ts';
import { Store } from './store.ts';
import type { AgentTemplate, AllowScope, EventEnvelope, Overview, SpawnReceipt, SpawnRequest, TaskStatus } from './types.ts';
import type { PageQuery } from '../../../server/client/pagination.ts';
import type { Brief, EventPage } from '../../../server/client/views.ts';
import type { AgentView, DecisionView, TaskView } from './types.ts';
import type { TaskCreateRequest } from '../../../contracts/requests.ts';

export interface MissionDeps {
  hub: DashboardHub;
  /** The live stream's URL after a `seq`, of one project's events when one is given, with the token (`/events?access_token=...&after=N`). */
  streamUrl(after: number, project: string | undefined): string;
  openSource(url: string): EventSourceLike;
  timers?: Timers;
  eventCap?: number;
  batchMs?: number;
  /** The project to show first; unset, every project the token sees. */
  project?: string;
}

const maxGapPages = 5;
const maxActorsPerRead = 100;

/**
 * The signed-in dashboard: loads the views once, then keeps them current from the one live
 * stream (an event of a view's kind re-reads that one resource by id), and runs the operator's
 * commands. Runs without a browser: the client and the EventSource are handed in.
 */
export class Mission {
  readonly state = new Store<DashboardState>(emptyState);
  readonly connection: LiveConnection;
  readonly #hub: DashboardHub;
  readonly #cap: number;
  /** Re-reads in flight by `kind:id`; true when another event asked for it meanwhile. */
  readonly #refreshing = new Map<string, boolean>();
  readonly #failures = new Map<string, Promise<EventEnvelope | undefined>>();
  /** Actors seen in events whose names are still to be asked for. */
  readonly #unnamed = new Set<string>();
  /** The project shown (undefined: all), as asked; the state says which one was loaded. */
  #project: string | undefined;
  /** Counts the loads: a read that answers after another project was chosen is dropped. */
  #generation = 0;

  constructor(deps: MissionDeps) {
    this.#hub = deps.hub;
    this.#cap = deps.eventCap ?? defaultEventCap;
    this.#project = deps.project;
    this.connection = new LiveConnection({
      url: (after) => deps.streamUrl(after, this.#project),
      open: deps.openSource,
      readAfter: (after, before) => this.#readAfter(after, before),
      deliver: (events) => this.#apply(events),
      ...(deps.timers ? { timers: deps.timers } : {}),
      ...(deps.batchMs !== undefined ? { batchMs: deps.batchMs } : {}),
    });
  }

  /** The initial load (views, the last page of the log, the heals), then the live stream after it. */
  async start(): Promise<void> {
    const generation = ++this.#generation;
    this.state.update((s) => ({ ...s, loadError: undefined }));
    try {
      const { state, customTypes } = await loadDashboard(this.#hub, this.#cap, this.#project);
      if (generation !== this.#generation) return;
      this.#project = state.project;
      this.state.set(state);
      this.connection.listenTo(customTypes);
      // One project's stream skips the others' events: a jump in `seq` is no gap there.
      this.connection.start(state.lastSeq, { sparse: state.project !== undefined });
    } catch (error) {
      if (generation === this.#generation) this.state.update((s) => ({ ...s, loadError: problemText(error) }));
    }
  }

  /** Shows one project (undefined: every project the token sees): the views and the stream start again for it. */
  async selectProject(project: string | undefined): Promise<void> {
    if (project === this.#project) return;
    this.#project = project;
    this.connection.stop();
    this.state.set({ ...emptyState, projects: this.state.value.projects, project });
    await this.start();
  }

  stop(): void {
    this.connection.stop();
  }

  /** Reads the log past the last event seen: custom events of a new name, which no listener heard. */
  catchUp(): Promise<void> {
    return this.state.value.loaded ? this.connection.catchUp() : Promise.resolve();
  }

  /** Re-reads every agent: heartbeats are not events, so only this moves a quiet agent's `lastSeenAt`. */
  async refreshAgents(): Promise<void> {
    const generation = this.#generation;
    const agents = await this.#hub.agents.list(this.#project === undefined ? {} : { project: this.#project });
    if (generation !== this.#generation) return;
    this.state.update((s) => withAgents(s, agents));
  }

  async pause(agentId: string): Promise<void> {
    const agent = await this.#hub.agents.pause(agentId);
    this.state.update((s) => withAgent(s, agent));
  }

  async resume(agentId: string): Promise<void> {
    const agent = await this.#hub.agents.resume(agentId);
    this.state.update((s) => withAgent(s, agent));
  }

  async inject(agentId: string, message: string): Promise<void> {
    await this.#hub.agents.inject(agentId, message);
  }

  /** Stops an agent the hub started: its runner sends SIGTERM, then SIGKILL after the grace period. */
  async stopAgent(agentId: string): Promise<void> {
    const agent = await this.#hub.agents.stop(agentId);
    this.state.update((s) => withAgent(s, agent));
  }

  /** Puts an ended agent's branch up for a merge; answers the decision that settles it. */
  async merge(agentId: string): Promise<DecisionView> {
    const decision = await this.#hub.agents.merge(agentId);
    this.state.update((s) => withDecision(s, decision));
    return decision;
  }

  /** One agent as `GET /agents/:id` answers it (with `waitingFor` while it waits for a runner). */
  agent(agentId: string): Promise<AgentView> {
    return this.#hub.agents.get(agentId);
  }

  /** One page of the log, whatever project is shown (an agent's page reads its own events by `agent`). */
  readLog(query: PageQuery): Promise<EventPage> {
    return this.#hub.events.page(query);
  }

  spawn(request: SpawnRequest): Promise<SpawnReceipt> {
    return this.#hub.agents.spawn(request);
  }

  templates(): Promise<AgentTemplate[]> {
    return this.#hub.templates.list();
  }

  /** `GET /overview` of the project shown (all: every project the token sees). */
  overview(): Promise<Overview> {
    return this.#hub.overview.get(this.#project === undefined ? {} : { project: this.#project });
  }

  async transition(taskId: string, to: TaskStatus): Promise<void> {
    const task = await this.#hub.tasks.transition(taskId, to);
    this.state.update((s) => withTask(s, task));
  }

  /** Adds a task to the board; the card is shown at once, and the live `task.created` keeps it current. */
  async createTask(request: TaskCreateRequest): Promise<TaskView> {
    const task = await this.#hub.tasks.create(request);
    this.state.update((s) => withTask(s, task));
    return task;
  }

  /** Answers a decision; with `allowFromNow`, an approved tool call is allowed from now on for the agent, its project or everyone. */
  async resolve(decisionId: string, outcome: string, comment?: string, allowFromNow?: AllowScope): Promise<void> {
    const decision = await this.#hub.decisions.resolve(decisionId, outcome, comment, allowFromNow === undefined ? {} : { allowFromNow });
    this.state.update((s) => withDecision(s, decision));
  }

  async pauseAll(): Promise<string[]> {
    const { paused } = await this.#hub.agents.pauseAll();
    this.state.update((s) => ({ ...s, pausedAll: true }));
    return paused;
  }

  async resumeAll(): Promise<string[]> {
    const { resumed } = await this.#hub.agents.resumeAll();
    this.state.update((s) => ({ ...s, pausedAll: false }));
    return resumed;
  }

  /** The failure event a heal answers (asked once per heal). */
  failureOf(heal: EventEnvelope): Promise<EventEnvelope | undefined> {
    let found = this.#failures.get(heal.id);
    if (!found) {
      found = findFailure(heal, this.state.value.events, (id) => unlessMissing(this.#hub.events.get(id)));
      found.catch(() => this.#failures.delete(heal.id));
      this.#failures.set(heal.id, found);
    }
    return found;
  }

  #apply(events: EventEnvelope[]): void {
    this.state.update((s) => withEvents(s, events, this.#cap));
    const plan = refreshPlan(events);
    for (const id of plan.agents) this.#refresh(`agent:${id}`, async () => withAgentRead(await this.#hub.agents.get(id)));
    for (const id of plan.tasks) this.#refresh(`task:${id}`, async () => withTaskRead(await this.#hub.tasks.get(id)));
    for (const id of plan.decisions) this.#refresh(`decision:${id}`, async () => withDecisionRead(await this.#hub.decisions.get(id)));
    this.#name(unnamedActors(this.state.value, events));
  }

  /** Asks the hub for the names of `actors` not named yet (a person's, never an agent's). */
  #name(actors: Iterable<string>): void {
    for (const actor of actors) if (!this.state.value.actors.has(actor) && !actor.startsWith('agent:')) this.#unnamed.add(actor);
    if (this.#unnamed.size > 0) this.#refresh('actors', () => this.#readNames());
  }

  /** Names the people new to the dashboard (a token minted after it loaded), a hundred per request. */
  async #readNames(): Promise<(s: DashboardState) => DashboardState> {
    const asked = [...this.#unnamed];
    this.#unnamed.clear();
    try {
      const actors = (await Promise.all(chunks(asked, maxActorsPerRead).map((ids) => this.#hub.actors.list(ids)))).flat();
      return (s) => withActors(s, actors, asked);
    } catch (error) {
      for (const actor of asked) this.#unnamed.add(actor);
      throw error;
    }
  }

  /** One re-read per resource at a time; events arriving meanwhile cause exactly one more. */
  #refresh(key: string, read: () => Promise<(s: DashboardState) => DashboardState>): void {
    if (this.#refreshing.has(key)) {
      this.#refreshing.set(key, true);
      return;
    }
    this.#refreshing.set(key, false);
    const generation = this.#generation;
    read()
      .then((change) => {
        if (generation === this.#generation) this.state.update(change);
      })
      .catch(() => undefined) // a failed re-read leaves the row as it was; the next event retries
      .finally(() => {
        const again = this.#refreshing.get(key);
        this.#refreshing.delete(key);
        if (again) this.#refresh(key, read);
      });
  }

  /** One page of the log as the feed's search and scroll-back read it: of the project shown. */
  readEvents(query: PageQuery): Promise<EventPage> {
    return readPages(this.#hub, this.#project)(query);
  }

  /** The daily brief from `since`, of the project shown. */
  async brief(since: Date): Promise<Brief> {
    const brief = await this.#hub.brief.get(this.#project === undefined ? { since } : { since, project: this.#project });
    // Who answered may be older than the events in memory: name them as the feed does.
    this.#name(brief.decided.flatMap((d) => (d.by ? [d.by] : [])));
    return brief;
  }

  /** Up to `maxGapPages` pages after `after`; with `before`, the newest of them below it. */
  async #readAfter(after: number, before?: number): Promise<EventEnvelope[]> {
    const read = readPages(this.#hub, this.#project);
    if (before === undefined) return readOnward(read, { after, limit: 1000 }, maxGapPages);
    const from = Math.max(after, before - 1 - maxGapPages * 1000);
    if (from >= before - 1) return [];
    return (await readOnward(read, { after: from, limit: 1000 }, maxGapPages, before - 1)).filter((e) => e.seq < before);
  }
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  return Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, (i + 1) * size));
}

const withAgentRead = (agent: Parameters<typeof withAgent>[1]) => (s: DashboardState) => withAgent(s, agent);
const withTaskRead = (task: Parameters<typeof withTask>[1]) => (s: DashboardState) => withTask(s, task);
const withDecisionRead = (decision: Parameters<typeof withDecision>[1]) => (s: DashboardState) => withDecision(s, decision);
