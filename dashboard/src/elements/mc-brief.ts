import { LitElement, css, html, nothing } from 'lit';
import { StoreController } from '../controllers/store-controller.ts';
import { nameOf } from '../state/actor-names.ts';
import { type BriefWindow, BriefView, briefWindows, truncatedLabels } from '../state/brief-view.ts';
import { usd } from '../state/format.ts';
import { when } from './when.ts';
import type { Mission } from '../state/mission.ts';
import { routeHash } from '../state/route.ts';
import { shared } from './styles.ts';

/** The daily brief: what got done, failed, was decided and cost since a moment, and what waits now. */
export class McBrief extends LitElement {
  static override styles = [
    shared,
    css`
      .bar {
        display: flex;
        flex-wrap: wrap;
        gap: 0.75rem;
        align-items: center;
        margin-bottom: 0.75rem;
      }
      .sections {
        display: grid;
        grid-template-columns: repeat(auto-fill, minmax(20rem, 1fr));
        gap: 0.75rem;
        align-items: start;
      }
      section {
        background: var(--mc-surface);
        border: 1px solid var(--mc-border);
        border-radius: var(--mc-radius);
        padding: 0.6rem 0.75rem;
      }
      h2 {
        font-size: 1rem;
        margin: 0 0 0.4rem;
      }
      ul {
        margin: 0;
        padding-left: 1.1rem;
        display: grid;
        gap: 0.25rem;
      }
      .problem {
        color: var(--mc-danger);
      }
    `,
  ];
  static override properties = { mission: { attribute: false } };
  declare mission: Mission | undefined;
  readonly #view = new BriefView((since) => (this.mission ? this.mission.brief(since) : Promise.reject(new Error('not signed in'))));
  readonly #data = new StoreController(this, () => this.#view.state);
  // The names of who answered arrive with the mission's state, after the brief.
  readonly #names = new StoreController(this, () => this.mission?.state);

  override connectedCallback(): void {
    super.connectedCallback();
    void this.#view.load();
  }

  override render() {
    const state = this.#data.value;
    const brief = state?.brief;
    const now = Date.now();
    const agent = (id: string | null, name: string | null) =>
      id ? html`<a data-testid="brief-agent-link" href=${routeHash({ view: 'agents', id })}>${name ?? id}</a>` : html`<span class="muted">no agent</span>`;
    return html`<div class="bar">
        <label
          >Since
          <select data-testid="brief-since" @change=${(e: Event) => void this.#view.load((e.target as HTMLSelectElement).value as BriefWindow)}>
            ${briefWindows.map((w) => html`<option value=${w.key} ?selected=${w.key === state?.window}>${w.label}</option>`)}
          </select></label
        >
        ${state?.loading ? html`<span class="muted">Loading…</span>` : nothing}
        ${state?.error ? html`<span class="problem" role="alert" data-testid="brief-error">${state.error}</span>` : nothing}
        ${brief && brief.truncated.length > 0
          ? html`<span class="muted" data-testid="brief-truncated">Only the first 100 shown of: ${brief.truncated.map((t) => truncatedLabels[t]).join(', ')}</span>`
          : nothing}
      </div>
      ${brief
        ? html`<div class="sections" data-testid="brief">
            ${this.#section('done', `Done (${brief.done.length})`, brief.done.map((t) => html`<li>${t.title} · ${agent(t.agentId, t.agentName)}</li>`))}
            ${this.#section(
              'failed',
              `Failed (${brief.failed.length})`,
              brief.failed.map((f) => html`<li><span class="mono">${f.type}</span>${f.tool ? ` (${f.tool})` : ''} · ${agent(f.agentId, f.agentName)}: ${f.error} <span class="muted">${when(f.at, now)}</span></li>`),
            )}
            ${this.#section(
              'decided',
              `Decided (${brief.decided.length})`,
              brief.decided.map((d) => html`<li><a href=${routeHash({ view: 'inbox', id: d.id })}>${d.title}</a>: ${d.outcome} <span class="muted">${d.status === 'expired' ? 'expired' : html`by <span data-testid="brief-decided-by">${this.#names.value && d.by ? nameOf(this.#names.value, d.by) : d.person}</span>`}</span></li>`),
            )}
            ${this.#section(
              'cost',
              `Cost: ${usd(brief.cost.usd)} over ${brief.cost.runs} runs`,
              brief.cost.byAgent.map((c) => html`<li>${agent(c.agentId, c.agentName)}: ${usd(c.usd)} (${c.runs} runs)</li>`),
            )}
            ${this.#section('waiting', `Waiting (${brief.waiting.decisions.length + brief.waiting.blockedTasks.length})`, [
              ...brief.waiting.decisions.map(
                (d) => html`<li><a data-testid="brief-decision-link" href=${routeHash({ view: 'inbox', id: d.id })}>${d.title}</a> <span class="muted">${d.risk} risk, asked ${when(d.askedAt, now)}</span></li>`,
              ),
              ...brief.waiting.blockedTasks.map((t) => html`<li>Blocked: ${t.title}${t.reason ? ` (${t.reason})` : ''} ${t.agentId ? agent(t.agentId, this.#names.value?.agents.get(t.agentId)?.name ?? null) : nothing}</li>`),
            ])}
          </div>`
        : nothing}`;
  }

  #section(key: string, title: string, items: unknown[]) {
    return html`<section data-testid="brief-${key}" aria-label=${title}>
      <h2>${title}</h2>
      ${items.length > 0 ? html`<ul>${items}</ul>` : html`<p class="muted">Nothing.</p>`}
    </section>`;
  }
}

customElements.define('mc-brief', McBrief);
