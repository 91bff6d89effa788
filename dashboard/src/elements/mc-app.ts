import { LitElement, css, html, nothing } from 'lit';
import { createAdminHub, createAlertSettings, createInboxGrouping, createMission, createSession, takeStartupToken } from '../browser.ts';
import { DecisionAlertsController } from '../controllers/decision-alerts-controller.ts';
import { StoreController } from '../controllers/store-controller.ts';
import type { AdminHub } from '../state/admin.ts';
import type { Mission } from '../state/mission.ts';
import { type Route, parseRoute } from '../state/route.ts';
import type { SessionState } from '../state/session.ts';
import './mc-admin.ts';
import './mc-agents.ts';
import './mc-brief.ts';
import './mc-feed.ts';
import './mc-header.ts';
import './mc-healer.ts';
import './mc-inbox.ts';
import './mc-login.ts';
import './mc-nav.ts';
import './mc-overview.ts';
import './mc-tasks.ts';
import { shared } from './styles.ts';

/** The page: the login form, or the signed-in shell (header, nav, the routed view). */
export class McApp extends LitElement {
  static override styles = [
    shared,
    css`
      :host {
        height: 100%;
      }
      .shell {
        display: grid;
        height: 100%;
        grid-template: 'header header' auto 'nav main' 1fr / 10rem 1fr;
      }
      mc-header {
        grid-area: header;
      }
      mc-nav {
        grid-area: nav;
      }
      main {
        grid-area: main;
        /* The containing block of visually hidden labels, so they scroll and clip with the view. */
        position: relative;
        min-width: 0;
        min-height: 0;
        overflow: auto;
        padding: 1rem;
        display: flex;
        flex-direction: column;
      }
      main > :last-child {
        flex: 1;
        min-height: 0;
      }
      .banner {
        border: 1px solid var(--mc-danger);
        border-radius: var(--mc-radius);
        padding: 0.5rem 0.75rem;
        margin-bottom: 1rem;
        display: flex;
        gap: 1rem;
        align-items: center;
      }
      @media (max-width: 700px) {
        .shell {
          grid-template: 'header' auto 'nav' auto 'main' 1fr / 1fr;
        }
        main {
          padding: 0.6rem;
        }
      }
    `,
  ];
  static override properties = { route: { state: true } };
  declare route: Route;

  readonly session = createSession();
  readonly alertSettings = createAlertSettings();
  readonly inboxGrouping = createInboxGrouping();
  #mission: Mission | undefined;
  /** The admin view's calls, made for an admin's token only. */
  #adminHub: AdminHub | undefined;
  readonly #session = new StoreController<SessionState>(this, () => this.session.state);
  readonly #data = new StoreController(this, () => this.#mission?.state);
  readonly #connection = new StoreController(this, () => this.#mission?.connection.state);
  readonly #alerts = new DecisionAlertsController(this, () => this.#mission?.state, this.alertSettings);
  #unsubscribe: (() => void) | undefined;

  constructor() {
    super();
    this.route = parseRoute(location.hash);
  }

  override connectedCallback(): void {
    super.connectedCallback();
    window.addEventListener('hashchange', this.#onHashChange);
    document.addEventListener('visibilitychange', this.#onVisible);
    this.#unsubscribe = this.session.state.subscribe((state) => this.#follow(state));
    const token = takeStartupToken();
    this.route = parseRoute(location.hash);
    void this.session.resume(token);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    window.removeEventListener('hashchange', this.#onHashChange);
    document.removeEventListener('visibilitychange', this.#onVisible);
    this.#unsubscribe?.();
    this.#mission?.stop();
  }

  // A link with a token opened in this tab is a hash change, not a page load: its token is taken
  // out of the address bar as at start-up, and signs in unless it is the one signed in already.
  readonly #onHashChange = () => {
    const token = takeStartupToken();
    this.route = parseRoute(location.hash);
    const state = this.session.state.value;
    if (token !== undefined && !(state.status === 'signed_in' && state.token === token)) void this.session.signIn(token);
  };

  readonly #onVisible = () => {
    if (document.visibilityState === 'visible') void this.#mission?.catchUp();
  };

  /** One mission per signed-in token: started on sign-in, its stream closed on sign-out. */
  #follow(state: SessionState): void {
    if (state.status === 'signed_in' && !this.#mission) {
      this.#mission = createMission(state.token);
      this.#adminHub = state.who.role === 'admin' ? createAdminHub(state.token) : undefined;
      void this.#mission.start();
    } else if (state.status !== 'signed_in' && this.#mission) {
      this.#mission.stop();
      this.#mission = undefined;
      this.#adminHub = undefined;
    }
  }

  override render() {
    const state = this.#session.value;
    const mission = this.#mission;
    if (state?.status !== 'signed_in' || !mission) {
      return html`<mc-login .state=${state} @login=${(e: CustomEvent<string>) => void this.session.signIn(e.detail)}></mc-login>`;
    }
    const loadError = this.#data.value?.loadError;
    // Out of reach, an action would only fail: the views offer none until the stream is back.
    const offline = this.#connection.value === 'offline' || this.#connection.value === 'reconnecting';
    const canAct = state.canAct && !offline;
    return html`<div class="shell" data-testid="app-shell">
      <mc-header .mission=${mission} .who=${state.who} .canAct=${state.canAct} @logout=${() => this.session.signOut()}></mc-header>
      <mc-nav .route=${this.route} .pending=${this.#alerts.pending} .admin=${state.who.role === 'admin'}></mc-nav>
      <main data-testid="view-${this.route.view}">
        ${loadError
          ? html`<div class="banner" role="alert" data-testid="load-error">
              <span>Could not load the dashboard: ${loadError}</span>
              <button data-testid="load-retry" @click=${() => void mission.start()}>Retry</button>
            </div>`
          : nothing}
        ${offline
          ? html`<div class="banner" role="status" data-testid="offline-banner">
              <span>The hub cannot be reached; reconnecting. Actions are off until it is back, and the views catch up then.</span>
            </div>`
          : nothing}
        ${this.#view(mission, canAct, state.who.actor, state.who.tokenId)}
      </main>
    </div>`;
  }

  #view(mission: Mission, canAct: boolean, actor: string, tokenId: string) {
    switch (this.route.view) {
      case 'admin':
        return this.#adminHub
          ? html`<mc-admin .hub=${this.#adminHub} .section=${this.route.id} .canAct=${canAct} .selfTokenId=${tokenId} .agents=${this.#data.value?.agents}></mc-admin>`
          : html`<p class="empty" role="alert" data-testid="admin-only">Administration is for admins only. Sign in with an admin token to manage tokens, people, webhooks, runners and policies.</p>`;
      case 'agents':
        return html`<mc-agents .mission=${mission} .canAct=${canAct} .agentId=${this.route.id}></mc-agents>`;
      case 'tasks':
        return html`<mc-tasks .mission=${mission} .canAct=${canAct} .taskId=${this.route.id}></mc-tasks>`;
      case 'inbox':
        return html`<mc-inbox .mission=${mission} .canAct=${canAct} .actor=${actor} .focusId=${this.route.id} .alertSettings=${this.alertSettings} .grouping=${this.inboxGrouping}></mc-inbox>`;
      case 'brief':
        return html`<mc-brief .mission=${mission}></mc-brief>`;
      case 'healer':
        return html`<mc-healer .mission=${mission}></mc-healer>`;
      case 'overview':
        return html`<mc-overview .mission=${mission}></mc-overview>`;
      default:
        return html`<mc-feed .mission=${mission}></mc-feed>`;
    }
  }
}

customElements.define('mc-app', McApp);
