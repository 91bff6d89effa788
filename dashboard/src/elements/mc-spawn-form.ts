import { LitElement, css, html, nothing } from 'lit';
import { problemText } from '../state/problem.ts';
import type { Mission } from '../state/mission.ts';
import type { AgentTemplate } from '../state/types.ts';
import { shared } from './styles.ts';

/** Starts an agent from a template (`GET /templates` lists them); says a runner starts it. */
export class McSpawnForm extends LitElement {
  static override styles = [
    shared,
    css`
      form {
        display: grid;
        grid-template-columns: repeat(auto-fit, minmax(12rem, 1fr));
        gap: 0.6rem;
        align-items: end;
        background: var(--mc-surface);
        border: 1px solid var(--mc-border);
        border-radius: var(--mc-radius);
        padding: 0.75rem;
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
      .result {
        grid-column: 1 / -1;
        overflow-wrap: anywhere;
      }
    `,
  ];
  static override properties = {
    mission: { attribute: false },
    templates: { state: true },
    error: { state: true },
    busy: { state: true },
    spawned: { state: true },
  };
  declare mission: Mission | undefined;
  declare templates: AgentTemplate[] | undefined;
  declare error: string | undefined;
  declare busy: boolean;
  declare spawned: { agentId: string; name: string } | undefined;

  constructor() {
    super();
    this.busy = false;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.mission?.templates().then(
      (templates) => (this.templates = templates),
      (error: unknown) => (this.error = problemText(error)),
    );
  }

  override render() {
    const templates = this.templates;
    return html`<form data-testid="spawn-form" @submit=${this.#submit} @keydown=${this.#onKey}>
      <label>
        Template
        <select name="template" data-testid="spawn-template" required ?disabled=${!templates?.length}>
          ${templates?.map((t) => html`<option value=${t.name} title=${t.description ?? ''}>${t.name}${t.description ? ` — ${t.description}` : ''}</option>`)}
        </select>
      </label>
      <label>
        Name (optional)
        <input name="name" data-testid="spawn-name" maxlength="200" />
      </label>
      <label class="wide">
        Input (optional JSON)
        <textarea name="input" data-testid="spawn-input" rows="2" placeholder='{"repo": "..."}'></textarea>
      </label>
      <div class="actions">
        <button class="primary" type="submit" data-testid="spawn-submit" ?disabled=${this.busy || !templates?.length}>Spawn</button>
        <button type="button" data-testid="spawn-cancel" @click=${this.#close}>Close</button>
      </div>
      ${templates && templates.length === 0 ? html`<p class="muted wide" data-testid="spawn-no-templates">The hub has no agent templates configured.</p>` : nothing}
      ${this.error ? html`<p class="error wide" role="alert" data-testid="spawn-error">${this.error}</p>` : nothing}
      ${this.spawned
        ? html`<p class="result" role="status" data-testid="spawn-result">
            Requested <strong>${this.spawned.name}</strong> (<span class="mono">${this.spawned.agentId}</span>): a runner starts it as soon as one has room.
          </p>`
        : nothing}
    </form>`;
  }

  async #submit(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const form = new FormData(event.target as HTMLFormElement);
    const template = String(form.get('template') ?? '');
    const name = String(form.get('name') ?? '').trim();
    const inputText = String(form.get('input') ?? '').trim();
    let input: unknown;
    try {
      input = inputText === '' ? undefined : JSON.parse(inputText);
    } catch {
      this.error = 'The input is not valid JSON.';
      return;
    }
    this.busy = true;
    this.error = undefined;
    try {
      this.spawned = await this.mission!.spawn({ template, ...(name ? { name } : {}), ...(input !== undefined ? { input } : {}) });
    } catch (error) {
      this.error = problemText(error);
    } finally {
      this.busy = false;
    }
  }

  #onKey(event: KeyboardEvent): void {
    if (event.key === 'Escape') this.#close();
  }

  #close(): void {
    this.dispatchEvent(new CustomEvent('close'));
  }
}

customElements.define('mc-spawn-form', McSpawnForm);
