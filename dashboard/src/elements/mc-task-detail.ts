import { LitElement, css, html, nothing } from 'lit';
import { ActionController } from '../controllers/action-controller.ts';
import { ClockController } from '../controllers/clock-controller.ts';
import { StoreController } from '../controllers/store-controller.ts';
import { nameOf } from '../state/actor-names.ts';
import { eventDetail, incidentReport, reportFileName } from '../state/incident-report.ts';
import type { Mission } from '../state/mission.ts';
import { routeHash } from '../state/route.ts';
import { stateSeverity } from '../state/severity.ts';
import { statusLabels } from '../state/task-board.ts';
import { mergeTimeline, taskAgentIds, taskDecisions, taskMoves } from '../state/task-detail.ts';
import type { EventEnvelope } from '../state/types.ts';
import { mark, shared, tone } from './styles.ts';
import { when } from './when.ts';
import { agentLink } from './agent-link.ts';

const pageSize = 200;

/** One task (`#/tasks/<id>`): what it is, every move, its decisions and agents, its events newest first, and its incident report. */
export class McTaskDetail extends LitElement {
  static override styles = [
    shared,
    css`
      header {
        display: flex;
        flex-wrap: wrap;
        gap: 0.5rem 1rem;
        align-items: baseline;
      }
      h2 {
        margin: 0.25rem 0;
        overflow-wrap: anywhere;
      }
      section {
        margin-top: 1rem;
      }
      h3 {
        margin: 0 0 0.4rem;
        font-size: 0.95rem;
      }
      ul {
        margin: 0;
        padding-left: 1.1rem;
        display: grid;
        gap: 0.25rem;
      }
      .description {
        white-space: pre-wrap;
        overflow-wrap: anywhere;
      }
      .grid {
        display: grid;
        grid-template-columns: repeat(auto-fit, minmax(16rem, 1fr));
        gap: 0 1.5rem;
      }
      li {
        overflow-wrap: anywhere;
      }
      section > p {
        margin: 0;
      }
    `,
  ];
  static override properties = {
    mission: { attribute: false },
    taskId: {},
    loaded: { state: true },
    more: { state: true },
  };
  declare mission: Mission | undefined;
  declare taskId: string;
  /** The task's events read from the log, newest first. */
  declare loaded: readonly EventEnvelope[];
  declare more: boolean;
  readonly #data = new StoreController(this, () => this.mission?.state);
  readonly #clock = new ClockController(this, 10_000);
  /** The log's reads: a later one wins, so a task left behind shows neither its events nor its failure. */
  readonly #reading = new ActionController(this);
  #reads = 0;

  constructor() {
    super();
    this.taskId = '';
    this.loaded = [];
    this.more = false;
  }

  override willUpdate(changed: Map<string, unknown>): void {
    if (changed.has('taskId') || (changed.has('mission') && this.mission)) void this.#read();
  }

  async #read(before?: number): Promise<void> {
    if (!this.mission || !this.taskId) return;
    const mission = this.mission;
    const query = { task: this.taskId, order: 'desc', limit: pageSize, ...(before !== undefined ? { before } : {}) } as const;
    const read = ++this.#reads;
    await this.#reading.run(async () => {
      const page = await mission.readLog(query);
      if (read !== this.#reads) return;
      this.loaded = before === undefined ? mergeTimeline([], page.events) : mergeTimeline(this.loaded, page.events);
      this.more = page.events.length === pageSize;
    });
  }

  /** The events read, with the ones the live stream brought since. */
  #timeline(): EventEnvelope[] {
    const live = (this.#data.value?.events ?? []).filter((e) => e.taskId === this.taskId);
    return mergeTimeline(this.loaded, live);
  }

  override render() {
    const state = this.#data.value;
    const back = html`<a href=${routeHash({ view: 'tasks' })} data-testid="task-back">← All tasks</a>`;
    const task = state?.tasks.get(this.taskId);
    if (!state || !task) {
      return html`${back}
        <p class="empty" data-testid="task-missing">${state?.loaded ? `No task ${this.taskId} on this board.` : 'Loading the task…'}</p>`;
    }
    const names = (actor: string) => nameOf(state, actor);
    const events = this.#timeline();
    const moves = taskMoves(events);
    const decisions = taskDecisions(events);
    const agents = taskAgentIds(task, events);
    return html`${back}
      <article data-testid="task-detail" data-task-id=${task.id}>
        <header>
          <h2 data-testid="task-detail-title">${task.title}</h2>
          <span class="badge ${tone(task.status)}" data-testid="task-detail-status">${mark(stateSeverity(task.status))}${statusLabels[task.status]}</span>
          <span class="badge">${task.priority}</span>
          ${task.labels.map((label) => html`<span class="badge">${label}</span>`)}
          <button data-testid="task-export" @click=${() => this.#export(events)}>Export report</button>
        </header>
        <p class="small muted">
          <span class="mono">${task.id}</span> · assignee
          ${task.agentId ? agentLink(state.agents, task.agentId, 'task-assignee') : html`<span data-testid="task-assignee">unassigned</span>`}
          · created ${when(task.createdAt, this.#clock.now)}
        </p>
        ${task.blockedReason ? html`<p class=${tone('blocked')}>${task.blockedReason}</p>` : nothing}
        ${task.description ? html`<p class="description" data-testid="task-description">${task.description}</p>` : nothing}
        <div class="grid">
          <section aria-label="Transitions">
            <h3>Transitions</h3>
            ${moves.length === 0
              ? html`<p class="muted small">No moves yet.</p>`
              : html`<ul>
                  ${moves.map(
                    (m) => html`<li data-testid="task-transition" data-from=${m.from} data-to=${m.to}>
                      ${statusLabels[m.from]} → ${statusLabels[m.to]} by ${names(m.by)} <span class="muted small">${when(m.at, this.#clock.now)}</span>${m.reason ? html`: ${m.reason}` : nothing}
                    </li>`,
                  )}
                </ul>`}
          </section>
          <section aria-label="Decisions">
            <h3>Decisions</h3>
            ${decisions.length === 0
              ? html`<p class="muted small">None asked.</p>`
              : html`<ul>
                  ${decisions.map(
                    (d) => html`<li data-testid="task-decision" data-decision-id=${d.id}>
                      <a href=${routeHash({ view: 'inbox', id: d.id })}>${d.title}</a> <span class="badge">${d.risk}</span>
                      <span class="small">${d.status}${d.outcome ? `: ${d.outcome}` : ''}${d.by ? ` by ${names(d.by)}` : ''}</span>
                    </li>`,
                  )}
                </ul>`}
          </section>
          <section aria-label="Agents">
            <h3>Agents</h3>
            ${agents.length === 0
              ? html`<p class="muted small">None yet.</p>`
              : html`<ul>
                  ${agents.map((id) => html`<li>${agentLink(state.agents, id, 'task-agent-link')}</li>`)}
                </ul>`}
          </section>
        </div>
        <section aria-label="Timeline">
          <h3>Timeline <span class="muted small">newest first</span></h3>
          ${this.#reading.error ? html`<p class="error" role="alert">${this.#reading.error}</p>` : nothing}
          <ul data-testid="task-timeline">
            ${events.map(
              (e) => html`<li data-testid="task-event" data-seq=${e.seq} data-type=${e.type}>
                <span class="muted small">${when(e.recordedAt, this.#clock.now)}</span> <span class="mono">${e.type}</span> by ${names(e.actor)}${e.type === 'task.assigned' && typeof e.data.agentId === 'string' ? html`: to ${agentLink(state.agents, e.data.agentId, 'task-event-agent')}` : eventDetail(e, names)}
              </li>`,
            )}
          </ul>
          ${this.more ? html`<button data-testid="task-load-older" ?disabled=${this.#reading.busy} @click=${() => void this.#read(this.loaded.at(-1)?.seq)}>Load older</button>` : nothing}
        </section>
      </article>`;
  }

  #export(events: readonly EventEnvelope[]): void {
    const state = this.#data.value;
    const task = state?.tasks.get(this.taskId);
    if (!state || !task) return;
    const text = incidentReport(task, events, (actor) => nameOf(state, actor));
    const url = URL.createObjectURL(new Blob([text], { type: 'text/markdown' }));
    const link = document.createElement('a');
    link.href = url;
    link.download = reportFileName(task.id);
    this.renderRoot.appendChild(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  }
}

customElements.define('mc-task-detail', McTaskDetail);
