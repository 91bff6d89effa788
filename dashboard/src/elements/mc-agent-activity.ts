import { LitElement, html, nothing } from 'lit';
import { type AgentActivity, type DecisionLine, type MergeState, decisionOrder, emptyActivity, runTotals } from '../state/agent-activity.ts';
import { nameOf } from '../state/actor-names.ts';
import { type DashboardState, emptyState } from '../state/dashboard-state.ts';
import { usd } from '../state/format.ts';
import { when } from './when.ts';
import { routeHash } from '../state/route.ts';
import { stateSeverity } from '../state/severity.ts';
import { agentPageStyles } from './mc-agent-page.styles.ts';
import { mark, shared, tone } from './styles.ts';

const shown = 20;
const count = (n: number) => n.toLocaleString('en');
const plural = (n: number, one: string) => `${count(n)} ${one}${n === 1 ? '' : 's'}`;

/** What an agent asked and did, from its events: decisions, model runs, tool calls, commits and its merge. */
export class McAgentActivity extends LitElement {
  static override styles = [shared, agentPageStyles];
  static override properties = { activity: { attribute: false }, dashboard: { attribute: false }, now: { type: Number } };
  declare activity: AgentActivity;
  declare dashboard: DashboardState;
  declare now: number;

  constructor() {
    super();
    this.activity = emptyActivity;
    this.dashboard = emptyState;
    this.now = Date.now();
  }

  override render() {
    const a = this.activity;
    const workspace = a.finished !== undefined || a.commits.length > 0 || a.merge !== undefined;
    return html`<div class="sections">
      ${this.#decisions()} ${this.#runs()} ${a.tools.length > 0 ? this.#tools() : nothing} ${workspace ? this.#workspace() : nothing}
    </div>`;
  }

  #name(actor: string | undefined): string {
    return actor ? nameOf(this.dashboard, actor) : 'someone';
  }

  #decisions() {
    // The inbox's view of a decision is newer than its events when it has one.
    const lines = decisionOrder(this.activity.decisions).map((d): DecisionLine => {
      const view = this.dashboard.decisions.get(d.id);
      return view ? { ...d, status: view.status, outcome: view.outcome ?? d.outcome, by: view.resolvedBy ?? d.by } : d;
    });
    return html`<section class="card" aria-labelledby="decisions-title" data-testid="agent-decisions">
      <h3 id="decisions-title">Decisions</h3>
      ${lines.length === 0
        ? html`<p class="muted small">None asked.</p>`
        : html`<ul class="rows">
            ${lines.slice(0, shown).map(
              (d) => html`<li data-testid="agent-decision" data-decision-id=${d.id} data-status=${d.status}>
                <a href=${routeHash({ view: 'inbox', id: d.id })}>${d.title}</a>
                <span class="meta">
                  ${d.risk ? html`<span class="badge ${tone(d.risk)}">${d.risk}</span>` : nothing}
                  <span class="badge ${tone(d.status)}">${d.status}</span>
                  ${d.outcome ? html`<span class=${tone(d.outcome)}>${mark(stateSeverity(d.outcome))}${d.outcome}${d.by ? ` by ${this.#name(d.by)}` : ''}</span>` : nothing}
                  <span class="muted">${when(d.at, this.now)}</span>
                </span>
              </li>`,
            )}
          </ul>`}
    </section>`;
  }

  #runs() {
    const runs = this.activity.runs;
    const total = runTotals(runs);
    return html`<section class="card" aria-labelledby="runs-title" data-testid="agent-runs">
      <h3 id="runs-title">Runs</h3>
      ${runs.length === 0
        ? html`<p class="muted small">No model runs reported.</p>`
        : html`<p class="small" data-testid="agent-run-totals">
              ${count(total.runs)} completed · ${count(total.tokensIn)} tokens in · ${count(total.tokensOut)} out · ${usd(total.costUsd)}
            </p>
            <div class="scroll">
              <table>
                <thead><tr><th>Model</th><th class="num">In</th><th class="num">Out</th><th class="num">Cost</th><th>When</th></tr></thead>
                <tbody>
                  ${runs.slice(0, shown).map(
                    (r) => html`<tr data-testid="agent-run">
                      <td class="mono model">${r.model ?? '—'}</td>
                      <td class="num">${r.tokensIn === undefined ? '…' : count(r.tokensIn)}</td>
                      <td class="num">${r.tokensOut === undefined ? '…' : count(r.tokensOut)}</td>
                      <td class="num">${r.costUsd === undefined ? html`<span class="muted">running${r.estimatedCostUsd !== undefined ? `, ~${usd(r.estimatedCostUsd)}` : ''}</span>` : usd(r.costUsd)}</td>
                      <td class="muted">${when(r.at, this.now)}</td>
                    </tr>`,
                  )}
                </tbody>
              </table>
            </div>`}
    </section>`;
  }

  #tools() {
    return html`<section class="card" aria-labelledby="tools-title" data-testid="agent-tools">
      <h3 id="tools-title">Tool calls</h3>
      <ul class="rows">
        ${this.activity.tools.slice(0, shown).map(
          (t) => html`<li data-testid="agent-tool">
            <span><strong>${t.tool}</strong> <span class="mono call" title=${t.call}>${t.call}</span></span>
            <span class="meta">
              ${t.verdict ? html`<span class="badge ${tone(t.verdict)}">${mark(stateSeverity(t.verdict))}${t.verdict}</span>` : nothing}
              <span class="badge ${tone(t.status)}">${mark(stateSeverity(t.status))}${t.status}</span>
              <span class="muted">${when(t.at, this.now)}</span>
            </span>
            ${t.error ? html`<span class="error small">${t.error.slice(0, 300)}</span>` : nothing}
          </li>`,
        )}
      </ul>
    </section>`;
  }

  #workspace() {
    const { finished, commits, merge } = this.activity;
    return html`<section class="card wide" aria-labelledby="workspace-title" data-testid="agent-workspace">
      <h3 id="workspace-title">Commits and merge</h3>
      ${finished
        ? html`<p class="small" data-testid="agent-workspace-finished">
            <span class="mono">${finished.branch}</span> at <span class="mono">${finished.head.slice(0, 10)}</span>: ${plural(finished.commits, 'commit')} past
            <span class="mono">${finished.base}</span>, ${plural(finished.files, 'file')}, <span class="plus">+${count(finished.added)}</span> <span class="minus">−${count(finished.removed)}</span>
          </p>`
        : html`<p class="muted small">The branch is not finished yet (its agent has not ended).</p>`}
      ${merge ? this.#merge(merge) : nothing}
      ${commits.length > 0
        ? html`<ul class="rows">
            ${commits.slice(0, shown).map(
              (c) => html`<li data-testid="agent-commit">
                <span><span class="mono muted">${c.sha.slice(0, 10)}</span> ${c.message}</span>
                <span class="meta">
                  <span class="muted">${c.author}</span>
                  <span>${plural(c.files, 'file')} <span class="plus">+${count(c.added)}</span> <span class="minus">−${count(c.removed)}</span></span>
                </span>
              </li>`,
            )}
          </ul>`
        : nothing}
      ${finished && finished.diff
        ? html`<details>
            <summary>The diff${finished.truncated ? ' (cut at 32,000 characters)' : ''}</summary>
            <pre class="diff">${finished.diff}</pre>
          </details>`
        : nothing}
    </section>`;
  }

  #merge(merge: MergeState) {
    const decision = merge.decisionId ? html` (<a href=${routeHash({ view: 'inbox', id: merge.decisionId })}>decision</a>)` : nothing;
    const words = {
      requested: html`Merge into ${merge.base ?? 'the base'} asked by ${this.#name(merge.by)}, waiting for its decision${decision}`,
      approved: html`Merge approved${decision}; its runner is applying it`,
      merged: html`Merged into ${merge.base ?? 'the base'} (${merge.mode ?? ''}), new head <span class="mono">${merge.sha?.slice(0, 10) ?? ''}</span>`,
      failed: html`Merge failed: ${merge.reason ?? ''}${merge.conflicts.length > 0 ? html` (conflicts: <span class="mono">${merge.conflicts.join(', ')}</span>)` : nothing}`,
      denied: html`Merge not approved${decision}`,
    }[merge.status];
    // Asked or approved, it still waits: a warning until it lands or fails.
    const severity = merge.status === 'requested' || merge.status === 'approved' ? 'warning' : stateSeverity(merge.status);
    return html`<p class="small merge ${tone(severity)}" data-testid="agent-merge-state" data-status=${merge.status}>${mark(severity)}${words}</p>`;
  }
}

customElements.define('mc-agent-activity', McAgentActivity);
