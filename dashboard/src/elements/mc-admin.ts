import { LitElement, html, nothing } from 'lit';
import { StoreController } from '../controllers/store-controller.ts';
import { type AdminHub, type AdminState, AdminView, adminSection, adminSectionLabels, adminSections, deliveryState, firedCounts, receiverState, unlistedRules } from '../state/admin.ts';
import { routeHash } from '../state/route.ts';
import { adminStyles, badge, cells, table } from './mc-admin-parts.ts';
import './mc-admin-tokens.ts';
import { shared, tone } from './styles.ts';
import type { AgentView } from '../state/types.ts';
import { agentLink } from './agent-link.ts';
import { when } from './when.ts';

const deliveryTone = { ok: 'ok', failed: 'bad', pending: 'warn' } as const;

/** Administration, for admins: tokens, people, webhooks, runners and the policy rules, a section per route (`#/admin/<section>`). */
export class McAdmin extends LitElement {
  static override styles = [shared, adminStyles];
  static override properties = { hub: { attribute: false }, section: {}, canAct: { type: Boolean }, selfTokenId: {}, agents: { attribute: false } };
  declare hub: AdminHub | undefined;
  declare section: string | undefined;
  declare canAct: boolean;
  declare selfTokenId: string;
  /** The fleet as the app knows it, to name agents. */
  declare agents: ReadonlyMap<string, AgentView> | undefined;
  #view: AdminView | undefined;
  readonly #data = new StoreController(this, () => this.#view?.state);

  override willUpdate(changed: Map<string, unknown>): void {
    if (changed.has('hub') && this.hub) this.#view = new AdminView(this.hub);
    if ((changed.has('hub') || changed.has('section')) && this.#view) void this.#view.load(adminSection(this.section));
  }

  override render() {
    const s = this.#data.value;
    const section = adminSection(this.section);
    return html`<nav class="tabs row" aria-label="Administration">
        ${adminSections.map((id) => html`<a href=${routeHash({ view: 'admin', id })} data-testid="admin-tab-${id}" aria-current=${id === section ? 'page' : 'false'}>${adminSectionLabels[id]}</a>`)}
        ${s?.loading ? html`<span class="muted">Loading…</span>` : nothing}
      </nav>
      ${s?.error ? html`<p class="error" role="alert" data-testid="admin-error">${s.error}</p>` : nothing}
      <section data-testid="admin-${section}" aria-label=${adminSectionLabels[section]}>${s ? this.#body(section, s, Date.now()) : nothing}</section>`;
  }

  #body(section: string, s: AdminState, now: number) {
    const empty = (what: string) => html`<p class="empty" data-testid="${section}-empty">${what}</p>`;
    switch (section) {
      case 'tokens':
        return html`<mc-admin-tokens .admin=${this.#view} .tokens=${s.tokens} .canAct=${this.canAct} .selfTokenId=${this.selfTokenId}></mc-admin-tokens>`;
      case 'people':
        return s.people.length === 0
          ? empty("No people: they come from the hub's config file.")
          : s.people.map(
              (p) => html`<h3>${p.name}</h3>${p.contactPoints.length === 0
                  ? html`<p class="muted">No contact point: told in the dashboard only.</p>`
                  : table(['Channel', 'Address', 'Id', 'Delivery'], p.contactPoints.map((c) => html`<tr data-testid="contact-point" data-id=${c.id}>${cells([c.channel, c.address, c.id, this.#receiver(c)])}</tr>`))}`,
            );
      case 'webhooks':
        return s.webhooks.length === 0
          ? empty('No webhooks.')
          : s.webhooks.map(
              ({ webhook: w, deliveries }) => html`<div data-testid="webhook" data-webhook-id=${w.id}>
                <h3 class="mono">${w.url}</h3>
                <p>${w.description ?? ''} <span class="mono muted">${w.id}</span> · ${w.types.join(', ')} · ${this.#receiver(w)}</p>
                ${table(
                  ['Event', 'State', 'Attempts', 'Last attempt', 'Last error'],
                  deliveries.map((d) => {
                    const state = deliveryState(d);
                    return html`<tr data-testid="delivery" data-status=${state}>${cells([`${d.eventType} #${d.seq}`, badge(state, deliveryTone[state]), d.attempts, html`${when(d.lastAttemptAt, now)} ${d.lastStatus ?? ''}`, d.lastError ?? '–'])}</tr>`;
                  }),
                )}
              </div>`,
            );
      case 'runners':
        return s.runners.length === 0
          ? empty('No runner has registered.')
          : table(
              ['Runner', 'Status', 'Load', 'Labels', 'Templates', 'Last seen'],
              s.runners.map(
                (r) =>
                  html`<tr data-testid="runner" data-runner-id=${r.id}>${cells([
                    html`${r.name} <span class="mono muted">${r.id}</span>`,
                    badge(r.status, r.status === 'online' ? 'ok' : 'bad'),
                    html`<span data-testid="runner-load">${r.load} / ${r.capacity}</span>`,
                    Object.entries(r.labels).map(([k, v]) => `${k}=${v} `),
                    r.templates.join(', '),
                    when(r.lastSeenAt, now),
                  ])}</tr>`,
              ),
            );
      default:
        return this.#policies(s, now);
    }
  }

  #policies(s: AdminState, now: number) {
    const counts = firedCounts(s.fired);
    return html`<h3>Rules, first checked first</h3>
      ${table(
        ['Rule', 'Source', 'Verdict', 'Match', 'Message', 'Fired'],
        [...s.rules, ...unlistedRules(s.rules, s.fired)].map(
          (r) =>
            html`<tr data-testid="policy-rule" data-rule=${r.name}>${cells([
              r.name,
              r.source,
              badge(r.verdict, tone(r.verdict)),
              Object.entries(r.match).map(([k, v]) => html`<div class="mono">${k}: ${v}</div>`),
              r.message ?? '–',
              html`<span data-testid="policy-fired">${counts.get(r.name) ?? 0}</span>`,
            ])}</tr>`,
        ),
      )}
      <h3>Recent verdicts</h3>
      ${s.fired.length === 0
        ? html`<p class="empty" data-testid="verdicts-empty">No tool calls yet: a coding agent's hook logs each one with the rule it met.</p>`
        : html`<p class="muted">Fired: among the last ${s.fired.length} tool calls.</p>
            ${table(
              ['When', 'Agent', 'Tool', 'Rule', 'Verdict', 'Decision'],
              s.fired.map(
                (f) =>
                  html`<tr data-testid="verdict" data-rule=${f.rule}>${cells([
                    when(f.at, now),
                    f.agentId ? agentLink(this.agents, f.agentId, 'verdict-agent') : '–',
                    f.tool,
                    f.rule,
                    badge(f.verdict, tone(f.verdict)),
                    f.decisionId ? html`<a data-testid="verdict-decision-link" href=${routeHash({ view: 'inbox', id: f.decisionId })}>${f.decisionId}</a>` : '–',
                  ])}</tr>`,
              ),
            )}`}
      ${s.next !== undefined ? html`<button data-testid="verdicts-older" ?disabled=${s.loading} @click=${() => void this.#view?.older()}>Older tool calls</button>` : nothing}`;
  }

  #receiver(r: Parameters<typeof receiverState>[0]) {
    const text = receiverState(r);
    return html`<span data-testid="receiver-state">${badge(text, text === 'ok' ? 'ok' : r.pausedAt ? 'bad' : 'warn')}</span>`;
  }
}

customElements.define('mc-admin', McAdmin);
