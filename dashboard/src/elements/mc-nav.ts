import { LitElement, css, html, nothing } from 'lit';
import { countLabel } from '../state/decision-alerts.ts';
import { type Route, adminViews, routeHash, viewLabels, views } from '../state/route.ts';
import { shared } from './styles.ts';

/** The views' links; at phone width they fold behind a Menu button. */
export class McNav extends LitElement {
  static override styles = [
    shared,
    css`
      nav {
        height: 100%;
        background: var(--mc-surface);
        border-right: 1px solid var(--mc-border);
        padding: 0.5rem;
      }
      ul {
        list-style: none;
        margin: 0;
        padding: 0;
        display: grid;
        gap: 0.2rem;
      }
      a {
        display: flex;
        align-items: center;
        justify-content: space-between;
        gap: 0.4rem;
        position: relative;
        padding: 0.45rem 0.7rem;
        border-radius: var(--mc-radius);
        color: var(--mc-text);
        text-decoration: none;
      }
      a:hover {
        background: var(--mc-surface-2);
      }
      a[aria-current='page'] {
        background: var(--mc-surface-2);
        box-shadow: inset 3px 0 0 var(--mc-accent);
      }
      .toggle {
        display: none;
      }
      .count {
        min-width: 1.4rem;
        padding: 0 0.4rem;
        border-radius: 999px;
        background: var(--mc-red);
        color: var(--mc-bg);
        font-size: 0.75rem;
        font-weight: 700;
        line-height: 1.4rem;
        text-align: center;
      }
      .toggle .count {
        margin-left: 0.4rem;
        display: inline-block;
      }
      @media (max-width: 700px) {
        nav {
          border-right: none;
          border-bottom: 1px solid var(--mc-border);
          display: flex;
          flex-wrap: wrap;
          align-items: center;
          gap: 0.5rem;
        }
        .toggle {
          display: inline-block;
        }
        ul {
          flex-basis: 100%;
        }
        a {
          justify-content: flex-start;
        }
        nav:not(.open) ul {
          display: none;
        }
        .current {
          font-weight: 600;
        }
      }
      @media (min-width: 701px) {
        .current {
          display: none;
        }
      }
    `,
  ];
  static override properties = { route: { attribute: false }, pending: { type: Number }, admin: { type: Boolean }, open: { state: true } };
  declare route: Route | undefined;
  /** Decisions waiting: a count on the Inbox link, and on the Menu button while the links are folded away. */
  declare pending: number;
  /** An admin's token: the admin views get their links (for anyone else they are not rendered). */
  declare admin: boolean;
  declare open: boolean;

  constructor() {
    super();
    this.open = false;
    this.pending = 0;
    this.admin = false;
  }

  override willUpdate(changed: Map<string, unknown>): void {
    // A new view folds the menu away again.
    if (changed.has('route')) this.open = false;
  }

  override render() {
    const current = this.route?.view ?? 'feed';
    return html`<nav class=${this.open ? 'open' : ''} aria-label="Views" data-testid="nav" @keydown=${(e: KeyboardEvent) => e.key === 'Escape' && (this.open = false)}>
      <button class="toggle" aria-expanded=${String(this.open)} aria-controls="links" data-testid="nav-toggle" @click=${() => (this.open = !this.open)}>
        Menu${this.pending > 0 && !this.open ? this.#count('nav-toggle-count') : nothing}
      </button>
      <span class="current">${viewLabels[current]}</span>
      <ul id="links">
        ${views.filter((view) => this.admin || !adminViews.has(view)).map(
          (view) =>
            html`<li>
              <a href=${routeHash({ view })} data-testid="nav-${view}" aria-current=${view === current ? 'page' : 'false'} @click=${() => (this.open = false)}
                >${viewLabels[view]}${view === 'inbox' && this.pending > 0
                  ? this.#count('nav-inbox-count')
                  : nothing}</a
              >
            </li>`,
        )}
      </ul>
    </nav>`;
  }

  #count(testid: string) {
    return html`<span class="count" data-testid=${testid} aria-hidden="true">${countLabel(this.pending)}</span><span class="visually-hidden">, ${this.pending} waiting</span>`;
  }
}

customElements.define('mc-nav', McNav);
