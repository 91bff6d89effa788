import { catalogTypes, commonCustomTypes } from './catalog.ts';
import { Store } from './store.ts';
import type { EventEnvelope } from './types.ts';

export type ConnectionState = 'connecting' | 'connected' | 'reconnecting' | 'offline';

/** The part of the browser's `EventSource` the connection uses (a fake one in tests). */
export interface EventSourceLike {
  readonly readyState: number;
  onopen: ((event: never) => void) | null;
  onerror: ((event: never) => void) | null;
  onmessage: ((message: never) => void) | null;
  addEventListener(type: string, listener: (message: { data: string }) => void): void;
  close(): void;
}

export interface Timers {
  setTimeout(run: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface LiveConnectionOptions {
  /** The stream's URL, resuming after `after` (`/events?access_token=...&after=N`). */
  url(after: number): string;
  open(url: string): EventSourceLike;
  /**
   * The events after `after` (and before `before` when given), read as JSON pages: the custom
   * types no listener heard.
   */
  readAfter(after: number, before?: number): Promise<EventEnvelope[]>;
  /** Hands on events in `seq` order, each once. */
  deliver(events: EventEnvelope[]): void;
  timers?: Timers;
  /** Events arriving within this window are handed on together (one render for a burst). */
  batchMs?: number;
  /** Failed attempts in a row before the state says `offline` rather than `reconnecting`. */
  offlineAfter?: number;
  maxBackoffMs?: number;
}

const closed = 2;

/**
 * The app's one live stream. It listens to every catalog type by name (an EventSource hands named
 * frames only to listeners of that name) and to the custom names it has seen; when an event's
 * `seq` skips ahead, the events in between (custom types it had no listener for) are read as a
 * page first, and their names are listened to from then on (`catchUp` does the same on demand). The browser reconnects by itself
 * with `Last-Event-ID`; when it gives up (an HTTP error), this opens a new stream after the last
 * `seq` seen, with growing waits.
 */
export class LiveConnection {
  readonly state = new Store<ConnectionState>('connecting');
  readonly #options: Required<Pick<LiveConnectionOptions, 'batchMs' | 'offlineAfter' | 'maxBackoffMs' | 'timers'>> & LiveConnectionOptions;
  readonly #listening = new Set<string>();
  #source: EventSourceLike | undefined;
  #seen = 0;
  #delivered = 0;
  #pending: EventEnvelope[] = [];
  #batchTimer: unknown;
  #retryTimer: unknown;
  #failures = 0;
  #chain: Promise<void> = Promise.resolve();
  #stopped = false;
  #sparse = false;

  constructor(options: LiveConnectionOptions) {
    const timers = options.timers ?? { setTimeout: (run, ms) => setTimeout(run, ms), clearTimeout: (handle) => clearTimeout(handle as number) };
    this.#options = { batchMs: 50, offlineAfter: 3, maxBackoffMs: 30_000, ...options, timers };
    for (const type of [...catalogTypes, ...commonCustomTypes]) this.#listening.add(type);
  }

  /**
   * Opens the stream after `after`, the last `seq` the caller already has. A `sparse` stream
   * (one project's events) skips `seq`s by design: a jump is not a gap to read.
   */
  start(after: number, options: { sparse?: boolean } = {}): void {
    this.#seen = after;
    this.#delivered = after;
    this.#stopped = false;
    this.#sparse = options.sparse ?? false;
    this.#open();
  }

  stop(): void {
    this.#stopped = true;
    this.#source?.close();
    this.#source = undefined;
    this.#options.timers.clearTimeout(this.#retryTimer);
    this.#options.timers.clearTimeout(this.#batchTimer);
    this.state.set('offline');
  }

  /** Listens to more event names (custom `x.*` types seen elsewhere, e.g. in the initial page). */
  listenTo(types: Iterable<string>): void {
    for (const type of types) {
      if (this.#listening.has(type)) continue;
      this.#listening.add(type);
      this.#source?.addEventListener(type, this.#onFrame);
    }
  }

  /**
   * Reads what the stream may have carried unheard (custom types of a name not seen before) and
   * hands it on. Called on moments, never on a timer: when the stream opens, when the page
   * becomes visible, when the feed is opened.
   */
  catchUp(): Promise<void> {
    this.#flush();
    this.#chain = this.#chain.then(async () => {
      const found = await this.#missing(this.#delivered);
      const last = found.at(-1);
      if (!last || this.#stopped) return;
      this.#delivered = last.seq;
      this.#seen = Math.max(this.#seen, last.seq);
      this.#options.deliver(found);
    });
    return this.#chain;
  }

  /** Resolves once every event received so far has been handed on (for tests). */
  settled(): Promise<void> {
    this.#flush();
    return this.#chain;
  }

  #open(): void {
    const source = this.#options.open(this.#options.url(this.#seen));
    this.#source = source;
    source.onopen = () => {
      this.#failures = 0;
      this.state.set('connected');
      void this.catchUp();
    };
    source.onerror = () => {
      if (this.#source !== source) return;
      this.#failures++;
      this.state.set(this.#failures >= this.#options.offlineAfter ? 'offline' : 'reconnecting');
      if (source.readyState === closed) this.#reopenLater(source);
    };
    // Unnamed frames (the dashboard asks for them) come here; named ones to the listeners below.
    source.onmessage = this.#onFrame as (message: never) => void;
    for (const type of this.#listening) source.addEventListener(type, this.#onFrame);
  }

  #reopenLater(source: EventSourceLike): void {
    source.close();
    this.#source = undefined;
    const wait = Math.min(this.#options.maxBackoffMs, 1000 * 2 ** Math.max(0, this.#failures - 1));
    this.#retryTimer = this.#options.timers.setTimeout(() => {
      if (!this.#stopped) this.#open();
    }, wait);
  }

  readonly #onFrame = (message: { data: string }): void => {
    let event: EventEnvelope;
    try {
      event = JSON.parse(message.data) as EventEnvelope;
    } catch {
      return;
    }
    if (typeof event.seq !== 'number' || event.seq <= this.#seen) return;
    this.#seen = event.seq;
    this.#pending.push(event);
    if (this.#pending.length === 1) this.#batchTimer = this.#options.timers.setTimeout(() => this.#flush(), this.#options.batchMs);
  };

  #flush(): void {
    if (this.#pending.length === 0) return;
    this.#options.timers.clearTimeout(this.#batchTimer);
    const batch = this.#pending;
    this.#pending = [];
    this.#chain = this.#chain.then(() => this.#deliverInOrder(batch));
  }

  async #deliverInOrder(batch: EventEnvelope[]): Promise<void> {
    const out: EventEnvelope[] = [];
    for (const event of batch.sort((a, b) => a.seq - b.seq)) {
      if (event.seq <= this.#delivered) continue;
      if (event.seq > this.#delivered + 1 && !this.#sparse) out.push(...(await this.#missing(this.#delivered, event.seq)));
      out.push(event);
      this.#delivered = event.seq;
    }
    if (out.length > 0 && !this.#stopped) this.#options.deliver(out);
  }

  async #missing(after: number, before = Number.POSITIVE_INFINITY): Promise<EventEnvelope[]> {
    try {
      const found = (await this.#options.readAfter(after, Number.isFinite(before) ? before : undefined))
        .filter((e) => e.seq > after && e.seq < before)
        .sort((a, b) => a.seq - b.seq);
      this.listenTo(found.map((e) => e.type));
      return found;
    } catch {
      // The gap stays a gap in the feed; the views catch up from the next events.
      return [];
    }
  }
}
