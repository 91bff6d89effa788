import { LitElement, css, html, nothing } from 'lit';
import { ActionController } from '../controllers/action-controller.ts';
import { absoluteTime, timeLeft } from '../state/format.ts';
import { answerOptions, approvalProgress, approvedBy } from '../state/inbox.ts';
import type { Mission } from '../state/mission.ts';
import { routeHash } from '../state/route.ts';
import type { AllowScope, DecisionView } from '../state/types.ts';
import './mc-inbox-context.ts';
import { shared, tone } from './styles.ts';
import { when } from './when.ts';

/**
 * One pending decision: risk, time left, who asks about what (project, agent, task, tool), the
 * context in full, approvals; approve or deny with a comment. Each answer dispatches
 * `decision-answer` with its promise (the inbox moves its focus on once the hub took it).
 */
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
      article:focus-visible {
        outline: 2px solid var(--mc-focus);
        outline-offset: 2px;
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
  };
  declare mission: Mission | undefined;
  declare decision: DecisionView;
  declare canAct: boolean;
  declare actor: string;
  /** What a person reads for an actor id (the asker, the approvers). */
  declare nameOf: (actor: string) => string;
  declare now: number;
  declare focused: boolean;
  readonly #action = new ActionController(this);

  constructor() {
    super();
    this.canAct = false;
    this.actor = '';
    this.nameOf = (actor) => actor;
    this.now = Date.now();
    this.focused = false;
  }

  /** Focuses the card itself (links to one decision land here). */
  override focus(options?: FocusOptions): void {
    this.renderRoot.querySelector<HTMLElement>('article')?.focus(options);
  }

  /** Puts the cursor in the comment field (the `c` key). */
  focusComment(): void {
    this.renderRoot.querySelector<HTMLInputElement>('#comment')?.focus();
  }

  /** Answers with `outcome` and the comment typed, as the buttons do; true when the hub took it. */
  answer(outcome: string, allowFromNow?: AllowScope): Promise<boolean> {
    return this.#resolve(outcome, allowFromNow);
  }

  override render() {
    const d = this.decision;
    const progress = approvalProgress(d);
    const mine = approvedBy(d, this.actor);
    return html`<article data-testid="decision-card" data-decision-id=${d.id} data-status=${d.status} tabindex="-1" aria-labelledby="title">
      <div class="head">
        <h3 id="title">${d.title}</h3>
        <span class="badge ${tone(d.risk)}" data-testid="decision-risk">${d.risk}</span>
        <span class="badge" data-testid="decision-time-left" title=${`deadline ${absoluteTime(d.expiresAt)}`}>${timeLeft(d.expiresAt, this.now)}</span>
      </div>
      <div class="meta muted" data-testid="decision-meta">
        asked by <span data-testid="decision-asker" title=${d.requestedBy ?? ''}>${d.requestedBy ? this.nameOf(d.requestedBy) : 'unknown'}</span> · project
        <span data-testid="decision-project">${d.projectId}</span>${d.agentId
          ? html` · agent <a data-testid="decision-agent" href=${routeHash({ view: 'agents', id: d.agentId })}>${this.nameOf(`agent:${d.agentId}`)}</a>`
          : nothing}${d.taskId ? html` · task <a class="mono" data-testid="decision-task" href=${routeHash({ view: 'tasks', id: d.taskId })}>${d.taskId}</a>` : nothing}${d.tool
          ? html` · tool <span class="mono" data-testid="decision-tool">${d.tool}</span>`
          : nothing}
        · on timeout: ${d.onTimeout}
      </div>
      ${d.context ? html`<mc-decision-context .context=${d.context}></mc-decision-context>` : nothing}
      ${progress ? this.#approvals(progress, mine) : nothing}
      ${this.canAct ? this.#answer(mine) : nothing}
      ${this.#action.error ? html`<p class="error" role="alert" data-testid="decision-error">${this.#action.error}</p>` : nothing}
    </article>`;
  }

  /** A red decision's approvals so far: the first one with who gave it and when, and who must still answer. */
  #approvals(progress: string, mine: boolean) {
    const first = this.decision.approvals[0];
    return html`<div data-testid="decision-approvals">
      <strong>${progress}</strong>
      ${first
        ? html`<span class="muted">
            · first approved by <strong data-testid="decision-first-approval" title=${first.by}>${this.nameOf(first.by)}</strong> ${when(first.at, this.now)};
            ${mine ? 'you approved; another operator must approve too' : 'it needs a second approval, from another operator'}</span
          >`
        : html`<span class="muted">· needs two different operators</span>`}
    </div>`;
  }

  #answer(mine: boolean) {
    const busy = this.#action.busy;
    const button = (o: string) => {
      if (o === 'approve') {
        return html`<button class="primary" type="button" data-testid="decision-approve" ?disabled=${busy || mine} title=${mine ? 'You approved already; a second operator must approve too' : ''} @click=${() => this.#resolve('approve')}>
          Approve
        </button>`;
      }
      if (o === 'deny') return html`<button class="danger" type="button" data-testid="decision-deny" ?disabled=${busy} @click=${() => this.#resolve('deny')}>Deny</button>`;
      return html`<button type="button" data-testid="decision-option" data-outcome=${o} ?disabled=${busy} @click=${() => this.#resolve(o)}>${o}</button>`;
    };
    return html`<form class="answer" @submit=${(e: Event) => e.preventDefault()}>
      <label class="visually-hidden" for="comment">Comment</label>
      <input id="comment" data-testid="decision-comment" placeholder="Comment (optional)" maxlength="2000" ?disabled=${busy} @keydown=${this.#leaveComment} />
      ${answerOptions(this.decision).map(button)}
      ${this.decision.tool ? this.#allowFromNow(mine) : nothing}
    </form>`;
  }

  /** Escape in the comment field goes back to the card, the comment kept, so the keys answer again. */
  readonly #leaveComment = (e: KeyboardEvent): void => {
    if (e.key !== 'Escape') return;
    e.preventDefault();
    this.focus();
  };

  /** For a coding agent's tool call: approve, and allow the same call from now on for whom the operator picks. */
  #allowFromNow(mine: boolean) {
    const busy = this.#action.busy;
    return html`<span class="always">
      <label class="visually-hidden" for="scope">Allow from now on for</label>
      <select id="scope" data-testid="decision-allow-scope" ?disabled=${busy || mine}>
        <option value="agent">this agent</option>
        <option value="project">its project</option>
        <option value="everyone">everyone</option>
      </select>
      <button type="button" data-testid="decision-approve-always" ?disabled=${busy || mine} title="Approve, and allow the same ${this.decision.tool} call from now on without asking"
        @click=${() => this.#resolve('approve', this.renderRoot.querySelector<HTMLSelectElement>('#scope')?.value as AllowScope)}>
        Approve, and from now on
      </button>
    </span>`;
  }

  #resolve(outcome: string, allowFromNow?: AllowScope): Promise<boolean> {
    if (this.#action.busy) return Promise.resolve(false);
    const comment = this.renderRoot.querySelector<HTMLInputElement>('#comment')?.value.trim();
    const id = this.decision.id;
    const done = this.#action.run(() => this.mission!.resolve(id, outcome, comment || undefined, allowFromNow));
    this.dispatchEvent(new CustomEvent('decision-answer', { detail: { id, done }, bubbles: true, composed: true }));
    return done;
  }
}

customElements.define('mc-decision-card', McDecisionCard);
