import { LitElement, html, nothing } from 'lit';
import { cssProps } from './css-props.ts';
import { ClockController } from '../controllers/clock-controller.ts';
import { StoreController } from '../controllers/store-controller.ts';
import { agentActions, agentOrder } from '../state/agent-actions.ts';
import { spendRatio, usd } from '../state/format.ts';
import { when } from './when.ts';
import { problemText } from '../state/problem.ts';
import type { Mission } from '../state/mission.ts';
import { routeHash } from '../state/route.ts';
import { agentSeverity } from '../state/severity.ts';
import type { AgentView } from '../state/types.ts';
import './mc-agent-page.ts';
import './mc-inject-form.ts';
import './mc-spawn-form.ts';
import { agentsStyles } from './mc-agents.styles.ts';
import { mark, shared, tone } from './styles.ts';

// Heartbeats are not events, so a quiet agent's lastSeenAt moves only when the list is read again.
const reloadEveryMs = 15_000;

/** The agents: status, heartbeat age, spend against budget, pending decision; pause, resume, inject, spawn. With `agentId`, that agent's page. */
export class McAgents extends LitElement {
  static override styles = [shared, agentsStyles];
  static override properties = {
    mission: { attribute: false },
    canAct: { type: Boolean },
    agentId: {},
    spawning: { state: true },
    injecting: { state: true },
    busy: { state: true },
    errors: { state: true },
  };
  declare mission: Mission | undefined;
  declare canAct: boolean;
  /** The agent whose page to show (`#/agents/<id>`); unset, the list. */
  declare agentId: string | undefined;
  declare spawning: boolean;
  declare injecting: string | undefined;
  declare busy: string | undefined;
  /** By agent id: a Map, so an agent named like an inherited property finds no message. */
  declare errors: ReadonlyMap<string, string>;
  readonly #data = new StoreController(this, () => this.mission?.state);
  readonly #clock = new ClockController(this);
  #reload: ReturnType<typeof setInterval> | undefined;

  constructor() {
    super();
    this.canAct = false;
    this.spawning = false;
    this.errors = new Map();
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.#reload = setInterval(() => {
      if (document.visibilityState === 'visible') this.mission?.refreshAgents().catch(() => undefined);
    }, reloadEveryMs);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearInterval(this.#reload);
  }

  override render() {
    if (this.agentId) return html`<mc-agent-page .mission=${this.mission} .canAct=${this.canAct} .agentId=${this.agentId}></mc-agent-page>`;
    const state = this.#data.value;
    const agents = agentOrder(state?.agents ?? new Map());
    return html`<div class="top">
        <h2>Agents</h2>
        ${this.canAct && !this.spawning
          ? html`<button class="primary" data-testid="agents-spawn-open" @click=${() => (this.spawning = true)}>Spawn agent</button>`
          : nothing}
      </div>
      ${this.canAct && this.spawning ? html`<mc-spawn-form .mission=${this.mission} @close=${() => (this.spawning = false)}></mc-spawn-form>` : nothing}
      ${agents.length === 0
        ? html`<p class="empty" data-testid="agents-empty">${state?.loaded ? 'No agents yet. Spawn one from a template, or start an agent with a token.' : 'Loading agents…'}</p>`
        : html`<div class="table">
            <table data-testid="agents-list">
              <thead>
                <tr>
                  <th>Agent</th>
                  <th>Status</th>
                  <th>Heartbeat</th>
                  <th>Spend</th>
                  <th>Decision</th>
                  ${this.canAct ? html`<th>Actions</th>` : nothing}
                </tr>
              </thead>
              <tbody>
                ${agents.map((agent) => this.#row(agent))}
              </tbody>
            </table>
          </div>`}`;
  }

  #row(agent: AgentView) {
    const ratio = spendRatio(agent.spentUsd, agent.budgetUsd);
    const level = ratio >= 1 ? 'bad' : ratio >= 0.8 ? 'warn' : '';
    const can = agentActions(agent);
    const busy = this.busy === agent.id;
    const severity = agentSeverity(agent);
    return html`<tr data-testid="agent-row" data-agent-id=${agent.id} class=${severity}>
      <td>
        <div><a href=${routeHash({ view: 'agents', id: agent.id })} data-testid="agent-link">${agent.name}</a></div>
        <div class="muted mono small">${agent.id}${agent.template ? ` · ${agent.template}` : ''}</div>
      </td>
      <td>
        <span class="badge ${tone(severity)}" data-testid="agent-status">${mark(severity)}${agent.status.replace('_', ' ')}</span>
        ${agent.pausedReason ? html`<div class="small ${agent.pausedReason === 'budget' ? 'bad' : 'muted'}">${agent.pausedReason.replace('_', ' ')}</div>` : nothing}
      </td>
      <td data-testid="agent-heartbeat">${when(agent.lastSeenAt, this.#clock.now)}</td>
      <td data-testid="agent-spend">
        <div class="bar" role="meter" aria-label="Spend against budget" aria-valuemin="0" aria-valuemax=${agent.budgetUsd} aria-valuenow=${agent.spentUsd}>
          <div class="fill ${level}" ${cssProps({ width: `${Math.round(ratio * 100)}%` })}></div>
        </div>
        <span class="small">${usd(agent.spentUsd)} of ${usd(agent.budgetUsd)}</span>
      </td>
      <td>
        ${agent.pendingDecisionId
          ? html`<a data-testid="agent-decision-link" href=${routeHash({ view: 'inbox', id: agent.pendingDecisionId })}>waits on: ${this.#data.value?.decisions.get(agent.pendingDecisionId)?.title ?? agent.pendingDecisionId}</a>`
          : html`<span class="muted">—</span>`}
      </td>
      ${this.canAct
        ? html`<td>
            <div class="actions">
              ${can.pause ? html`<button data-testid="agent-pause" ?disabled=${busy} @click=${() => this.#act(agent.id, () => this.mission!.pause(agent.id))}>Pause</button>` : nothing}
              ${can.resume ? html`<button data-testid="agent-resume" ?disabled=${busy} @click=${() => this.#act(agent.id, () => this.mission!.resume(agent.id))}>Resume</button>` : nothing}
              ${can.inject && this.injecting !== agent.id
                ? html`<button data-testid="agent-inject-open" @click=${() => (this.injecting = agent.id)}>Message</button>`
                : nothing}
            </div>
            ${this.injecting === agent.id
              ? html`<mc-inject-form .mission=${this.mission} .agentId=${agent.id} @close=${() => (this.injecting = undefined)}></mc-inject-form>`
              : nothing}
            ${this.errors.get(agent.id) ? html`<p class="error small" role="alert" data-testid="agent-error">${this.errors.get(agent.id)}</p>` : nothing}
          </td>`
        : nothing}
    </tr>`;
  }

  async #act(agentId: string, command: () => Promise<void>): Promise<void> {
    this.busy = agentId;
    this.errors = new Map(this.errors).set(agentId, '');
    try {
      await command();
    } catch (error) {
      this.errors = new Map(this.errors).set(agentId, problemText(error));
    } finally {
      this.busy = undefined;
    }
  }
}

customElements.define('mc-agents', McAgents);
