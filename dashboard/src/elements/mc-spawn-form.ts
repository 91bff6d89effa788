import { LitElement, css, html, nothing } from 'lit';
import { ActionController } from '../controllers/action-controller.ts';
import type { Mission } from '../state/mission.ts';
import type { AgentTemplate } from '../state/types.ts';
import { formPanel, shared } from './styles.ts';

/** Starts an agent from a template (`GET /templates` lists them); says a runner starts it. */
export class McSpawnForm extends LitElement {
  static override styles = [
    shared,
    formPanel,
    css`
      .result {
        overflow-wrap: anywhere;
      }
    `,
  ];
  static override properties = { mission: { attribute: false }, templates: { state: true }, spawned: { state: true } };
  declare mission: Mission | undefined;
  declare templates: AgentTemplate[] | undefined;
  declare spawned: { agentId: string; name: string } | undefined;
  /** Reading the templates, then each spawn: Spawn is off until the templates are read. */
  readonly #action = new ActionController(this);

  override connectedCallback(): void {
    super.connectedCallback();
    const mission = this.mission;
    if (mission) void this.#action.run(async () => (this.templates = await mission.templates()));
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
        <button class="primary" type="submit" data-testid="spawn-submit" ?disabled=${this.#action.busy || !templates?.length}>Spawn</button>
        <button type="button" data-testid="spawn-cancel" @click=${this.#close}>Close</button>
      </div>
      ${templates && templates.length === 0 ? html`<p class="muted wide" data-testid="spawn-no-templates">The hub has no agent templates configured.</p>` : nothing}
      ${this.#action.error ? html`<p class="error wide" role="alert" data-testid="spawn-error">${this.#action.error}</p>` : nothing}
      ${this.spawned
        ? html`<p class="wide result" role="status" data-testid="spawn-result">
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
    await this.#action.run(async () => {
      const input = spawnInput(inputText);
      this.spawned = await this.mission!.spawn({ template, ...(name ? { name } : {}), ...(input !== undefined ? { input } : {}) });
    });
  }

  #onKey(event: KeyboardEvent): void {
    if (event.key === 'Escape') this.#close();
  }

  #close(): void {
    this.dispatchEvent(new CustomEvent('close'));
  }
}

/** The optional JSON input, parsed; a person reads why it was refused. */
function spawnInput(text: string): unknown {
  try {
    return text === '' ? undefined : JSON.parse(text);
  } catch {
    throw new Error('The input is not valid JSON.');
  }
}

customElements.define('mc-spawn-form', McSpawnForm);
