import { LitElement, html, nothing, svg } from 'lit';
import { ClockController } from '../controllers/clock-controller.ts';
import { OverviewController } from '../controllers/overview-controller.ts';
import { spendRatio, usd } from '../state/format.ts';
import { when } from './when.ts';
import type { Mission } from '../state/mission.ts';
import { routeHash } from '../state/route.ts';
import { eventSeverity, stateSeverity } from '../state/severity.ts';
import { chartSize, spendChart } from '../state/spend-chart.ts';
import type { Overview, OverviewAgent, OverviewFailure, OverviewHeal } from '../state/types.ts';
import { cssProps } from './css-props.ts';
import { overviewStyles } from './mc-overview.styles.ts';
import { mark, shared, tone } from './styles.ts';

const inbox = routeHash({ view: 'inbox' });
const agentsView = routeHash({ view: 'agents' });
const count = (n: number) => n.toLocaleString('en-US');
const plural = (n: number, one: string, many = `${one}s`) => `${count(n)} ${n === 1 ? one : many}`;

/** The landing view: what needs the operator, and whether the fleet is healthy, at a glance. */
export class McOverview extends LitElement {
  static override styles = [shared, overviewStyles];
  static override properties = { mission: { attribute: false } };
  declare mission: Mission | undefined;
  readonly #overview = new OverviewController(this, () => this.mission);
  readonly #clock = new ClockController(this);

  override render() {
    const state = this.#overview.value;
    const overview = state?.overview;
    return html`<div class="top">
        <h2>Overview</h2>
        ${overview ? html`<span class="muted" data-testid="overview-time">as of ${when(overview.generatedAt, this.#clock.now)}${overview.project ? html` · project ${overview.project}` : nothing}</span>` : nothing}
        ${state?.error
          ? html`<p class="error" role="alert" data-testid="overview-error">
              Could not read the overview: ${state.error} <button @click=${() => this.#overview.refresh()}>Retry</button>
            </p>`
          : nothing}
      </div>
      ${overview
        ? html`<div class="cards" data-testid="overview">
            ${this.#needs(overview)} ${this.#spend(overview)} ${this.#activity(overview)} ${this.#fleet(overview)} ${this.#recent(overview)}
          </div>`
        : html`<p class="empty" data-testid="overview-loading">${state?.error ? 'No overview yet.' : 'Loading the overview…'}</p>`}`;
  }

  #needs({ decisions }: Overview) {
    const { byRisk, pending, oldestPendingAt } = decisions;
    return html`<section class="needs" aria-labelledby="needs-h" data-testid="overview-needs">
      <h3 id="needs-h">Needs you</h3>
      <div class="figure ${byRisk.red > 0 ? 'bad' : ''}" data-testid="overview-pending">${count(pending)} <small>${pending === 1 ? 'decision waits' : 'decisions wait'}</small></div>
      <ul class="risks" aria-label="Pending decisions by risk">
        ${(['red', 'high', 'medium', 'low'] as const).map(
          (risk) => html`<li><span class="badge ${byRisk[risk] > 0 ? tone(risk) : 'zero'}" data-testid="overview-risk-${risk}" data-count=${byRisk[risk]}>${risk} ${count(byRisk[risk])}</span></li>`,
        )}
      </ul>
      <p class="line muted" data-testid="overview-oldest">${oldestPendingAt ? html`oldest asked ${when(oldestPendingAt, this.#clock.now)}` : 'Nothing waits for an answer.'}</p>
      <p class="line"><a href=${inbox} data-testid="overview-inbox-link">Open the inbox</a></p>
    </section>`;
  }

  #fleet({ agents }: Overview) {
    const stats: Array<[label: string, value: number, level: string, testid: string]> = [
      ['Running', agents.running, '', 'running'],
      ['Waiting', agents.waiting, agents.waiting > 0 ? tone('awaiting_decision') : '', 'waiting'],
      ['Paused', agents.paused, agents.paused > 0 ? tone('paused') : '', 'paused'],
      ['Stale', agents.stale, agents.stale > 0 ? tone('stale') : '', 'stale'],
      ['Lost', agents.lost, agents.lost > 0 ? tone('lost') : '', 'lost'],
      ['Failed, 1 h', agents.failedLastHour, agents.failedLastHour > 0 ? tone('failed') : '', 'failed'],
      ['All agents', agents.total, '', 'total'],
    ];
    const needing = agents.failedLastHour + agents.waiting + agents.lost + agents.stale;
    return html`<section class="fleet" aria-labelledby="fleet-h" data-testid="overview-fleet">
      <h3 id="fleet-h">Fleet</h3>
      <dl class="stats">
        ${stats.map(([label, value, level, testid]) => html`<div class=${level}><dt>${label}</dt><dd data-testid="overview-agents-${testid}">${count(value)}</dd></div>`)}
      </dl>
      <h4 id="attention-h">Needs a look</h4>
      ${agents.attention.length === 0
        ? html`<p class="line muted" data-testid="overview-attention-empty">No agent failed in the last hour, waits or went silent.</p>`
        : html`<ul class="items" aria-labelledby="attention-h">
            ${agents.attention.map((agent) => this.#attention(agent))}
          </ul>`}
      ${needing > agents.attention.length ? html`<p class="more"><a href=${agentsView}>${plural(needing - agents.attention.length, 'more agent')} on the Agents view</a></p>` : nothing}
    </section>`;
  }

  #attention(agent: OverviewAgent) {
    return html`<li data-testid="overview-attention" data-agent-id=${agent.id}>
      <span class="what">
        <a href=${routeHash({ view: 'agents', id: agent.id })} data-testid="overview-agent-link">${agent.name}</a>
        <span class="badge ${tone(agent.status)}">${mark(stateSeverity(agent.status))}${agent.status.replace('_', ' ')}</span>
        ${agent.decisionId ? html`<a href=${routeHash({ view: 'inbox', id: agent.decisionId })}>answer</a>` : nothing}
      </span>
      <span class="when">${agent.since ? when(agent.since, this.#clock.now) : ''}</span>
      <span class="why" title=${agent.reason}>${agent.reason}</span>
    </li>`;
  }

  #spend({ spend, project }: Overview) {
    if (!spend) {
      return html`<section class="spend" aria-labelledby="spend-h" data-testid="overview-spend">
        <h3 id="spend-h">Spend today</h3>
        <p class="line muted">The daily budget spans every project; a token of one project does not see it.</p>
      </section>`;
    }
    const ratio = spendRatio(spend.todayUsd, spend.dailyLimitUsd);
    const level = ratio >= 1 ? 'bad' : ratio >= 0.8 ? 'warn' : '';
    const chart = spendChart(spend.lastDays, spend.dailyLimitUsd);
    const base = chartSize.height - chartSize.labels;
    return html`<section class="spend" aria-labelledby="spend-h" data-testid="overview-spend">
      <h3 id="spend-h">Spend today${project ? html` <span class="muted">· whole hub</span>` : nothing}</h3>
      <div class="figure" data-testid="overview-spend-today">${usd(spend.todayUsd)} <small>of ${usd(spend.dailyLimitUsd)} a day</small></div>
      <div class="bar" role="meter" aria-label="Today's spend against the daily limit" aria-valuemin="0" aria-valuemax=${spend.dailyLimitUsd} aria-valuenow=${spend.todayUsd} aria-valuetext="${usd(spend.todayUsd)} of ${usd(spend.dailyLimitUsd)}">
        <div class="fill ${level}" ${cssProps({ '--spent': `${Math.round(ratio * 100)}%` })}></div>
      </div>
      <svg viewBox="0 0 ${chartSize.width} ${chartSize.height}" role="img" aria-label=${chart.summary} data-testid="overview-spend-chart">
        <line class="axis" x1="0" x2=${chartSize.width} y1=${base + 0.5} y2=${base + 0.5}></line>
        ${chart.bars.map(
          (bar, i) => svg`<rect class="day ${i === chart.bars.length - 1 ? 'today' : ''} ${bar.over ? 'over' : ''}" x=${bar.x} y=${bar.y} width=${bar.width} height=${bar.height} rx="2"><title>${bar.day}: ${usd(bar.usd)}</title></rect>
            <text x=${bar.x + bar.width / 2} y=${chartSize.height - 3} text-anchor="middle">${bar.label}</text>`,
        )}
        ${chart.limitY !== undefined
          ? svg`<line class="limit" x1="0" x2=${chartSize.width} y1=${chart.limitY} y2=${chart.limitY}></line>
              <text class="limit-label" x=${chartSize.width} y=${chart.limitY - 3} text-anchor="end">limit ${usd(spend.dailyLimitUsd)}</text>`
          : nothing}
      </svg>
    </section>`;
  }

  #activity({ events }: Overview) {
    return html`<section class="activity" aria-labelledby="activity-h" data-testid="overview-activity">
      <h3 id="activity-h">Activity</h3>
      <div class="figure" data-testid="overview-events-minute">${count(events.lastMinute)} <small>events in the last minute</small></div>
      <p class="line" data-testid="overview-events-hour"><strong>${count(events.lastHour)}</strong> <span class="muted">in the last hour</span></p>
      <p class="line"><a href=${routeHash({ view: 'feed' })}>Open the live feed</a></p>
    </section>`;
  }

  #recent({ recent }: Overview) {
    return html`<section class="recent" aria-labelledby="recent-h" data-testid="overview-recent">
      <h3 id="recent-h">Recent failures and heals</h3>
      <h4 id="failures-h">Failures</h4>
      ${recent.failures.length === 0
        ? html`<p class="line muted">No agent has failed.</p>`
        : html`<ol class="items" aria-labelledby="failures-h">
            ${recent.failures.map((failure) => this.#failure(failure))}
          </ol>`}
      <h4 id="heals-h">Heals</h4>
      ${recent.heals.length === 0
        ? html`<p class="line muted">The healer has done nothing yet.</p>`
        : html`<ol class="items" aria-labelledby="heals-h">
            ${recent.heals.map((heal) => this.#heal(heal))}
          </ol>`}
    </section>`;
  }

  #failure(failure: OverviewFailure) {
    return html`<li data-testid="overview-failure" data-seq=${failure.seq} class="failure">
      <span class="what">${mark('failure')}${failure.agentId ? html`<a href=${routeHash({ view: 'agents', id: failure.agentId })}>${failure.agentName ?? failure.agentId}</a>` : 'an agent'}</span>
      <span class="when">${when(failure.recordedAt, this.#clock.now)}</span>
      <span class="why" title=${failure.error}>${failure.error}</span>
    </li>`;
  }

  #heal(heal: OverviewHeal) {
    const completed = heal.type === 'heal.completed';
    const what = completed ? `${heal.action ?? 'fixed'}${heal.playbook ? ` by ${heal.playbook}` : ''}` : (heal.reason ?? 'escalated');
    return html`<li data-testid="overview-heal" data-seq=${heal.seq}>
      <span class="what">
        <span class="badge ${tone(heal.type)}">${mark(eventSeverity({ type: heal.type }))}${completed ? 'completed' : 'escalated'}</span>
        <a href=${routeHash({ view: 'healer' })}>${heal.agentName ?? heal.agentId ?? 'a failure'}</a>
        ${heal.decisionId ? html`<a href=${routeHash({ view: 'inbox', id: heal.decisionId })}>decision</a>` : nothing}
      </span>
      <span class="when">${when(heal.recordedAt, this.#clock.now)}</span>
      <span class="why" title=${what}>${what}</span>
    </li>`;
  }
}

customElements.define('mc-overview', McOverview);
