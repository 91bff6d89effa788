import { LitElement, html, nothing } from 'lit';
import { ClockController } from '../controllers/clock-controller.ts';
import { StoreController } from '../controllers/store-controller.ts';
import { nameOf } from '../state/actor-names.ts';
import { type DashboardState, emptyState } from '../state/dashboard-state.ts';
import type { AlertSettings } from '../state/decision-alerts.ts';
import { inboxOrder } from '../state/inbox.ts';
import { type DecisionGroup, type InboxGrouping, bulkExclusion, focusAfterAnswer, groupDecisions, groupings, keyOutcome, moveFocus, triageAction } from '../state/inbox-triage.ts';
import type { Mission } from '../state/mission.ts';
import type { Store } from '../state/store.ts';
import type { DecisionView } from '../state/types.ts';
import './mc-alert-settings.ts';
import type { McDecisionCard } from './mc-decision-card.ts';
import './mc-decision-card.ts';
import './mc-inbox-bulk.ts';
import { inboxStyles } from './mc-inbox.styles.ts';
import { tone } from './styles.ts';
import { when } from './when.ts';

const groupLabels: Readonly<Record<InboxGrouping, string>> = { none: 'nothing', agent: 'agent', project: 'project' };

/**
 * The decision inbox: pending decisions by risk then deadline, grouped on demand, answered one by
 * one from the keyboard (j/k, a/d, c) or several at once; then the history of settled ones.
 */
export class McInbox extends LitElement {
  static override styles = inboxStyles;
  static override properties = {
    mission: { attribute: false },
    canAct: { type: Boolean },
    actor: {},
    focusId: {},
    alertSettings: { attribute: false },
    grouping: { attribute: false },
    cursor: { state: true },
    selected: { state: true },
  };
  declare mission: Mission | undefined;
  declare alertSettings: Store<AlertSettings> | undefined;
  /** The grouping chosen, kept across visits by the app (`createInboxGrouping`); without one, nothing is grouped. */
  declare grouping: Store<InboxGrouping> | undefined;
  declare canAct: boolean;
  declare actor: string;
  declare focusId: string | undefined;
  /** The pending decision the keys act on. */
  declare cursor: string | undefined;
  declare selected: ReadonlySet<string>;
  readonly #data = new StoreController(this, () => this.mission?.state);
  readonly #grouping = new StoreController(this, () => this.grouping);
  readonly #clock = new ClockController(this);
  #scrolledTo: string | undefined;

  constructor() {
    super();
    this.canAct = false;
    this.actor = '';
    this.selected = new Set();
  }

  override connectedCallback(): void {
    super.connectedCallback();
    document.addEventListener('keydown', this.#onKey);
  }

  override disconnectedCallback(): void {
    document.removeEventListener('keydown', this.#onKey);
    super.disconnectedCallback();
  }

  override willUpdate(changed: Map<PropertyKey, unknown>): void {
    // Arriving from a link to one decision, the keys start from it.
    if (changed.has('focusId') && this.focusId) this.cursor = this.focusId;
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
    const state = this.#data.value ?? emptyState;
    const { pending, history } = inboxOrder(state.decisions);
    const by = this.#grouping.value ?? 'none';
    const groups = groupDecisions(pending, by);
    return html`<mc-alert-settings .settings=${this.alertSettings}></mc-alert-settings>
      <div class="heading">
        <h2>Decisions waiting <span class="muted" data-testid="inbox-pending-count">${pending.length}</span></h2>
        <label class="muted">
          Group by
          <select data-testid="inbox-group-by" @change=${(e: Event) => this.grouping?.set((e.target as HTMLSelectElement).value as InboxGrouping)}>
            ${groupings.map((g) => html`<option value=${g} ?selected=${g === by}>${groupLabels[g]}</option>`)}
          </select>
        </label>
      </div>
      ${this.#legend()}
      ${this.canAct && pending.length > 0
        ? html`<mc-inbox-bulk .mission=${this.mission} .pending=${pending} .selected=${this.selected} @selection-change=${(e: CustomEvent<{ selected: Set<string> }>) => (this.selected = e.detail.selected)}></mc-inbox-bulk>`
        : nothing}
      <div class="pending" data-testid="inbox-pending" @decision-answer=${this.#onAnswer}>
        ${pending.length === 0
          ? html`<p class="empty" data-testid="inbox-empty">${state.loaded ? 'No pending decisions' : 'Loading decisions…'}</p>`
          : groups.map((group) => (by === 'none' ? this.#cards(group, state) : this.#group(group, by, state)))}
      </div>
      <h2>History</h2>
      ${history.length === 0
        ? html`<p class="empty" data-testid="inbox-history-empty">No resolved or expired decisions yet</p>`
        : html`<ol data-testid="inbox-history">
            ${history.map((d) => this.#settled(d, state))}
          </ol>`}`;
  }

  #legend() {
    return html`<p class="keys muted" data-testid="inbox-keys">
      Keys: <kbd>j</kbd>/<kbd>k</kbd> next/previous${this.canAct
        ? html` · <kbd>a</kbd> approve · <kbd>d</kbd> deny · <kbd>c</kbd> comment
            <span title="A healer's escalation is answered with its own options (retry, abandon); a red decision you approved waits for another operator">(not for a healer's escalation: use its buttons)</span>`
        : nothing}
    </p>`;
  }

  #group(group: DecisionGroup, by: InboxGrouping, state: DashboardState) {
    const label = group.key === null ? (by === 'agent' ? 'No agent' : 'No project') : by === 'agent' ? nameOf(state, `agent:${group.key}`) : group.key;
    return html`<section class="group" data-testid="inbox-group" data-group=${group.key ?? ''} aria-label=${label}>
      <h3>${label} <span class="badge" data-testid="inbox-group-count">${group.decisions.length}</span></h3>
      ${this.#cards(group, state)}
    </section>`;
  }

  #cards(group: DecisionGroup, state: DashboardState) {
    return group.decisions.map((d) => {
      const excluded = bulkExclusion(d);
      return html`<div class="row" @focusin=${() => (this.cursor = d.id)}>
        ${this.canAct
          ? html`<input
              type="checkbox"
              data-testid="decision-select"
              data-decision-id=${d.id}
              aria-label=${excluded ? `${d.title}: ${excluded}` : `Select ${d.title} for a bulk answer`}
              title=${excluded ?? 'Select for a bulk answer'}
              .checked=${!excluded && this.selected.has(d.id)}
              ?disabled=${excluded !== undefined}
              @change=${(e: Event) => this.#toggle(d.id, (e.target as HTMLInputElement).checked)}
            />`
          : nothing}
        <mc-decision-card
          .mission=${this.mission}
          .decision=${d}
          .canAct=${this.canAct}
          .actor=${this.actor}
          .nameOf=${(actor: string) => nameOf(state, actor)}
          .now=${this.#clock.now}
          ?focused=${d.id === (this.cursor ?? this.focusId)}
          data-decision-id=${d.id}
        ></mc-decision-card>
      </div>`;
    });
  }

  #settled(d: DecisionView, state: DashboardState) {
    const settledAt = d.resolvedAt ?? d.expiresAt;
    return html`<li data-testid="decision-history-item" data-decision-id=${d.id} data-status=${d.status} class=${d.id === this.focusId ? 'focused' : ''} tabindex="-1">
      <span class="title">${d.title}</span>
      <span class="badge ${tone(d.risk)}">${d.risk}</span>
      <span class="badge ${tone(d.status)}">${d.status}</span>
      ${d.outcome ? html`<span>→ <strong>${d.outcome}</strong></span>` : nothing}
      <span class="muted small">${d.resolvedBy ? html`by <span data-testid="resolved-by" title=${d.resolvedBy}>${nameOf(state, d.resolvedBy)}</span> ` : nothing}${when(settledAt, this.#clock.now)}</span>
      ${d.comment ? html`<span class="small">“${d.comment}”</span>` : nothing}
      ${d.escalatedTo ? html`<a class="small" href="#/inbox/${d.escalatedTo}">escalated to ${d.escalatedTo}</a>` : nothing}
    </li>`;
  }

  /** The pending decisions' ids in the order they are shown (groups included). */
  #shownIds(): string[] {
    const { pending } = inboxOrder(this.#data.value?.decisions ?? new Map());
    return groupDecisions(pending, this.#grouping.value ?? 'none').flatMap((g) => g.decisions.map((d) => d.id));
  }

  #toggle(id: string, on: boolean): void {
    const selected = new Set(this.selected);
    if (on) selected.add(id);
    else selected.delete(id);
    this.selected = selected;
  }

  readonly #onKey = (e: KeyboardEvent): void => {
    if (e.defaultPrevented) return;
    const action = triageAction({ key: e.key, ctrlKey: e.ctrlKey, metaKey: e.metaKey, altKey: e.altKey, shiftKey: e.shiftKey, typing: typingIn(e) }, this.canAct);
    if (!action) return;
    const ids = this.#shownIds();
    const current = this.cursor !== undefined && ids.includes(this.cursor) ? this.cursor : undefined;
    if (action === 'next' || action === 'previous') {
      e.preventDefault();
      void this.#focusCard(moveFocus(ids, current, action === 'next' ? 1 : -1));
      return;
    }
    const card = current === undefined ? undefined : this.#card(current);
    const decision = current === undefined ? undefined : this.#data.value?.decisions.get(current);
    if (!card || !decision) return;
    if (action === 'comment') {
      e.preventDefault();
      card.focusComment();
      return;
    }
    const outcome = keyOutcome(decision, action, this.actor);
    if (outcome === undefined) return;
    e.preventDefault();
    void card.answer(outcome);
  };

  /** A card began answering: once it is answered, the focus moves on to the next decision on screen. */
  readonly #onAnswer = async (e: CustomEvent<{ id: string; done: Promise<boolean> }>): Promise<void> => {
    const before = this.#shownIds();
    if (!(await e.detail.done)) return;
    await this.#focusCard(focusAfterAnswer(before, e.detail.id, this.#shownIds()));
  };

  async #focusCard(id: string | undefined): Promise<void> {
    this.cursor = id;
    if (id === undefined) return;
    await this.updateComplete;
    const card = this.#card(id);
    card?.focus({ preventScroll: true });
    card?.scrollIntoView({ block: 'nearest' });
  }

  #card(id: string): McDecisionCard | null {
    return this.renderRoot.querySelector<McDecisionCard>(`mc-decision-card[data-decision-id="${CSS.escape(id)}"]`);
  }
}

/** True when the key belongs to what has the focus: a text field, a select, an editable region or an open dialog. */
function typingIn(e: KeyboardEvent): boolean {
  return e.composedPath().some((node) => {
    if (!(node instanceof HTMLElement)) return false;
    if (node.isContentEditable || node.localName === 'textarea' || node.localName === 'select' || node.localName === 'dialog') return true;
    return node.localName === 'input' && !['checkbox', 'radio', 'button', 'submit', 'reset'].includes((node as HTMLInputElement).type);
  });
}

customElements.define('mc-inbox', McInbox);
