import { LitElement, css, html, nothing } from 'lit';
import { ActionController } from '../controllers/action-controller.ts';
import type { Mission } from '../state/mission.ts';
import { shared } from './styles.ts';

/** A one-line message to a running agent (`POST /inject`); dispatches `close` when sent or cancelled. */
export class McInjectForm extends LitElement {
  static override styles = [
    shared,
    css`
      form {
        display: flex;
        flex-wrap: wrap;
        gap: 0.4rem;
        margin-top: 0.4rem;
      }
      input {
        flex: 1 1 14rem;
      }
      .error {
        flex-basis: 100%;
      }
    `,
  ];
  static override properties = { mission: { attribute: false }, agentId: {} };
  declare mission: Mission | undefined;
  declare agentId: string;
  readonly #action = new ActionController(this);

  constructor() {
    super();
    this.agentId = '';
  }

  override firstUpdated(): void {
    this.renderRoot.querySelector('input')?.focus();
  }

  override render() {
    return html`<form data-testid="inject-form" @submit=${this.#submit} @keydown=${(e: KeyboardEvent) => e.key === 'Escape' && this.#close()}>
      <label class="visually-hidden" for="message">Message to ${this.agentId}</label>
      <input id="message" name="message" data-testid="inject-message" required maxlength="8000" placeholder="Message to the agent" ?disabled=${this.#action.busy} />
      <button class="primary" type="submit" data-testid="inject-submit" ?disabled=${this.#action.busy}>Send</button>
      <button type="button" data-testid="inject-cancel" @click=${this.#close}>Cancel</button>
      ${this.#action.error ? html`<p class="error" role="alert" data-testid="inject-error">${this.#action.error}</p>` : nothing}
    </form>`;
  }

  async #submit(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const message = String(new FormData(event.target as HTMLFormElement).get('message') ?? '').trim();
    if (!message) return;
    if (await this.#action.run(() => this.mission!.inject(this.agentId, message))) this.#close();
  }

  #close(): void {
    this.dispatchEvent(new CustomEvent('close'));
  }
}

customElements.define('mc-inject-form', McInjectForm);
