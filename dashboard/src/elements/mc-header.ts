import { LitElement, css, html, nothing } from 'lit';
import { ActionController } from '../controllers/action-controller.ts';
import { StoreController } from '../controllers/store-controller.ts';
import type { Mission } from '../state/mission.ts';
import type { Whoami } from '../state/types.ts';
import './mc-confirm-dialog.ts';
import type { McConfirmDialog } from './mc-confirm-dialog.ts';
import { shared, tone } from './styles.ts';

/**
 * The top bar: the stream's state, the project shown (a switcher when the token sees more than
 * one), who is signed in, pause-all / resume-all (operators of every project), log out.
 */
export class McHeader extends LitElement {
  static override styles = [
    shared,
    css`
      header {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: 0.5rem 0.75rem;
        padding: 0.5rem 1rem;
        background: var(--mc-surface);
        border-bottom: 1px solid var(--mc-border);
      }
      h1 {
        font-size: 1rem;
        margin: 0 auto 0 0;
      }
      .who {
        font-size: 0.85rem;
      }
      .project select {
        margin-left: 0.35rem;
      }
      .error {
        flex-basis: 100%;
      }
      @media (max-width: 700px) {
        header {
          padding: 0.5rem 0.6rem;
        }
        .actor {
          display: none;
        }
      }
    `,
  ];
  static override properties = { mission: { attribute: false }, who: { attribute: false }, canAct: { type: Boolean } };
  declare mission: Mission | undefined;
  declare who: Whoami | undefined;
  declare canAct: boolean;
  readonly #connection = new StoreController(this, () => this.mission?.connection.state);
  readonly #data = new StoreController(this, () => this.mission?.state);
  readonly #action = new ActionController(this);

  constructor() {
    super();
    this.canAct = false;
  }

  override render() {
    const connection = this.#connection.value ?? 'connecting';
    const offline = connection === 'offline' || connection === 'reconnecting';
    const pausedAll = this.#data.value?.pausedAll;
    // Pause-all spans every project: a token scoped to one may not use it.
    const canPauseAll = this.canAct && this.who?.projectId === null;
    return html`<header>
      <h1>Mission Control</h1>
      <span class="badge ${tone(connection)}" role="status" data-testid="connection-state" data-state=${connection}>${connection}</span>
      ${pausedAll ? html`<span class="badge warn" data-testid="paused-all-badge">all paused</span>` : nothing}
      ${this.#project()}
      ${canPauseAll
        ? html`<button class="danger" data-testid="pause-all" ?disabled=${this.#action.busy || offline} @click=${this.#askPauseAll}>Pause all</button>
            <button data-testid="resume-all" ?disabled=${this.#action.busy || offline} @click=${this.#resumeAll}>Resume all</button>`
        : nothing}
      <span class="who muted" data-testid="whoami" title=${this.who?.actor ?? ''}>${this.who?.name}<span class="actor"> · ${this.who?.role}</span></span>
      <button data-testid="logout" @click=${() => this.dispatchEvent(new CustomEvent('logout'))}>Log out</button>
      ${this.#action.error ? html`<p class="error" role="alert" data-testid="header-error">${this.#action.error}</p>` : nothing}
      ${canPauseAll
        ? html`<mc-confirm-dialog heading="Pause every agent?" confirmLabel="Pause all" testid="pause-all-dialog" @confirm=${this.#pauseAll}>
            <p>Every live agent is paused, and no agent can be spawned until you resume all. Agents stop at their next checkpoint.</p>
          </mc-confirm-dialog>`
        : nothing}
    </header>`;
  }

  /** A token of one project names it; one that sees several chooses, "All projects" first. */
  #project() {
    const scope = this.who?.projectId;
    if (scope) return html`<span class="badge" data-testid="project-scope" title="This token sees only this project">${scope}</span>`;
    const data = this.#data.value;
    if (!data || data.projects.length < 2) return nothing;
    return html`<label class="project muted">
      Project
      <select data-testid="project-switcher" @change=${this.#chooseProject}>
        <option value="" ?selected=${data.project === undefined}>All projects</option>
        ${data.projects.map((p) => html`<option value=${p.id} title=${p.description ?? ''} ?selected=${data.project === p.id}>${p.id}</option>`)}
      </select>
    </label>`;
  }

  #chooseProject(event: Event): void {
    const value = (event.target as HTMLSelectElement).value;
    void this.mission?.selectProject(value === '' ? undefined : value);
  }

  #askPauseAll(): void {
    this.renderRoot.querySelector<McConfirmDialog>('mc-confirm-dialog')?.open();
  }

  #pauseAll(): void {
    void this.#action.run(() => this.mission!.pauseAll());
  }

  #resumeAll(): void {
    void this.#action.run(() => this.mission!.resumeAll());
  }
}

customElements.define('mc-header', McHeader);
