import { LitElement, html, nothing } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import { cssProps } from './css-props.ts';
import { ClockController } from '../controllers/clock-controller.ts';
import { StoreController } from '../controllers/store-controller.ts';
import { catalogTypes } from '../state/catalog.ts';
import { type FeedFilter, filterEvents, isFiltered, noFilter } from '../state/feed-filter.ts';
import { nameOf } from '../state/actor-names.ts';
import { emptyState } from '../state/dashboard-state.ts';
import { EventSearch, OlderEvents, withOlder } from '../state/event-search.ts';
import { summarize } from '../state/feed-summary.ts';
import { atEnd, visibleRows } from '../state/feed-window.ts';
import type { Mission } from '../state/mission.ts';
import { routeHash } from '../state/route.ts';
import type { EventEnvelope } from '../state/types.ts';
import './mc-event-details.ts';
import type { McEventDetails } from './mc-event-details.ts';
import { feedStyles, rowHeight } from './mc-feed.styles.ts';
import { eventSeverity, severityLabels } from '../state/severity.ts';
import { mark, shared } from './styles.ts';
import { when } from './when.ts';

const margin = 12;
/** Typing waits this long for a pause before it searches. */
const searchDelayMs = 400;

/**
 * The live feed: every event as it comes, filtered, in a windowed list; a row opens its envelope.
 * It scrolls back past the events in memory, and a search reads the whole log on the hub instead.
 */
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
  /** Re-renders every 5 s so the rows' times age; each render reads the time afresh (new rows are never "in 3 s"). */
  readonly ticker = new ClockController(this, 5000);
  #memo: { live: readonly EventEnvelope[]; older: readonly EventEnvelope[]; filter: FeedFilter; shown: readonly EventEnvelope[] } | undefined;
  #resize = new ResizeObserver(([entry]) => (this.viewportHeight = entry?.contentRect.height ?? 0));
  #scrolling = false;
  readonly #readEvents = (query: Parameters<Mission['readEvents']>[0]) => (this.mission ? this.mission.readEvents(query) : Promise.reject(new Error('not signed in')));
  readonly #search = new EventSearch(this.#readEvents);
  readonly #older = new OlderEvents(this.#readEvents);
  readonly #searchData = new StoreController(this, () => this.#search.state);
  readonly #olderData = new StoreController(this, () => this.#older.state);
  #olderProject: string | undefined;
  /** The first row shown before older rows were put above it: the scroll keeps it in place. */
  #anchor: number | undefined;
  #typing: ReturnType<typeof setTimeout> | undefined;

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
    clearTimeout(this.#typing);
  }

  override firstUpdated(): void {
    const list = this.#list();
    if (list) this.#resize.observe(list);
  }

  override updated(): void {
    const list = this.#list();
    if (list && this.#anchor !== undefined && !this.#olderData.value?.loading) {
      const moved = this.#shown().findIndex((e) => e.seq === this.#anchor);
      this.#anchor = undefined;
      if (moved > 0) {
        this.#scrolling = true;
        list.scrollTop += moved * rowHeight;
      }
    }
    if (!list || this.paused || this.#searching() || list.scrollTop + list.clientHeight >= list.scrollHeight) return;
    this.#scrolling = true;
    list.scrollTop = list.scrollHeight;
  }

  #searching(): boolean {
    return (this.#searchData.value?.q ?? '') !== '';
  }

  #shown(): readonly EventEnvelope[] {
    if (this.#searching()) return this.#searchData.value?.events ?? [];
    if (this.#data.value?.project !== this.#olderProject) {
      this.#olderProject = this.#data.value?.project;
      this.#older.reset();
    }
    const live = this.#data.value?.events ?? [];
    const older = this.#olderData.value?.events ?? [];
    if (this.#memo?.live !== live || this.#memo.older !== older || this.#memo.filter !== this.filter) {
      this.#memo = { live, older, filter: this.filter, shown: filterEvents(withOlder(older, live), this.filter) };
    }
    return this.#memo.shown;
  }

  override render() {
    const state = this.#data.value;
    const shown = this.#shown();
    // While following, the window is the end of the list (the scroll catches up after this render).
    const searching = this.#searching();
    const search = this.#searchData.value;
    const older = this.#olderData.value;
    const scrollTop = this.paused || searching ? this.scrollTop : Math.max(0, shown.length * rowHeight - this.viewportHeight);
    const win = visibleRows({ scrollTop, viewportHeight: this.viewportHeight, rowHeight, count: shown.length, margin });
    return html`<div class="layout ${this.selected ? 'details' : ''}">
      <section aria-label="Live feed">
        <div class="filters" role="search">
          ${this.#field('type', 'Type', 'e.g. decision.', 'feed-types')} ${this.#field('agent', 'Agent', 'agent id', 'feed-agents')}
          ${this.#field('task', 'Task', 'task id', '')}
          <button data-testid="feed-pause-toggle" aria-pressed=${String(this.paused)} @click=${this.#togglePause}>${this.paused ? 'Resume scrolling' : 'Pause scrolling'}</button>
          <span class="count muted" data-testid="feed-count"
            >${searching
              ? `${shown.length}${search?.next !== undefined ? '+' : ''} found`
              : `${shown.length}${isFiltered(this.filter) ? ` of ${(state?.events.length ?? 0) + (older?.events.length ?? 0)}` : ''} events`}</span
          >
        </div>
        <form class="search" role="search" @submit=${this.#onSearchSubmit}>
          <label
            ><span class="visually-hidden">Search the whole log</span
            ><input type="search" data-testid="feed-search" placeholder="Search the whole log" @input=${this.#onSearchInput}
          /></label>
          <button type="submit" data-testid="feed-search-submit">Search</button>
          ${searching ? html`<button type="button" data-testid="feed-search-clear" @click=${this.#clearSearch}>Back to the live feed</button>` : nothing}
          ${searching
            ? nothing
            : html`<button type="button" data-testid="feed-load-older" ?disabled=${older?.loading || !this.#older.more} @click=${() => this.#loadOlder()}>
                ${older?.loading ? 'Loading older events…' : this.#older.more ? 'Load older events' : 'Start of the log'}
              </button>`}
          ${search?.error || older?.error
            ? html`<span class="problem" role="alert" data-testid="feed-search-error">${searching ? search?.error : older?.error}</span>`
            : nothing}
        </form>
        <datalist id="feed-types">${catalogTypes.map((t) => html`<option value=${t}></option>`)}</datalist>
        <datalist id="feed-agents">${[...(state?.agents.keys() ?? [])].map((id) => html`<option value=${id}></option>`)}</datalist>
        <div class="list" data-testid="feed-list" role="list" aria-label=${searching ? 'Search results, newest first' : 'Events, oldest first'} @scroll=${this.#onScroll} @keydown=${this.#onKey}>
          ${shown.length === 0
            ? html`<p class="empty" data-testid="feed-empty">${searching
                ? search?.loading
                  ? 'Searching the log…'
                  : search?.error
                    ? 'The search failed.'
                    : 'Nothing in the log answers this search.'
                : !state?.loaded ? 'Loading events…' : isFiltered(this.filter) ? 'No events match these filters.' : 'No events yet. They appear here as they happen.'}</p>`
            : html`<div ${cssProps({ height: `${win.before}px` })}></div>
                ${repeat(shown.slice(win.start, win.end), (event) => event.seq, (event) => this.#row(event))}
                <div ${cssProps({ height: `${win.after}px` })}></div>`}
        </div>
        ${searching && search?.next !== undefined
          ? html`<button class="more" data-testid="feed-search-more" ?disabled=${search.loading} @click=${() => void this.#search.more()}>
              ${search.loading ? 'Loading…' : 'Load older results'}
            </button>`
          : nothing}
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
    const severity = eventSeverity(event);
    // A focusable row, not a button: it holds the link to the event's agent, and a button may hold no link.
    return html`<div
      class="row ${severity} ${selected ? 'selected' : ''}"
      role="listitem"
      tabindex="0"
      data-testid="feed-row"
      data-seq=${event.seq}
      aria-label="Event ${event.seq}, ${event.type}${severity === 'info' ? '' : `, ${severityLabels[severity]}`}"
      @click=${(e: MouseEvent) => {
        if (!(e.target as HTMLElement).closest('a')) this.#open(event);
      }}
    >
      <span class="muted mono">#${event.seq}</span><span class="time muted">${when(event.recordedAt, Date.now())}</span><span class="type mono">${mark(severity)}${event.type}</span
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
    // At the oldest end, the live feed reads further back in the log.
    if (!this.#searching() && list.scrollTop < rowHeight && list.scrollHeight > list.clientHeight) this.#loadOlder();
    if (!this.#scrolling && !this.paused && !this.#searching() && !atEnd(list.scrollTop, list.clientHeight, list.scrollHeight, rowHeight)) this.paused = true;
    this.#scrolling = false;
  }

  #loadOlder(): void {
    const oldest = this.#shown()[0]?.seq ?? this.#data.value?.events[0]?.seq;
    if (oldest === undefined || oldest <= 1 || this.#olderData.value?.loading || !this.#older.more) return;
    this.paused = true;
    this.#anchor = this.#shown()[0]?.seq;
    void this.#older.load(Math.min(oldest, this.#data.value?.events[0]?.seq ?? oldest));
  }

  #onSearchInput(event: InputEvent): void {
    const q = (event.target as HTMLInputElement).value;
    clearTimeout(this.#typing);
    this.#typing = setTimeout(() => this.#runSearch(q), searchDelayMs);
  }

  #onSearchSubmit(event: SubmitEvent): void {
    event.preventDefault();
    clearTimeout(this.#typing);
    this.#runSearch(this.renderRoot.querySelector<HTMLInputElement>('[data-testid="feed-search"]')?.value ?? '');
  }

  #runSearch(q: string): void {
    if (q.trim() === this.#searchData.value?.q && !this.#searchData.value?.error) return;
    this.scrollTop = 0;
    this.#list()?.scrollTo({ top: 0 });
    void this.#search.run(q, this.filter);
  }

  #clearSearch(): void {
    clearTimeout(this.#typing);
    const input = this.renderRoot.querySelector<HTMLInputElement>('[data-testid="feed-search"]');
    if (input) input.value = '';
    this.#search.clear();
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
