import { LitElement, css, html, nothing } from 'lit';
import { StoreController } from '../controllers/store-controller.ts';
import type { Mission } from '../state/mission.ts';
import { problemText } from '../state/problem.ts';
import { taskCreateRequest } from '../state/task-detail.ts';
import { shared } from './styles.ts';

/** Adds a task to the board (`POST /tasks`); the hub's refusal is shown here with its detail. Fires `task-form-close`. */
export class McTaskForm extends LitElement {
  static override styles = [
    shared,
    css`
      form {
        display: grid;
        grid-template-columns: repeat(auto-fit, minmax(min(100%, 12rem), 1fr));
        gap: 0.6rem;
        align-items: end;
        background: var(--mc-surface);
        border: 1px solid var(--mc-border);
        border-radius: var(--mc-radius);
        padding: 0.75rem;
        margin-bottom: 0.75rem;
      }
      label {
        display: grid;
        gap: 0.25rem;
      }
      .wide {
        grid-column: 1 / -1;
      }
      .actions {
        display: flex;
        gap: 0.5rem;
      }
    `,
  ];
  static override properties = { mission: { attribute: false }, error: { state: true }, busy: { state: true } };
  declare mission: Mission | undefined;
  declare error: string;
  declare busy: boolean;
  readonly #data = new StoreController(this, () => this.mission?.state);

  constructor() {
    super();
    this.error = '';
    this.busy = false;
  }

  override render() {
    const agents = [...(this.#data.value?.agents.values() ?? [])].filter((a) => a.status !== 'exited' && a.status !== 'failed');
    return html`<form data-testid="task-form" aria-label="New task" @submit=${this.#submit}>
      <label class="wide">
        Title
        <input name="title" data-testid="task-form-title" required maxlength="200" autofocus />
      </label>
      <label class="wide">
        Description (optional, Markdown)
        <textarea name="description" data-testid="task-form-description" rows="3"></textarea>
      </label>
      <label>
        Priority
        <select name="priority" data-testid="task-form-priority">
          ${['normal', 'low', 'high', 'urgent'].map((p) => html`<option value=${p}>${p}</option>`)}
        </select>
      </label>
      <label>
        Labels (comma-separated)
        <input name="labels" data-testid="task-form-labels" placeholder="db, billing" />
      </label>
      <label>
        Assignee
        <select name="agentId" data-testid="task-form-agent">
          <option value="">unassigned</option>
          ${agents.map((a) => html`<option value=${a.id}>${a.name}</option>`)}
        </select>
      </label>
      <div class="actions">
        <button type="submit" data-testid="task-form-submit" ?disabled=${this.busy}>Create</button>
        <button type="button" @click=${() => this.dispatchEvent(new CustomEvent('task-form-close'))}>Cancel</button>
      </div>
      ${this.error ? html`<p class="error wide" role="alert" data-testid="task-form-error">${this.error}</p>` : nothing}
    </form>`;
  }

  async #submit(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const form = new FormData(event.target as HTMLFormElement);
    const field = (name: string) => String(form.get(name) ?? '');
    const request = taskCreateRequest({ title: field('title'), description: field('description'), priority: field('priority'), labels: field('labels') });
    const agentId = field('agentId');
    const project = this.#data.value?.project;
    this.busy = true;
    this.error = '';
    try {
      await this.mission!.createTask({ ...request, ...(agentId ? { agentId } : {}), ...(project ? { projectId: project } : {}) });
      this.dispatchEvent(new CustomEvent('task-form-close'));
    } catch (error) {
      this.error = problemText(error);
    } finally {
      this.busy = false;
    }
  }
}

customElements.define('mc-task-form', McTaskForm);
