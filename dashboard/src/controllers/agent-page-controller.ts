import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { AgentOutput } from '../state/agent-output.ts';
import { AgentPage, followNewEvents } from '../state/agent-page.ts';
import type { Mission } from '../state/mission.ts';

/**
 * The page and the output of the agent its getters name, read while its element is on the page
 * and kept current from the mission's one live stream (no stream of its own).
 */
export class AgentPageController implements ReactiveController {
  readonly #host: ReactiveControllerHost;
  readonly #mission: () => Mission | undefined;
  readonly #agentId: () => string | undefined;
  #key: { mission: Mission | undefined; agentId: string | undefined } = { mission: undefined, agentId: undefined };
  #page: AgentPage | undefined;
  #output: AgentOutput | undefined;
  #stop: (() => void) | undefined;

  constructor(host: ReactiveControllerHost, mission: () => Mission | undefined, agentId: () => string | undefined) {
    this.#host = host;
    this.#mission = mission;
    this.#agentId = agentId;
    host.addController(this);
  }

  get page(): AgentPage | undefined {
    return this.#page;
  }

  get output(): AgentOutput | undefined {
    return this.#output;
  }

  /** Reads the page again (a retry, or after an action). */
  reload(): void {
    const mission = this.#key.mission;
    if (mission && this.#page) void this.#page.load([...mission.state.value.agents.values()]);
  }

  hostConnected(): void {
    this.#follow();
  }

  hostUpdate(): void {
    this.#follow();
  }

  hostDisconnected(): void {
    this.#stop?.();
    this.#stop = undefined;
    this.#key = { mission: undefined, agentId: undefined };
  }

  #follow(): void {
    const mission = this.#mission();
    const agentId = this.#agentId();
    if (mission === this.#key.mission && agentId === this.#key.agentId) return;
    this.#stop?.();
    this.#stop = undefined;
    this.#key = { mission, agentId };
    this.#page = undefined;
    this.#output = undefined;
    if (!mission || !agentId) return;
    const page = new AgentPage(agentId, { readLog: (q) => mission.readLog(q), agent: (id) => mission.agent(id) });
    const output = new AgentOutput({ agentId, read: (q) => mission.readLog(q) });
    this.#page = page;
    this.#output = output;
    // Live first, then the reads: what arrives meanwhile is kept, and taken once.
    const unfollow = followNewEvents(mission.state, (events) => {
      page.received(events);
      output.received(events);
    });
    const unsubscribe = page.state.subscribe(() => this.#host.requestUpdate());
    void page.load([...mission.state.value.agents.values()]);
    void output.loadNewest();
    this.#stop = () => {
      unfollow();
      unsubscribe();
      output.stop();
    };
  }
}
