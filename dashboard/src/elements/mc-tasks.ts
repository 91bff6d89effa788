import { LitElement, css, html, nothing } from 'lit';
import { StoreController } from '../controllers/store-controller.ts';
import { problemText } from '../state/problem.ts';
import type { Mission } from '../state/mission.ts';
import { routeHash } from '../state/route.ts';
import { boardColumns, movesFrom, statusLabels } from '../state/task-board.ts';
import type { TaskStatus, TaskView } from '../state/types.ts';
import { agentLink } from './agent-link.ts';
import { mark, shared, tone } from './styles.ts';
import './mc-task-detail.ts';
import './mc-task-form.ts';

/** The task board: a column per state; each card offers only the moves the state machine allows. */
export class McTasks extends LitElement {
  static override styles = [
    shared,
    css`
      .board {
        /* Six columns side by side from about 1100 px of room; narrower, they wrap (two on a phone), never cut. */
        display: grid;
        grid-template-columns: repeat(auto-fit, minmax(min(100%, 10.5rem), 1fr));
        gap: 0.75rem;
        padding-bottom: 0.5rem;
        align-items: start;
      }
      .column {
        background: var(--mc-surface);
        border: 1px solid var(--mc-border);
        border-radius: var(--mc-radius);
        padding: 0.6rem;
        display: grid;
        gap: 0.5rem;
      }
      h3 {
        margin: 0;
        font-size: 0.95rem;
        display: flex;
        justify-content: space-between;
      }
      article {
        background: var(--mc-surface-2);
        border: 1px solid var(--mc-border);
        border-radius: var(--mc-radius);
        padding: 0.5rem;
        display: grid;
        gap: 0.35rem;
      }
      article.warning {
        border-left: 4px solid var(--mc-warn);
      }
      .title {
        font-weight: 600;
        overflow-wrap: anywhere;
      }
      .meta {
        display: flex;
        flex-wrap: wrap;
        gap: 0.3rem;
        font-size: 0.8rem;
      }
      .moves {
        display: flex;
        flex-wrap: wrap;
        gap: 0.3rem;
      }
      .moves button {
        font-size: 0.8rem;
        padding: 0.15rem 0.5rem;
      }
      .title a {
        color: inherit;
      }
      .heading {
        display: flex;
        flex-wrap: wrap;
        gap: 0.5rem 1rem;
        align-items: center;
        justify-content: space-between;
      }
      .heading h2 {
        margin: 0.25rem 0;
      }
      .none {
        color: var(--mc-muted);
        font-size: 0.85rem;
        margin: 0;
      }
    `,
  ];
  static override properties = {
    mission: { attribute: false },
    canAct: { type: Boolean },
    taskId: {},
    creating: { state: true },
    busy: { state: true },
    errors: { state: true },
  };
  declare mission: Mission | undefined;
  declare canAct: boolean;
  /** The task whose detail to show (`#/tasks/<id>`); unset, the board. */
  declare taskId: string | undefined;
  declare creating: boolean;
  declare busy: string | undefined;
  declare errors: Readonly<Record<string, string>>;
  readonly #data = new StoreController(this, () => this.mission?.state);

  constructor() {
    super();
    this.canAct = false;
    this.creating = false;
    this.errors = {};
  }

  override render() {
    if (this.taskId) return html`<mc-task-detail .mission=${this.mission} .taskId=${this.taskId}></mc-task-detail>`;
    const state = this.#data.value;
    const columns = boardColumns(state?.tasks ?? new Map());
    const total = columns.reduce((n, c) => n + c.tasks.length, 0);
    return html`<div class="heading">
        <h2>Tasks</h2>
        ${this.canAct && !this.creating ? html`<button data-testid="task-new" @click=${() => (this.creating = true)}>New task</button>` : nothing}
      </div>
      ${this.canAct && this.creating
        ? html`<mc-task-form .mission=${this.mission} @task-form-close=${() => (this.creating = false)}></mc-task-form>`
        : nothing}
      ${total === 0
        ? html`<p class="empty" data-testid="tasks-empty">${state?.loaded ? 'No tasks yet. Agents and operators create them with POST /tasks.' : 'Loading tasks…'}</p>`
        : nothing}
      <div class="board" data-testid="task-board" role="list" aria-label="Task board">
        ${columns.map(
          (column) => html`<section class="column" role="listitem" data-testid="task-column" data-status=${column.status} aria-label=${statusLabels[column.status]}>
            <h3>${statusLabels[column.status]} <span class="muted">${column.tasks.length}</span></h3>
            ${column.tasks.length === 0 ? html`<p class="none" data-testid="task-column-empty">Nothing here</p>` : column.tasks.map((task) => this.#card(task))}
          </section>`,
        )}
      </div>`;
  }

  #card(task: TaskView) {
    const moves = this.canAct ? movesFrom(task.status) : [];
    return html`<article data-testid="task-card" data-task-id=${task.id} data-status=${task.status} class=${task.status === 'blocked' ? 'warning' : ''}>
      <div class="title"><a href=${routeHash({ view: 'tasks', id: task.id })} data-testid="task-open">${task.title}</a></div>
      <div class="meta">
        <span class="badge ${task.priority === 'urgent' || task.priority === 'high' ? 'warn' : ''}">${task.priority}</span>
        ${task.labels.map((label) => html`<span class="badge">${label}</span>`)}
        ${task.agentId ? agentLink(this.#data.value?.agents, task.agentId, 'task-agent') : html`<span class="muted">unassigned</span>`}
      </div>
      ${task.blockedReason ? html`<div class="small ${tone('blocked')}">${mark('warning')}${task.blockedReason}</div>` : nothing}
      ${moves.length > 0
        ? html`<div class="moves" role="group" aria-label="Move to">
            ${moves.map(
              (to) =>
                html`<button data-testid="task-move" data-to=${to} ?disabled=${this.busy === task.id} @click=${() => this.#move(task.id, to)}>→ ${statusLabels[to]}</button>`,
            )}
          </div>`
        : nothing}
      ${this.errors[task.id] ? html`<p class="error" role="alert" data-testid="task-error">${this.errors[task.id]}</p>` : nothing}
    </article>`;
  }

  async #move(taskId: string, to: TaskStatus): Promise<void> {
    this.busy = taskId;
    this.errors = { ...this.errors, [taskId]: '' };
    try {
      await this.mission!.transition(taskId, to);
    } catch (error) {
      this.errors = { ...this.errors, [taskId]: problemText(error) };
    } finally {
      this.busy = undefined;
    }
  }
}

customElements.define('mc-tasks', McTasks);
