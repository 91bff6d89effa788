import { LitElement, css, html, nothing } from 'lit';
import { type SessionState, agentTokenRefusal } from '../state/session.ts';
import { shared } from './styles.ts';

/** The login form: paste a token; says why agent tokens are refused. Dispatches `login` with the token. */
export class McLogin extends LitElement {
  static override styles = [
    shared,
    css`
      :host {
        display: grid;
        place-items: center;
        min-height: 100%;
        padding: 1rem;
      }
      form {
        width: min(28rem, 100%);
        background: var(--mc-surface);
        border: 1px solid var(--mc-border);
        border-radius: var(--mc-radius);
        padding: 1.5rem;
        display: grid;
        gap: 0.75rem;
      }
      h1 {
        margin: 0;
        font-size: 1.3rem;
      }
      label {
        display: grid;
        gap: 0.3rem;
      }
      p {
        margin: 0;
      }
    `,
  ];
  static override properties = { state: { attribute: false } };
  declare state: SessionState | undefined;

  override render() {
    const checking = this.state?.status === 'checking';
    const error = this.state?.status === 'signed_out' ? this.state.error : undefined;
    return html`<form data-testid="login-form" @submit=${this.#submit}>
      <h1>Mission Control</h1>
      <p class="muted">Sign in with a token from your hub's admin (or the start-up URL's <span class="mono">#token=</span>).</p>
      <label>
        Token
        <input data-testid="login-token" name="token" type="password" autocomplete="off" required ?disabled=${checking} />
      </label>
      ${error ? html`<p class="error" role="alert" data-testid="login-error">${error}</p>` : nothing}
      <button class="primary" type="submit" data-testid="login-submit" ?disabled=${checking}>${checking ? 'Checking…' : 'Sign in'}</button>
      ${error === agentTokenRefusal ? nothing : html`<p class="muted" data-testid="login-agent-note">${agentTokenRefusal}</p>`}
    </form>`;
  }

  #submit(event: SubmitEvent): void {
    event.preventDefault();
    const input = this.renderRoot.querySelector<HTMLInputElement>('input[name=token]');
    const token = input?.value.trim();
    if (token) this.dispatchEvent(new CustomEvent('login', { detail: token }));
  }
}

customElements.define('mc-login', McLogin);
