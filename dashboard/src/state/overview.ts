import type { DashboardState } from './dashboard-state.ts';
import type { Timers } from './live-connection.ts';
import { problemText } from './problem.ts';
import { Store } from './store.ts';
import type { EventEnvelope, Overview } from './types.ts';

/** What the overview shows: the hub's last answer to `GET /overview`, and why the last read failed. */
export interface OverviewState {
  overview: Overview | undefined;
  error: string | undefined;
}

// Events that change a card (decisions, agents' status, spend, heals): a read soon after. The rest
// (output lines, custom events, coding agents' tools) only move the activity counts: a read later.
const cardPrefixes = ['agent.', 'decision.', 'run.completed', 'budget.', 'heal.', 'hub.'];

/** True when an event changes more of the overview than its activity counts. */
export function changesCards(event: EventEnvelope): boolean {
  return event.type !== 'agent.output' && cardPrefixes.some((prefix) => event.type.startsWith(prefix));
}

export interface OverviewFeedOptions {
  /** `GET /overview` of the project shown. */
  read(): Promise<Overview>;
  timers?: Timers;
  now?(): number;
  /** The least time between two reads when an event changed a card. */
  soonMs?: number;
  /** The least time between two reads when events only moved the activity counts. */
  laterMs?: number;
}

/**
 * Keeps the overview current from the live stream, never by polling: it reads `GET /overview`
 * when the view opens or the project changes, then after events, throttled (at most one read per
 * `soonMs` after an event that changes a card, per `laterMs` after the others; one read at a time).
 */
export class OverviewFeed {
  readonly state = new Store<OverviewState>({ overview: undefined, error: undefined });
  readonly #read: () => Promise<Overview>;
  readonly #timers: Timers;
  readonly #now: () => number;
  readonly #soonMs: number;
  readonly #laterMs: number;
  #lastRead = Number.NEGATIVE_INFINITY;
  #timer: unknown;
  #dueAt = Number.POSITIVE_INFINITY;
  #reading = false;
  /** The least gap asked for while a read was in flight (infinite: none). */
  #gapAfterRead = Number.POSITIVE_INFINITY;
  #stopped = false;

  constructor(options: OverviewFeedOptions) {
    this.#read = options.read;
    this.#timers = options.timers ?? { setTimeout: (run, ms) => setTimeout(run, ms), clearTimeout: (handle) => clearTimeout(handle as number) };
    this.#now = options.now ?? (() => Date.now());
    this.#soonMs = options.soonMs ?? 2000;
    this.#laterMs = options.laterMs ?? 10_000;
  }

  /**
   * Follows the dashboard's state: a read at once (and whenever another project is shown), then
   * one after the new events it receives. Returns the function that stops following.
   */
  follow(dashboard: Store<DashboardState>): () => void {
    let seen = dashboard.value;
    this.#stopped = false;
    if (seen.loaded) this.refresh();
    const unsubscribe = dashboard.subscribe((next) => {
      const before = seen;
      seen = next;
      if (!next.loaded) return;
      if (!before.loaded || next.project !== before.project) return this.refresh();
      if (next.lastSeq > before.lastSeq) this.eventsArrived(newEvents(next.events, before.lastSeq));
    });
    return () => {
      unsubscribe();
      this.stop();
    };
  }

  /** Reads now (or right after the read in flight). */
  refresh(): void {
    this.#schedule(0);
  }

  /** Schedules a read for these events, no sooner than the throttle allows. */
  eventsArrived(events: readonly EventEnvelope[]): void {
    if (events.length === 0) return;
    this.#schedule(events.some(changesCards) ? this.#soonMs : this.#laterMs);
  }

  stop(): void {
    this.#stopped = true;
    this.#timers.clearTimeout(this.#timer);
    this.#dueAt = Number.POSITIVE_INFINITY;
  }

  /** A read `gap` ms after the last one began (or at once, when that is past), unless one is due sooner. */
  #schedule(gap: number): void {
    if (this.#reading) {
      this.#gapAfterRead = Math.min(this.#gapAfterRead, gap);
      return;
    }
    const when = Math.max(this.#lastRead + gap, this.#now());
    if (when >= this.#dueAt) return;
    this.#timers.clearTimeout(this.#timer);
    this.#dueAt = when;
    this.#timer = this.#timers.setTimeout(() => void this.#readNow(), when - this.#now());
  }

  async #readNow(): Promise<void> {
    this.#dueAt = Number.POSITIVE_INFINITY;
    this.#reading = true;
    this.#lastRead = this.#now();
    try {
      const overview = await this.#read();
      if (!this.#stopped) this.state.set({ overview, error: undefined });
    } catch (error) {
      if (!this.#stopped) this.state.update((s) => ({ ...s, error: problemText(error) }));
    } finally {
      this.#reading = false;
      // What came during the read: one more, throttled like any other.
      const gap = this.#gapAfterRead;
      this.#gapAfterRead = Number.POSITIVE_INFINITY;
      if (Number.isFinite(gap) && !this.#stopped) this.#schedule(gap);
    }
  }
}

/** The events after `after` among the newest ones (`events` is in `seq` order). */
function newEvents(events: readonly EventEnvelope[], after: number): EventEnvelope[] {
  let i = events.length;
  while (i > 0 && events[i - 1]!.seq > after) i--;
  return events.slice(i);
}
