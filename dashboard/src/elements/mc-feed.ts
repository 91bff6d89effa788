import { LitElement, html, nothing } from 'lit';
import { cssProps } from './css-props.ts';
import { StoreController } from '../controllers/store-controller.ts';
import { catalogTypes } from '../state/catalog.ts';
import { type FeedFilter, filterEvents, isFiltered, noFilter } from '../state/feed-filter.ts';
import { nameOf } from '../state/actor-names.ts';
import { emptyState } from '../state/dashboard-state.ts';
import { summarize } from '../state/feed-summary.ts';
import { atEnd, visibleRows } from '../state/feed-window.ts';
import { clockTime } from '../state/format.ts';
import type { Mission } from '../state/mission.ts';
import { routeHash } from '../state/route.ts';
import type { EventEnvelope } from '../state/types.ts';
import './mc-event-details.ts';
import type { McEventDetails } from './mc-event-details.ts';
import { feedStyles, rowHeight } from './mc-feed.styles.ts';
import { shared } from './styles.ts';

const margin = 12;

/** The live feed: every event as it comes, filtered, in a windowed list; a row opens its envelope. */
export class McFeed extends LitElement {
  static override styles = [shared, feedStyles];
  static override properties = {
    mission: { attribute: false },
    filter: { state: true },
    paused: { state: true },
    selected: { state: true },
    scrollTop: { state: true },
    viewportHeight: { state: true },
  };
  declare mission: Mission | undefined;
  declare filter: FeedFilter;
  declare paused: boolean;
  declare selected: EventEnvelope | undefined;
  declare scrollTop: number;
  declare viewportHeight: number;
  readonly #data = new StoreController(this, () => this.mission?.state);
  #memo: { events: readonly EventEnvelope[]; filter: FeedFilter; shown: readonly EventEnvelope[] } | undefined;
  #resize = new ResizeObserver(([entry]) => (this.viewportHeight = entry?.contentRect.height ?? 0));
  #scrolling = false;

  constructor() {
    super();
    this.filter = noFilter;
    this.paused = false;
    this.scrollTop = 0;
    this.viewportHeight = 600;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    // Opening the feed reads past the last event seen, for custom events no listener heard.
    void this.mission?.catchUp();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#resize.disconnect();
  }

  override firstUpdated(): void {
    const list = this.#list();
    if (list) this.#resize.observe(list);
  }

  override updated(): void {
    const list = this.#list();
    if (!list || this.paused || list.scrollTop + list.clientHeight >= list.scrollHeight) return;
    this.#scrolling = true;
    list.scrollTop = list.scrollHeight;
  }

  #shown(): readonly EventEnvelope[] {
    const events = this.#data.value?.events ?? [];
    if (this.#memo?.events !== events || this.#memo.filter !== this.filter) this.#memo = { events, filter: this.filter, shown: filterEvents(events, this.filter) };
    return this.#memo.shown;
  }

  override render() {
    const state = this.#data.value;
    const shown = this.#shown();
    // While following, the window is the end of the list (the scroll catches up after this render).
    const scrollTop = this.paused ? this.scrollTop : Math.max(0, shown.length * rowHeight - this.viewportHeight);
    const win = visibleRows({ scrollTop, viewportHeight: this.viewportHeight, rowHeight, count: shown.length, margin });
    return html`<div class="layout ${this.selected ? 'details' : ''}">
      <section aria-label="Live feed">
        <div class="filters" role="search">
          ${this.#field('type', 'Type', 'e.g. decision.', 'feed-types')} ${this.#field('agent', 'Agent', 'agent id', 'feed-agents')}
          ${this.#field('task', 'Task', 'task id', '')}
          <button data-testid="feed-pause-toggle" aria-pressed=${String(this.paused)} @click=${this.#togglePause}>${this.paused ? 'Resume scrolling' : 'Pause scrolling'}</button>
          <span class="count muted" data-testid="feed-count">${shown.length}${isFiltered(this.filter) ? ` of ${state?.events.length ?? 0}` : ''} events</span>
        </div>
        <datalist id="feed-types">${catalogTypes.map((t) => html`<option value=${t}></option>`)}</datalist>
        <datalist id="feed-agents">${[...(state?.agents.keys() ?? [])].map((id) => html`<option value=${id}></option>`)}</datalist>
        <div class="list" data-testid="feed-list" role="list" aria-label="Events, oldest first" @scroll=${this.#onScroll} @keydown=${this.#onKey}>
          ${shown.length === 0
            ? html`<p class="empty" data-testid="feed-empty">${!state?.loaded ? 'Loading events…' : isFiltered(this.filter) ? 'No events match these filters.' : 'No events yet. They appear here as they happen.'}</p>`
            : html`<div ${cssProps({ height: `${win.before}px` })}></div>
                ${shown.slice(win.start, win.end).map((event) => this.#row(event))}
                <div ${cssProps({ height: `${win.after}px` })}></div>`}
        </div>
      </section>
      ${this.selected
        ? html`<mc-event-details data-testid="event-details" .event=${this.selected} @close=${this.#closeDetails}></mc-event-details>`
        : nothing}
    </div>`;
  }

  #field(key: keyof FeedFilter, label: string, placeholder: string, list: string) {
    return html`<label>
      <span class="visually-hidden">${label}</span>
      <input
        data-testid="feed-filter-${key}"
        placeholder="${label}: ${placeholder}"
        list=${list || nothing}
        .value=${this.filter[key]}
        @input=${(e: InputEvent) => (this.filter = { ...this.filter, [key]: (e.target as HTMLInputElement).value })}
      />
    </label>`;
  }

  #row(event: EventEnvelope) {
    const selected = this.selected?.seq === event.seq;
    // A focusable row, not a button: it holds the link to the event's agent, and a button may hold no link.
    return html`<div
      class="row ${selected ? 'selected' : ''}"
      role="listitem"
      tabindex="0"
      data-testid="feed-row"
      data-seq=${event.seq}
      aria-label="Event ${event.seq}, ${event.type}"
      @click=${(e: MouseEvent) => {
        if (!(e.target as HTMLElement).closest('a')) this.#open(event);
      }}
    >
      <span class="muted mono">#${event.seq}</span><span class="time muted">${clockTime(event.recordedAt)}</span><span class="type mono">${event.type}</span
      >${event.agentId
        ? html`<a class="agent mono" data-testid="feed-agent-link" title=${event.agentId} href=${routeHash({ view: 'agents', id: event.agentId })}>${this.#data.value?.agents.get(event.agentId)?.name ?? event.agentId}</a>`
        : html`<span class="agent"></span>`}<span>${summarize(event, (actor) => nameOf(this.#data.value ?? emptyState, actor))}</span>
    </div>`;
  }

  #open(event: EventEnvelope): void {
    this.selected = event;
    void this.updateComplete.then(() => this.renderRoot.querySelector<McEventDetails>('mc-event-details')?.focus());
  }

  #closeDetails(): void {
    const seq = this.selected?.seq;
    this.selected = undefined;
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>(`[data-seq="${seq}"]`)?.focus());
  }

  #togglePause(): void {
    this.paused = !this.paused;
  }

  #onScroll(): void {
    const list = this.#list();
    if (!list) return;
    this.scrollTop = list.scrollTop;
    // Scrolling up by hand pauses the follow; the toggle resumes it.
    if (!this.#scrolling && !this.paused && !atEnd(list.scrollTop, list.clientHeight, list.scrollHeight, rowHeight)) this.paused = true;
    this.#scrolling = false;
  }

  /** Arrow keys move between rows; Escape closes the details. */
  #onKey(event: KeyboardEvent): void {
    const row = (event.target as HTMLElement).closest<HTMLElement>('.row');
    if (event.key === 'Escape' && this.selected) this.#closeDetails();
    if (row && event.target === row && (event.key === 'Enter' || event.key === ' ')) {
      event.preventDefault();
      this.#open(this.#shown().find((e) => e.seq === Number(row.dataset.seq))!);
      return;
    }
    if (!row || (event.key !== 'ArrowDown' && event.key !== 'ArrowUp')) return;
    event.preventDefault();
    const next = event.key === 'ArrowDown' ? row.nextElementSibling : row.previousElementSibling;
    if (next instanceof HTMLElement && next.classList.contains('row')) next.focus();
  }

  #list(): HTMLElement | null {
    return this.renderRoot.querySelector<HTMLElement>('.list');
  }
}

customElements.define('mc-feed', McFeed);
