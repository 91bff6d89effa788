import { LitElement, css, html, nothing } from 'lit';
import { timeLeft } from '../state/format.ts';
import { problemText } from '../state/problem.ts';
import { answerOptions, approvalProgress, approvedBy } from '../state/inbox.ts';
import type { Mission } from '../state/mission.ts';
import type { AllowScope, DecisionView } from '../state/types.ts';
import { shared, tone } from './styles.ts';

/** One pending decision: risk, context (as text), time left, approvals; approve or deny with a comment. */
export class McDecisionCard extends LitElement {
  static override styles = [
    shared,
    css`
      article {
        background: var(--mc-surface);
        border: 1px solid var(--mc-border);
        border-radius: var(--mc-radius);
        padding: 0.75rem;
        display: grid;
        gap: 0.5rem;
      }
      :host([focused]) article {
        border-color: var(--mc-accent);
        box-shadow: 0 0 0 1px var(--mc-accent);
      }
      .head {
        display: flex;
        flex-wrap: wrap;
        gap: 0.5rem;
        align-items: baseline;
      }
      h3 {
        margin: 0 auto 0 0;
        font-size: 1rem;
        overflow-wrap: anywhere;
      }
      .context {
        white-space: pre-wrap;
        overflow-wrap: anywhere;
        margin: 0;
        max-height: 14rem;
        overflow: auto;
        background: var(--mc-bg);
        border-radius: var(--mc-radius);
        padding: 0.5rem;
        font-size: 0.9rem;
      }
      .meta {
        font-size: 0.8rem;
      }
      .answer {
        display: flex;
        flex-wrap: wrap;
        gap: 0.4rem;
      }
      .answer input {
        flex: 1 1 14rem;
      }
      .always {
        display: inline-flex;
        gap: 0.4rem;
      }
    `,
  ];
  static override properties = {
    mission: { attribute: false },
    decision: { attribute: false },
    canAct: { type: Boolean },
    actor: {},
    nameOf: { attribute: false },
    now: { type: Number },
    focused: { type: Boolean, reflect: true },
    busy: { state: true },
    error: { state: true },
  };
  declare mission: Mission | undefined;
  declare decision: DecisionView;
  declare canAct: boolean;
  declare actor: string;
  /** What a person reads for an actor id (the asker, the approvers). */
  declare nameOf: (actor: string) => string;
  declare now: number;
  declare focused: boolean;
  declare busy: boolean;
  declare error: string | undefined;

  constructor() {
    super();
    this.canAct = false;
    this.actor = '';
    this.nameOf = (actor) => actor;
    this.now = Date.now();
    this.focused = false;
    this.busy = false;
  }

  /** Focuses the card itself (links to one decision land here). */
  override focus(options?: FocusOptions): void {
    this.renderRoot.querySelector<HTMLElement>('article')?.focus(options);
  }

  override render() {
    const d = this.decision;
    const progress = approvalProgress(d);
    const mine = approvedBy(d, this.actor);
    return html`<article data-testid="decision-card" data-decision-id=${d.id} data-status=${d.status} tabindex="-1" aria-labelledby="title">
      <div class="head">
        <h3 id="title">${d.title}</h3>
        <span class="badge ${tone(d.risk)}" data-testid="decision-risk">${d.risk}</span>
        <span class="badge" data-testid="decision-time-left" title=${d.expiresAt}>${timeLeft(d.expiresAt, this.now)}</span>
      </div>
      <div class="meta muted">
        asked by <span data-testid="decision-asker" title=${d.requestedBy ?? ''}>${d.requestedBy ? this.nameOf(d.requestedBy) : (d.agentId ?? 'unknown')}</span>${d.taskId ? html` · task <span class="mono">${d.taskId}</span>` : nothing} · on timeout:
        ${d.onTimeout}
      </div>
      ${d.context ? html`<p class="context" data-testid="decision-context">${d.context}</p>` : nothing}
      ${progress
        ? html`<div data-testid="decision-approvals">
            <strong>${progress}</strong>${d.approvals.length > 0 ? html` <span class="muted">(${d.approvals.map((a) => this.nameOf(a.by)).join(', ')})</span>` : nothing}
          </div>`
        : nothing}
      ${this.canAct ? this.#answer(mine) : nothing}
      ${this.error ? html`<p class="error" role="alert" data-testid="decision-error">${this.error}</p>` : nothing}
    </article>`;
  }

  #answer(mine: boolean) {
    const button = (o: string) => {
      if (o === 'approve') {
        return html`<button class="primary" type="button" data-testid="decision-approve" ?disabled=${this.busy || mine} title=${mine ? 'You approved already; a second operator must approve too' : ''} @click=${() => this.#resolve('approve')}>
          Approve
        </button>`;
      }
      if (o === 'deny') return html`<button class="danger" type="button" data-testid="decision-deny" ?disabled=${this.busy} @click=${() => this.#resolve('deny')}>Deny</button>`;
      return html`<button type="button" data-testid="decision-option" data-outcome=${o} ?disabled=${this.busy} @click=${() => this.#resolve(o)}>${o}</button>`;
    };
    return html`<form class="answer" @submit=${(e: Event) => e.preventDefault()}>
      <label class="visually-hidden" for="comment">Comment</label>
      <input id="comment" data-testid="decision-comment" placeholder="Comment (optional)" maxlength="2000" ?disabled=${this.busy} />
      ${answerOptions(this.decision).map(button)}
      ${this.decision.tool ? this.#allowFromNow(mine) : nothing}
    </form>`;
  }

  /** For a coding agent's tool call: approve, and allow the same call from now on for whom the operator picks. */
  #allowFromNow(mine: boolean) {
    return html`<span class="always">
      <label class="visually-hidden" for="scope">Allow from now on for</label>
      <select id="scope" data-testid="decision-allow-scope" ?disabled=${this.busy || mine}>
        <option value="agent">this agent</option>
        <option value="project">its project</option>
        <option value="everyone">everyone</option>
      </select>
      <button type="button" data-testid="decision-approve-always" ?disabled=${this.busy || mine} title="Approve, and allow the same ${this.decision.tool} call from now on without asking"
        @click=${() => this.#resolve('approve', this.renderRoot.querySelector<HTMLSelectElement>('#scope')?.value as AllowScope)}>
        Approve, and from now on
      </button>
    </span>`;
  }

  async #resolve(outcome: string, allowFromNow?: AllowScope): Promise<void> {
    const comment = this.renderRoot.querySelector<HTMLInputElement>('#comment')?.value.trim();
    this.busy = true;
    this.error = undefined;
    try {
      await this.mission!.resolve(this.decision.id, outcome, comment || undefined, allowFromNow);
    } catch (error) {
      this.error = problemText(error);
    } finally {
      this.busy = false;
    }
  }
}

customElements.define('mc-decision-card', McDecisionCard);
