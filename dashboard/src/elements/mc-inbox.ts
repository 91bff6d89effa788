import { LitElement, css, html, nothing } from 'lit';
import { ClockController } from '../controllers/clock-controller.ts';
import { StoreController } from '../controllers/store-controller.ts';
import { nameOf } from '../state/actor-names.ts';
import { emptyState } from '../state/dashboard-state.ts';
import { ago } from '../state/format.ts';
import { inboxOrder } from '../state/inbox.ts';
import type { AlertSettings } from '../state/decision-alerts.ts';
import type { Mission } from '../state/mission.ts';
import type { Store } from '../state/store.ts';
import type { DecisionView } from '../state/types.ts';
import './mc-alert-settings.ts';
import './mc-decision-card.ts';
import { shared, tone } from './styles.ts';

/** The decision inbox: pending first (soonest deadline first), then the history of settled ones. */
export class McInbox extends LitElement {
  static override styles = [
    shared,
    css`
      .pending {
        display: grid;
        gap: 0.75rem;
        margin-bottom: 1.5rem;
      }
      ol {
        list-style: none;
        padding: 0;
        margin: 0;
        border: 1px solid var(--mc-border);
        border-radius: var(--mc-radius);
        background: var(--mc-surface);
      }
      li {
        padding: 0.5rem 0.75rem;
        border-bottom: 1px solid var(--mc-border);
        display: flex;
        flex-wrap: wrap;
        gap: 0.3rem 0.6rem;
        align-items: baseline;
      }
      li:last-child {
        border-bottom: none;
      }
      li.focused {
        box-shadow: inset 3px 0 0 var(--mc-accent);
      }
      .title {
        font-weight: 600;
        overflow-wrap: anywhere;
      }
      .small {
        font-size: 0.8rem;
      }
    `,
  ];
  static override properties = { mission: { attribute: false }, canAct: { type: Boolean }, actor: {}, focusId: {}, alertSettings: { attribute: false } };
  declare mission: Mission | undefined;
  declare alertSettings: Store<AlertSettings> | undefined;
  declare canAct: boolean;
  declare actor: string;
  declare focusId: string | undefined;
  readonly #data = new StoreController(this, () => this.mission?.state);
  readonly #clock = new ClockController(this);
  #scrolledTo: string | undefined;

  constructor() {
    super();
    this.canAct = false;
    this.actor = '';
  }

  override updated(): void {
    // A link to one decision (`#/inbox/dec_...`) brings it into view once, after the cards above it have their height.
    if (!this.focusId || this.#scrolledTo === this.focusId) return;
    const target = this.renderRoot.querySelector<HTMLElement>(`[data-decision-id="${CSS.escape(this.focusId)}"]`);
    if (!target) return;
    this.#scrolledTo = this.focusId;
    const cards = [...this.renderRoot.querySelectorAll<LitElement>('mc-decision-card')];
    void Promise.all(cards.map((card) => card.updateComplete)).then(() => {
      target.scrollIntoView({ block: 'center' });
      target.focus({ preventScroll: true });
    });
  }

  override render() {
    const state = this.#data.value;
    const { pending, history } = inboxOrder(state?.decisions ?? new Map());
    return html`<mc-alert-settings .settings=${this.alertSettings}></mc-alert-settings>
      <h2>Decisions waiting <span class="muted">${pending.length}</span></h2>
      <div class="pending" data-testid="inbox-pending">
        ${pending.length === 0
          ? html`<p class="empty" data-testid="inbox-empty">${state?.loaded ? 'No pending decisions' : 'Loading decisions…'}</p>`
          : pending.map(
              (d) =>
                html`<mc-decision-card
                  .mission=${this.mission}
                  .decision=${d}
                  .canAct=${this.canAct}
                  .actor=${this.actor}
                  .nameOf=${(actor: string) => nameOf(state ?? emptyState, actor)}
                  .now=${this.#clock.now}
                  ?focused=${d.id === this.focusId}
                  data-decision-id=${d.id}
                ></mc-decision-card>`,
            )}
      </div>
      <h2>History</h2>
      ${history.length === 0
        ? html`<p class="empty" data-testid="inbox-history-empty">No resolved or expired decisions yet</p>`
        : html`<ol data-testid="inbox-history">
            ${history.map((d) => this.#settled(d))}
          </ol>`}`;
  }

  #settled(d: DecisionView) {
    const when = d.resolvedAt ?? d.expiresAt;
    return html`<li data-testid="decision-history-item" data-decision-id=${d.id} data-status=${d.status} class=${d.id === this.focusId ? 'focused' : ''} tabindex="-1">
      <span class="title">${d.title}</span>
      <span class="badge ${tone(d.risk)}">${d.risk}</span>
      <span class="badge ${tone(d.status)}">${d.status}</span>
      ${d.outcome ? html`<span>→ <strong>${d.outcome}</strong></span>` : nothing}
      <span class="muted small">${d.resolvedBy ? html`by <span data-testid="resolved-by" title=${d.resolvedBy}>${nameOf(this.#data.value ?? emptyState, d.resolvedBy)}</span> ` : nothing}${ago(when, this.#clock.now)}</span>
      ${d.comment ? html`<span class="small">“${d.comment}”</span>` : nothing}
      ${d.escalatedTo ? html`<a class="small" href="#/inbox/${d.escalatedTo}">escalated to ${d.escalatedTo}</a>` : nothing}
    </li>`;
  }
}

customElements.define('mc-inbox', McInbox);
