import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { EventFrame } from '../log/event.ts';
import { type PageSize, lastSeq, readAfter } from '../log/read-after.ts';

/** Someone who receives each new event once, in `seq` order. */
export interface FanoutSubscriber {
  /** The newest `seq` this subscriber has been handed (sent or filtered out). */
  readonly position: number;
  deliver(frames: readonly EventFrame[]): void;
  /** The hub is going away: finish so the client resumes elsewhere. */
  close(): void;
}

export interface FanoutOptions {
  readBatch: PageSize;
  onError(error: unknown): void;
}

/**
 * The hub's one reader of new events: woken by NOTIFY, by a local commit or by the poller, it
 * reads the rows after its cursor once and hands the same frames to every subscriber.
 */
export class EventFanout {
  /** The newest `seq` this hub has read and delivered. */
  head = 0;
  private readonly db: Kysely<Database>;
  private readonly options: FanoutOptions;
  private readonly subscribers = new Set<FanoutSubscriber>();
  private reading: Promise<void> | undefined;
  private wokenWhileReading = false;

  constructor(db: Kysely<Database>, options: FanoutOptions) {
    this.db = db;
    this.options = options;
  }

  /** Starts from the end of the log: history is each subscriber's own replay. */
  async start(): Promise<void> {
    this.head = await lastSeq(this.db);
  }

  get subscriberCount(): number {
    return this.subscribers.size;
  }

  /** How far, in `seq`, the slowest subscriber trails what this hub has read. */
  maxLag(): number {
    let lag = 0;
    for (const subscriber of this.subscribers) lag = Math.max(lag, this.head - subscriber.position);
    return lag;
  }

  subscribe(subscriber: FanoutSubscriber): () => void {
    this.subscribers.add(subscriber);
    return () => this.subscribers.delete(subscriber);
  }

  /**
   * Something may have been appended (up to `committedSeq`, when known): read it. At most one read
   * runs; a wake during it reads again. With no one subscribed there is nobody to read for: the
   * cursor just moves, and a later subscriber replays from the log.
   */
  wake(committedSeq?: number): void {
    if (committedSeq !== undefined && this.subscribers.size === 0 && !this.reading) {
      this.head = Math.max(this.head, committedSeq);
      return;
    }
    if (this.reading) {
      this.wokenWhileReading = true;
      return;
    }
    this.reading = this.readNew().finally(() => {
      this.reading = undefined;
    });
  }

  /** Waits for the read in progress, if any. */
  async settled(): Promise<void> {
    while (this.reading) await this.reading;
  }

  /** Ends every subscriber; they resume on another hub (or this one, later) by Last-Event-ID. */
  closeAll(): void {
    for (const subscriber of this.subscribers) subscriber.close();
    this.subscribers.clear();
  }

  private async readNew(): Promise<void> {
    try {
      do {
        this.wokenWhileReading = false;
        for (;;) {
          const { frames, full } = await readAfter(this.db, this.head, this.options.readBatch);
          if (frames.length === 0) break;
          this.head = frames.at(-1)!.seq;
          for (const subscriber of this.subscribers) subscriber.deliver(frames);
          if (!full) break;
        }
      } while (this.wokenWhileReading);
    } catch (error) {
      // The next wake (NOTIFY, commit or poll) reads again from the same cursor.
      this.options.onError(error);
    }
  }
}
