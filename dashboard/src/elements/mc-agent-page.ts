import { LitElement, html, nothing } from 'lit';
import { ActionController } from '../controllers/action-controller.ts';
import { AgentPageController } from '../controllers/agent-page-controller.ts';
import { ClockController } from '../controllers/clock-controller.ts';
import { StoreController } from '../controllers/store-controller.ts';
import { agentActions } from '../state/agent-actions.ts';
import { mergeable } from '../state/agent-activity.ts';
import type { AgentPageState } from '../state/agent-page.ts';
import { nameOf } from '../state/actor-names.ts';
import { type DashboardState, emptyState } from '../state/dashboard-state.ts';
import { usd } from '../state/format.ts';
import { when } from './when.ts';
import type { Mission } from '../state/mission.ts';
import { routeHash } from '../state/route.ts';
import { agentSeverity } from '../state/severity.ts';
import type { AgentView } from '../state/types.ts';
import './mc-agent-activity.ts';
import './mc-agent-output.ts';
import './mc-confirm-dialog.ts';
import type { McConfirmDialog } from './mc-confirm-dialog.ts';
import './mc-inject-form.ts';
import { agentPageStyles } from './mc-agent-page.styles.ts';
import { mark, shared, tone } from './styles.ts';

/** One agent: who and where it is, why it is in its state, its output as a terminal, what it asked and did; the operator's actions. */
export class McAgentPage extends LitElement {
  static override styles = [shared, agentPageStyles];
  static override properties = {
    mission: { attribute: false },
    canAct: { type: Boolean },
    agentId: {},
    injecting: { state: true },
    notice: { state: true },
  };
  declare mission: Mission | undefined;
  declare canAct: boolean;
  declare agentId: string;
  declare injecting: boolean;
  /** What the last action started (a merge's decision), with a link to follow it. */
  declare notice: { text: string; href: string } | undefined;
  readonly #data = new StoreController(this, () => this.mission?.state);
  readonly #page = new AgentPageController(this, () => this.mission, () => this.agentId || undefined);
  readonly #clock = new ClockController(this);
  readonly #action = new ActionController(this);

  constructor() {
    super();
    this.canAct = false;
    this.agentId = '';
    this.injecting = false;
  }

  override willUpdate(changed: Map<string, unknown>): void {
    if (changed.has('agentId')) {
      this.injecting = false;
      this.#action.error = undefined;
      this.notice = undefined;
    }
  }

  override render() {
    const state = this.#data.value ?? emptyState;
    const page = this.#page.page?.state.value;
    const agent = state.agents.get(this.agentId) ?? page?.agent;
    const back = html`<a class="back" href=${routeHash({ view: 'agents' })} data-testid="agent-back">← All agents</a>`;
    if (!agent || !page) {
      const text = page?.missing ? `No agent ${this.agentId}.` : page?.error ? `Could not read ${this.agentId}: ${page.error}` : 'Loading the agent…';
      return html`${back}<p class="empty" data-testid="agent-page-empty">${text}</p>`;
    }
    return html`${back}
      <header data-testid="agent-page" data-agent-id=${agent.id}>
        <div class="title">
          <h2 data-testid="agent-name">${agent.name}</h2>
          <span class="badge ${tone(agentSeverity(agent))}" data-testid="agent-page-status">${mark(agentSeverity(agent))}${agent.status.replace('_', ' ')}</span>
        </div>
        ${this.#facts(agent, page, state)}
      </header>
      ${this.#reason(agent, page, state)} ${this.canAct ? this.#actions(agent, page) : nothing}
      <div class="body">
        <mc-agent-output .output=${this.#page.output}></mc-agent-output>
        <mc-agent-activity .activity=${page.activity} .dashboard=${state} .now=${this.#clock.now}></mc-agent-activity>
      </div>`;
  }

  #facts(agent: AgentView, page: AgentPageState, state: DashboardState) {
    const spawned = page.activity.spawned;
    const task = agent.taskId ? state.tasks.get(agent.taskId) : undefined;
    const link = (id: string) => html`<a href=${routeHash({ view: 'agents', id })}>${state.agents.get(id)?.name ?? id}</a>`;
    const fact = (label: string, value: unknown, testid = '') => html`<div data-testid=${testid || nothing}><dt>${label}</dt><dd>${value}</dd></div>`;
    return html`<dl class="facts">
      ${fact('Id', html`<span class="mono">${agent.id}</span>`)} ${fact('Template', agent.template ?? html`<span class="muted">none (registered itself)</span>`)}
      ${fact('Runner', agent.runnerId ?? spawned?.runner ?? html`<span class="muted">—</span>`, 'agent-runner')}${spawned?.pid ? fact('Pid', spawned.pid) : nothing}
      ${fact('Project', agent.projectId)}
      ${fact('Task', agent.taskId ? html`<a href=${routeHash({ view: 'tasks' })} data-testid="agent-task-link">${task?.title ?? agent.taskId}</a>` : html`<span class="muted">—</span>`)}
      ${fact('Spend', `${usd(agent.spentUsd)} of ${usd(agent.budgetUsd)}`)} ${fact('Heard from', when(agent.lastSeenAt, this.#clock.now))}
      ${page.activity.respawnOf ? fact('Respawned from', link(page.activity.respawnOf), 'agent-respawned-from') : nothing}
      ${page.respawnedAs ? fact('Respawned as', link(page.respawnedAs), 'agent-respawned-as') : nothing}
    </dl>`;
  }

  /** Why the agent is in its state, in the words of the events that put it there. */
  #reason(agent: AgentView, page: AgentPageState, state: DashboardState) {
    const { failure, paused, exited } = page.activity;
    const name = (actor: string | undefined) => (actor ? nameOf(state, actor) : 'someone');
    switch (agent.status) {
      case 'failed':
        return html`<section class="reason bad" data-testid="agent-failure">
          <p><strong>Failed:</strong> <span data-testid="agent-failure-error">${failure?.error ?? 'the failure is older than the events read'}</span>
            ${failure?.code !== undefined && failure.code !== null ? html`<span class="muted">(exit code ${failure.code})</span>` : nothing}
            ${failure?.signal ? html`<span class="muted">(${failure.signal})</span>` : nothing}</p>
          ${failure && failure.stderrTail.length > 0
            ? html`<p class="muted small">The last stderr lines:</p><pre class="stderr" data-testid="agent-stderr-tail">${failure.stderrTail.join('\n')}</pre>`
            : nothing}
        </section>`;
      case 'paused': {
        const why = paused?.comment ?? (paused?.reason ?? agent.pausedReason ?? '').replace('_', ' ');
        return html`<section class="reason ${tone(agentSeverity(agent))}" data-testid="agent-paused-reason">
          <strong>Paused</strong>${paused ? html` by ${name(paused.by)} ${when(paused.at, this.#clock.now)}` : nothing}${why ? html`: ${why}` : nothing}
        </section>`;
      }
      case 'awaiting_decision': {
        const id = agent.pendingDecisionId;
        const title = id ? (state.decisions.get(id)?.title ?? page.activity.decisions.find((d) => d.id === id)?.title ?? id) : undefined;
        return id
          ? html`<section class="reason warn">Waiting on a decision: <a href=${routeHash({ view: 'inbox', id })} data-testid="agent-pending-decision">${title}</a></section>`
          : nothing;
      }
      case 'exited':
        return html`<section class="reason" data-testid="agent-exit">
          ${exited?.stoppedBy ? html`Stopped by ${name(exited.stoppedBy)}${exited.signal ? ` (${exited.signal})` : ''}` : html`Exited${exited ? ` with code ${exited.code ?? exited.signal}` : ''}`}
        </section>`;
      case 'spawning': {
        const why = agent.waitingFor ?? page.agent?.waitingFor;
        return html`<section class="reason warn">Waiting for a runner${why ? `: ${why}` : ''}</section>`;
      }
      case 'lost':
        return html`<section class="reason bad">Its runner ${agent.runnerId ?? ''} went offline; it may still be running.</section>`;
      case 'stale':
        return html`<section class="reason warn">Not heard from since ${when(agent.lastSeenAt, this.#clock.now)}.</section>`;
      default:
        return nothing;
    }
  }

  #actions(agent: AgentView, page: AgentPageState) {
    const can = agentActions(agent);
    const busy = this.#action.busy;
    const mission = this.mission!;
    const merge = mergeable(agent, page.activity);
    const any = can.pause || can.resume || (can.inject && !this.injecting) || can.stop || merge;
    return html`<div class="actions" data-testid="agent-actions" ?hidden=${!any}>
        ${can.pause ? html`<button data-testid="agent-pause" ?disabled=${busy} @click=${() => this.#act(() => mission.pause(agent.id))}>Pause</button>` : nothing}
        ${can.resume ? html`<button data-testid="agent-resume" ?disabled=${busy} @click=${() => this.#act(() => mission.resume(agent.id))}>Resume</button>` : nothing}
        ${can.inject && !this.injecting ? html`<button data-testid="agent-inject-open" @click=${() => (this.injecting = true)}>Message</button>` : nothing}
        ${can.stop ? html`<button class="danger" data-testid="agent-stop" ?disabled=${busy} @click=${this.#askStop}>Stop</button>` : nothing}
        ${merge ? html`<button class="primary" data-testid="agent-merge" ?disabled=${busy} @click=${() => this.#act(() => this.#merge(agent.id))}>Merge…</button>` : nothing}
      </div>
      ${this.injecting ? html`<mc-inject-form .mission=${mission} .agentId=${agent.id} @close=${() => (this.injecting = false)}></mc-inject-form>` : nothing}
      ${this.#action.error ? html`<p class="error small" role="alert" data-testid="agent-error">${this.#action.error}</p>` : nothing}
      ${this.notice ? html`<p class="small" role="status" data-testid="agent-notice"><a href=${this.notice.href}>${this.notice.text}</a></p>` : nothing}
      ${can.stop
        ? html`<mc-confirm-dialog heading="Stop ${agent.name}?" confirmLabel="Stop" testid="agent-stop-dialog" @confirm=${() => this.#act(() => mission.stopAgent(agent.id))}>
            <p>Its runner sends it SIGTERM, then SIGKILL if it has not ended after the grace period.</p>
          </mc-confirm-dialog>`
        : nothing}`;
  }

  #askStop(): void {
    this.renderRoot.querySelector<McConfirmDialog>('mc-confirm-dialog')?.open();
  }

  async #merge(agentId: string): Promise<void> {
    const decision = await this.mission!.merge(agentId);
    this.notice = { text: `Merge asked: ${decision.title} (decision ${decision.id})`, href: routeHash({ view: 'inbox', id: decision.id }) };
  }

  #act(command: () => Promise<void>): void {
    void this.#action.run(command);
  }
}

customElements.define('mc-agent-page', McAgentPage);
