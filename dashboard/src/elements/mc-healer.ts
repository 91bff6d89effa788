import { LitElement, css, html, nothing } from 'lit';
import { ClockController } from '../controllers/clock-controller.ts';
import { StoreController } from '../controllers/store-controller.ts';
import { failureIdOf, failureLabel } from '../state/failure-lookup.ts';
import { agentLink } from './agent-link.ts';
import { when } from './when.ts';
import { problemText } from '../state/problem.ts';
import type { Mission } from '../state/mission.ts';
import { routeHash } from '../state/route.ts';
import { eventSeverity } from '../state/severity.ts';
import type { EventEnvelope } from '../state/types.ts';
import './mc-event-details.ts';
import type { McEventDetails } from './mc-event-details.ts';
import { mark, shared, tone } from './styles.ts';

/** What the healer did: completed and escalated heals, newest first, each linked to the failure it answered. */
export class McHealer extends LitElement {
  static override styles = [
    shared,
    css`
      .layout {
        display: grid;
        gap: 0.75rem;
        align-items: start;
      }
      .layout.details {
        grid-template-columns: minmax(0, 3fr) minmax(16rem, 2fr);
      }
      ol {
        list-style: none;
        margin: 0;
        padding: 0;
        display: grid;
        gap: 0.5rem;
      }
      li {
        background: var(--mc-surface);
        border: 1px solid var(--mc-border);
        border-radius: var(--mc-radius);
        padding: 0.6rem 0.75rem;
        display: grid;
        gap: 0.3rem;
      }
      .head {
        display: flex;
        flex-wrap: wrap;
        gap: 0.5rem;
        align-items: baseline;
      }
      .links {
        display: flex;
        flex-wrap: wrap;
        gap: 0.5rem;
        align-items: center;
      }
      mc-event-details {
        position: sticky;
        top: 0;
        max-height: 80vh;
      }
      @media (max-width: 900px) {
        .layout.details {
          grid-template-columns: 1fr;
        }
      }
    `,
  ];
  static override properties = { mission: { attribute: false }, failure: { state: true }, errors: { state: true }, loading: { state: true } };
  declare mission: Mission | undefined;
  declare failure: { heal: EventEnvelope; event: EventEnvelope } | undefined;
  declare errors: Readonly<Record<string, string>>;
  declare loading: string | undefined;
  readonly #data = new StoreController(this, () => this.mission?.state);
  readonly #clock = new ClockController(this);

  constructor() {
    super();
    this.errors = {};
  }

  override render() {
    const state = this.#data.value;
    const heals = [...(state?.heals ?? [])].reverse();
    return html`<h2>Healer</h2>
      <div class="layout ${this.failure ? 'details' : ''}">
        ${heals.length === 0
          ? html`<p class="empty" data-testid="healer-empty">${state?.loaded ? 'No heals yet. When the healer fixes or escalates a failure, it shows here.' : 'Loading heals…'}</p>`
          : html`<ol data-testid="healer-list">
              ${heals.map((heal) => this.#item(heal))}
            </ol>`}
        ${this.failure
          ? html`<mc-event-details
              data-testid="failure-details"
              .event=${this.failure.event}
              .heading=${`Failure #${this.failure.event.seq} ${this.failure.event.type}`}
              @close=${this.#close}
            ></mc-event-details>`
          : nothing}
      </div>`;
  }

  #item(heal: EventEnvelope) {
    const d = heal.data as Record<string, unknown>;
    const completed = heal.type === 'heal.completed';
    const decisionId = typeof d.decisionId === 'string' ? d.decisionId : undefined;
    return html`<li data-testid="heal-item" data-type=${heal.type} data-seq=${heal.seq}>
      <div class="head">
        <span class="badge ${tone(heal.type)}">${mark(eventSeverity(heal))}${completed ? 'completed' : 'escalated'}</span>
        <strong>${String(d.playbook ?? 'no playbook')}</strong>
        ${completed ? html`<span>${String(d.action)} · attempt ${String(d.attempts)}</span>` : nothing}
        ${heal.agentId ? agentLink(this.#data.value?.agents, heal.agentId, 'heal-agent-link') : nothing}
        <span class="muted">${when(heal.recordedAt, this.#clock.now)}</span>
      </div>
      ${!completed && d.reason ? html`<div>${String(d.reason)}</div>` : nothing}
      <div class="links">
        <button data-testid="heal-failure-link" ?disabled=${this.loading === heal.id} @click=${() => this.#showFailure(heal)}>
          ${failureLabel(heal, this.#data.value?.events ?? [], this.#data.value?.agents.get(heal.agentId ?? '')?.name)}
        </button>
        ${decisionId ? html`<a data-testid="heal-decision-link" href=${routeHash({ view: 'inbox', id: decisionId })}>${this.#data.value?.decisions.get(decisionId)?.title ?? `decision ${decisionId}`}</a>` : nothing}
      </div>
      ${this.errors[heal.id] ? html`<p class="error" role="alert" data-testid="heal-failure-error">${this.errors[heal.id]}</p>` : nothing}
    </li>`;
  }

  async #showFailure(heal: EventEnvelope): Promise<void> {
    this.loading = heal.id;
    this.errors = { ...this.errors, [heal.id]: '' };
    try {
      const event = await this.mission!.failureOf(heal);
      if (!event) this.errors = { ...this.errors, [heal.id]: `The failure event ${failureIdOf(heal) ?? ''} is not in the log any more (or never was).` };
      else {
        this.failure = { heal, event };
        await this.updateComplete;
        this.renderRoot.querySelector<McEventDetails>('mc-event-details')?.focus();
      }
    } catch (error) {
      this.errors = { ...this.errors, [heal.id]: problemText(error) };
    } finally {
      this.loading = undefined;
    }
  }

  #close(): void {
    const seq = this.failure?.heal.seq;
    this.failure = undefined;
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>(`[data-seq="${seq}"] button`)?.focus());
  }
}

customElements.define('mc-healer', McHealer);
