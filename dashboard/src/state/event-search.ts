import type { PageQuery, ReadPage } from '../../../server/client/pagination.ts';
import { type FeedFilter, eventMatcher, noFilter } from './feed-filter.ts';
import { problemText } from './problem.ts';
import { Store } from './store.ts';
import type { EventEnvelope } from './types.ts';

/** Search results per page, and older events per page of scroll-back. */
export const searchPageSize = 100;
export const olderPageSize = 200;
/** The most older events kept: the window renders a few dozen of them, memory holds this many. */
export const maxOlderEvents = 20_000;

// A type, or its start, as the hub's `types=` takes it; anything else stays a client-side match.
const typeText = /^[A-Za-z0-9_.:-]+\*?$/;

/**
 * The feed's filter split for a read of the log: what the hub can select (`types` as a prefix,
 * `agent`, `task`), and what is left to match in the browser on the page it answers.
 */
export function serverSelection(filter: FeedFilter): { query: Pick<PageQuery, 'types' | 'agent' | 'task'>; local: FeedFilter } {
  const type = filter.type.trim();
  const agent = filter.agent.trim();
  const task = filter.task.trim();
  const typeMaps = type === '' || typeText.test(type);
  return {
    query: {
      ...(type !== '' && typeMaps ? { types: type.endsWith('*') ? type : `${type}*` } : {}),
      ...(agent ? { agent } : {}),
      ...(task ? { task } : {}),
    },
    local: { ...noFilter, type: typeMaps ? '' : type },
  };
}

/** A newest-first walk down the log: the events read so far (newest first), and where the next page starts. */
export interface LogWalk {
  events: readonly EventEnvelope[];
  /** The `before` of the next page; undefined when the walk reached the start of the log. */
  next: number | undefined;
  loading: boolean;
  /** The hub's problem detail for the last read that failed. */
  error: string | undefined;
}

export interface SearchState extends LogWalk {
  /** The words searched; empty when the feed is live. */
  q: string;
  filter: FeedFilter;
}

const idle: SearchState = { q: '', filter: noFilter, events: [], next: undefined, loading: false, error: undefined };

/** The end of a page: the next cursor, or undefined at the start of the log. */
function nextOf(page: { events: readonly unknown[]; next: number }): number | undefined {
  return page.events.length === 0 || page.next <= 1 ? undefined : page.next;
}

/** Full-text search over the whole log on the hub, newest first, a page at a time; one search at a time (a later one wins). */
export class EventSearch {
  readonly state = new Store<SearchState>(idle);
  readonly #read: ReadPage;
  #generation = 0;

  constructor(read: ReadPage) {
    this.#read = read;
  }

  /** Starts a search for `q` under `filter` (an empty `q` clears it). */
  run(q: string, filter: FeedFilter): Promise<void> {
    const words = q.trim();
    if (words === '') return Promise.resolve(this.clear());
    this.state.set({ ...idle, q: words, filter, loading: true });
    return this.#page(undefined);
  }

  /** The next page of results, older than the last shown. */
  more(): Promise<void> {
    const { q, next, loading } = this.state.value;
    if (q === '' || next === undefined || loading) return Promise.resolve();
    this.state.update((s) => ({ ...s, loading: true, error: undefined }));
    return this.#page(next);
  }

  clear(): void {
    this.#generation += 1;
    this.state.set(idle);
  }

  async #page(before: number | undefined): Promise<void> {
    const generation = ++this.#generation;
    const { q, filter } = this.state.value;
    const { query, local } = serverSelection(filter);
    try {
      const page = await this.#read({ ...query, q, order: 'desc', limit: searchPageSize, ...(before !== undefined ? { before } : {}) });
      if (generation !== this.#generation) return;
      const found = page.events.filter(eventMatcher(local));
      this.state.update((s) => ({ ...s, events: [...s.events, ...found], next: nextOf(page), loading: false }));
    } catch (error) {
      if (generation === this.#generation) this.state.update((s) => ({ ...s, loading: false, error: problemText(error) }));
    }
  }
}

/** The live feed's scroll-back: pages of events older than the oldest held in memory, oldest first. */
export class OlderEvents {
  readonly state = new Store<LogWalk>({ events: [], next: undefined, loading: false, error: undefined });
  readonly #read: ReadPage;
  #started = false;

  constructor(read: ReadPage) {
    this.#read = read;
  }

  /** True until a page reached the start of the log. */
  get more(): boolean {
    return !this.#started || this.state.value.next !== undefined;
  }

  /** Reads one page below `oldest` (the oldest `seq` shown) and puts it before the rest; one read at a time. */
  async load(oldest: number): Promise<void> {
    const s = this.state.value;
    if (s.loading || oldest <= 1 || s.events.length >= maxOlderEvents) return;
    const before = Math.min(oldest, s.events[0]?.seq ?? oldest);
    this.state.set({ ...s, loading: true, error: undefined });
    try {
      const page = await this.#read({ order: 'desc', before, limit: olderPageSize });
      this.#started = true;
      const older = [...page.events].filter((e) => e.seq < before).reverse();
      this.state.update((v) => ({ events: [...older, ...v.events], next: nextOf(page), loading: false, error: undefined }));
    } catch (error) {
      this.state.update((v) => ({ ...v, loading: false, error: problemText(error) }));
    }
  }

  /** Forgets the older events (another project was chosen). */
  reset(): void {
    this.#started = false;
    this.state.set({ events: [], next: undefined, loading: false, error: undefined });
  }
}

/** The live feed's list: the older events read back, then the ones in memory, without overlap. */
export function withOlder(older: readonly EventEnvelope[], live: readonly EventEnvelope[]): readonly EventEnvelope[] {
  if (older.length === 0) return live;
  const first = live[0]?.seq ?? Infinity;
  return [...older.filter((e) => e.seq < first), ...live];
}
