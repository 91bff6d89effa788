import { LitElement, css, html, nothing } from 'lit';
import { ActionController } from '../controllers/action-controller.ts';
import { StoreController } from '../controllers/store-controller.ts';
import type { Mission } from '../state/mission.ts';
import { taskCreateRequest } from '../state/task-detail.ts';
import { formPanel, shared } from './styles.ts';

/** Adds a task to the board (`POST /tasks`); the hub's refusal is shown here with its detail. Fires `task-form-close`. */
export class McTaskForm extends LitElement {
  static override styles = [
    shared,
    formPanel,
    css`
      form {
        margin-bottom: 0.75rem;
      }
    `,
  ];
  static override properties = { mission: { attribute: false } };
  declare mission: Mission | undefined;
  readonly #data = new StoreController(this, () => this.mission?.state);
  readonly #action = new ActionController(this);

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
        <button type="submit" data-testid="task-form-submit" ?disabled=${this.#action.busy}>Create</button>
        <button type="button" @click=${() => this.dispatchEvent(new CustomEvent('task-form-close'))}>Cancel</button>
      </div>
      ${this.#action.error ? html`<p class="error wide" role="alert" data-testid="task-form-error">${this.#action.error}</p>` : nothing}
    </form>`;
  }

  async #submit(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const form = new FormData(event.target as HTMLFormElement);
    const field = (name: string) => String(form.get(name) ?? '');
    const request = taskCreateRequest({ title: field('title'), description: field('description'), priority: field('priority'), labels: field('labels') });
    const agentId = field('agentId');
    const project = this.#data.value?.project;
    if (await this.#action.run(() => this.mission!.createTask({ ...request, ...(agentId ? { agentId } : {}), ...(project ? { projectId: project } : {}) }))) {
      this.dispatchEvent(new CustomEvent('task-form-close'));
    }
  }
}

customElements.define('mc-task-form', McTaskForm);
