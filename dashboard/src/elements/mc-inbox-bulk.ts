import { LitElement, css, html, nothing } from 'lit';
import { ActionController } from '../controllers/action-controller.ts';
import { type BulkResult, answerEach, selectableOfRisk, selectedPending } from '../state/inbox-triage.ts';
import type { Mission } from '../state/mission.ts';
import type { DecisionView, Risk } from '../state/types.ts';
import type { McConfirmDialog } from './mc-confirm-dialog.ts';
import './mc-confirm-dialog.ts';
import { shared } from './styles.ts';

type BulkOutcome = 'approve' | 'deny';

/**
 * Bulk answers for low-stakes decisions: pick by risk, then approve or deny the selected ones
 * after a confirmation naming them, one request each. The inbox owns the selection; this element
 * asks it to change with `selection-change` (`detail.selected`, a Set of ids).
 */
export class McInboxBulk extends LitElement {
  static override styles = [
    shared,
    css`
      .bar {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: 0.4rem 0.6rem;
        padding: 0.5rem 0.75rem;
        border: 1px dashed var(--mc-border);
        border-radius: var(--mc-radius);
        font-size: 0.9rem;
      }
      .note {
        flex-basis: 100%;
        font-size: 0.8rem;
      }
      ul {
        margin: 0;
        padding-left: 1.2rem;
        max-height: 14rem;
        overflow: auto;
      }
      .failed {
        margin: 0.3rem 0 0;
      }
    `,
  ];
  static override properties = { mission: { attribute: false }, pending: { attribute: false }, selected: { attribute: false }, asking: { state: true }, result: { state: true } };
  declare mission: Mission | undefined;
  declare pending: readonly DecisionView[];
  declare selected: ReadonlySet<string>;
  /** What the open confirmation would answer: frozen when it opens, so it answers exactly what it named. */
  declare asking: { outcome: BulkOutcome; decisions: DecisionView[] } | undefined;
  declare result: (BulkResult & { outcome: BulkOutcome }) | undefined;
  readonly #action = new ActionController(this);

  constructor() {
    super();
    this.pending = [];
    this.selected = new Set();
  }

  override render() {
    const chosen = selectedPending(this.selected, this.pending);
    const busy = this.#action.busy;
    const risks = (['high', 'medium', 'low'] as Risk[]).map((risk) => ({ risk, ids: selectableOfRisk(this.pending, risk) })).filter((r) => r.ids.length > 0);
    return html`<div class="bar" role="group" aria-label="Bulk answers" data-testid="bulk-bar">
        <span data-testid="bulk-count">${chosen.length} selected</span>
        ${risks.map(
          ({ risk, ids }) => html`<button type="button" data-testid="bulk-select-risk" data-risk=${risk} @click=${() => this.#select(new Set([...this.selected, ...ids]))}>Select all ${risk} (${ids.length})</button>`,
        )}
        ${chosen.length > 0 ? html`<button type="button" data-testid="bulk-clear" @click=${() => this.#select(new Set())}>Clear</button>` : nothing}
        <button class="primary" type="button" data-testid="bulk-approve" ?disabled=${busy || chosen.length === 0} @click=${() => void this.#ask('approve', chosen)}>Approve selected</button>
        <button class="danger" type="button" data-testid="bulk-deny" ?disabled=${busy || chosen.length === 0} @click=${() => void this.#ask('deny', chosen)}>Deny selected</button>
        <span class="note muted">Red decisions need two different operators, each on their own, and a healer's escalation takes its own answers: neither can be answered in bulk.</span>
        ${this.#report()}
      </div>
      <mc-confirm-dialog
        testid="bulk-dialog"
        .tone=${this.asking?.outcome === 'approve' ? 'primary' : 'danger'}
        .heading=${this.asking ? `${this.#verb(this.asking.outcome)} ${this.#count(this.asking.decisions.length)}?` : ''}
        .confirmLabel=${this.asking ? `${this.#verb(this.asking.outcome)} ${this.asking.decisions.length}` : ''}
        @confirm=${() => void this.#answer()}
      >
        <ul data-testid="bulk-dialog-list">
          ${this.asking?.decisions.map((d) => html`<li data-decision-id=${d.id}>${d.title} <span class="muted">(${d.risk})</span></li>`)}
        </ul>
      </mc-confirm-dialog>`;
  }

  #report() {
    if (this.#action.error) return html`<p class="error note" role="alert" data-testid="bulk-error">${this.#action.error}</p>`;
    const result = this.result;
    if (!result) return nothing;
    const total = result.answered.length + result.failed.length;
    return html`<div class="note" role="status" data-testid="bulk-result">
      ${this.#verb(result.outcome, true)} ${result.answered.length} of ${this.#count(total)}.
      ${result.failed.length > 0
        ? html`<ul class="failed">
            ${result.failed.map((f) => html`<li class="error" data-testid="bulk-failure" data-decision-id=${f.id}>${this.#title(f.id)}: ${f.problem}</li>`)}
          </ul>`
        : nothing}
    </div>`;
  }

  async #ask(outcome: BulkOutcome, decisions: DecisionView[]): Promise<void> {
    this.asking = { outcome, decisions };
    await this.updateComplete;
    this.renderRoot.querySelector<McConfirmDialog>('mc-confirm-dialog')?.open();
  }

  async #answer(): Promise<void> {
    const asking = this.asking;
    if (!asking || !this.mission) return;
    const mission = this.mission;
    this.result = undefined;
    await this.#action.run(async () => {
      const result = await answerEach(
        asking.decisions.map((d) => d.id),
        (id) => mission.resolve(id, asking.outcome),
      );
      this.result = { ...result, outcome: asking.outcome };
      const answered = new Set(result.answered);
      this.#select(new Set([...this.selected].filter((id) => !answered.has(id))));
    });
  }

  #select(selected: Set<string>): void {
    this.dispatchEvent(new CustomEvent('selection-change', { detail: { selected } }));
  }

  #title(id: string): string {
    return this.asking?.decisions.find((d) => d.id === id)?.title ?? id;
  }

  #verb(outcome: BulkOutcome, past = false): string {
    if (outcome === 'approve') return past ? 'Approved' : 'Approve';
    return past ? 'Denied' : 'Deny';
  }

  #count(n: number): string {
    return n === 1 ? '1 decision' : `${n} decisions`;
  }
}

customElements.define('mc-inbox-bulk', McInboxBulk);
