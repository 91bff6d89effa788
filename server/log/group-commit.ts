import type { Kysely } from 'kysely';
import type { AppendReceipt } from '../../contracts/index.ts';
import { isConnectionError } from '../db/connection-error.ts';
import type { Database } from '../db/schema.ts';
import { HubError } from '../errors.ts';
import type { NewEvent, Projection } from './event.ts';
import { type AppendWork, type Command, KeyTaken, writeGroup, writeInsertOnly } from './write-group.ts';

/** The one seam to the log's write side. */
export interface EventAppender {
  /** Appends all of `events` or none; a retry of a stored key comes back `deduped`. */
  append(events: NewEvent[]): Promise<AppendReceipt[]>;
  /** Runs `command` inside an append transaction and appends what it decides. */
  execute(command: Command): Promise<AppendReceipt[]>;
  /** Waits for every accepted append to be committed or refused. */
  drain(): Promise<void>;
}

export interface GroupCommitOptions {
  /** Most events written in one transaction (a single request may exceed it alone). */
  maxEvents: number;
  /** Append transactions open at once (they still commit one at a time, in `seq` order). */
  maxInFlight: number;
  notifyChannel: string;
  /** Called after a commit that wrote at least one event, with the types it wrote. */
  onCommitted(lastSeq: number, written: number, types: ReadonlySet<string>): void;
  onError(error: unknown): void;
}

interface Pending {
  work: AppendWork;
  size: number;
  resolve(receipts: AppendReceipt[]): void;
  reject(error: unknown): void;
}

/**
 * Gathers concurrent appends into one transaction: one lock, one insert and one fsync for many
 * requests. While a transaction runs, new requests queue and form the next group, so the wait
 * is bounded by one transaction and the group by `maxEvents`.
 */
export class GroupCommitAppender implements EventAppender {
  /** Committed append transactions, the requests they served and the events they wrote. */
  readonly stats = { transactions: 0, requests: 0, events: 0 };
  private readonly db: Kysely<Database>;
  private readonly projections: readonly Projection[];
  private readonly options: GroupCommitOptions;
  private queue: Pending[] = [];
  private inFlight = 0;
  private scheduled = false;
  private idle: Array<() => void> = [];

  constructor(db: Kysely<Database>, projections: readonly Projection[], options: GroupCommitOptions) {
    this.db = db;
    this.projections = projections;
    this.options = options;
  }

  append(events: NewEvent[]): Promise<AppendReceipt[]> {
    return this.enqueue({ events }, events.length);
  }

  execute(command: Command): Promise<AppendReceipt[]> {
    return this.enqueue({ command }, 1);
  }

  drain(): Promise<void> {
    if (this.inFlight === 0 && this.queue.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.idle.push(resolve));
  }

  private enqueue(work: AppendWork, size: number): Promise<AppendReceipt[]> {
    return new Promise((resolve, reject) => {
      this.queue.push({ work, size, resolve, reject });
      if (this.scheduled) return;
      // Requests that arrive in the same turn of the event loop join one group.
      this.scheduled = true;
      setImmediate(() => {
        this.scheduled = false;
        this.pump();
      });
    });
  }

  /**
   * Starts groups while fewer than `maxInFlight` run. A second group is sent and queues on the
   * log's insert lock while the first inserts (and, in a transaction, commits), so the hub's work
   * and the database's overlap; the log's locks still serialise the commits (lock.ts).
   */
  private pump(): void {
    while (this.inFlight < this.options.maxInFlight && this.queue.length > 0) {
      let count = 0;
      let take = 0;
      while (take < this.queue.length && (take === 0 || count + this.queue[take]!.size <= this.options.maxEvents)) {
        count += this.queue[take]!.size;
        take += 1;
      }
      this.inFlight += 1;
      void this.commitGroup(this.queue.splice(0, take)).finally(() => {
        this.inFlight -= 1;
        this.pump();
        if (this.inFlight === 0 && this.queue.length === 0) for (const resolve of this.idle.splice(0)) resolve();
      });
    }
  }

  private async commitGroup(group: Pending[]): Promise<void> {
    try {
      const works = group.map((p) => p.work);
      const log = { notifyChannel: this.options.notifyChannel };
      const result =
        (await writeInsertOnly(this.db, works, this.projections, log)) ??
        (await this.db.transaction().execute(async (trx) => {
          // The lock comes with the group's first view read or first insert, whichever is first: an
          // insert that carries it waits in the database, ready to run the moment the lock is free.
          return writeGroup(trx, works, this.projections, { ...log, locked: false });
        }));
      this.stats.transactions += 1;
      this.stats.requests += group.length;
      this.stats.events += result.written;
      if (result.lastSeq > 0) this.options.onCommitted(result.lastSeq, result.written, result.types);
      group.forEach((p, i) => {
        const outcome = result.outcomes[i]!;
        if (outcome instanceof HubError) p.reject(outcome);
        else p.resolve(outcome);
      });
    } catch (error) {
      if (isConnectionError(error)) {
        const unavailable = new HubError('unavailable', 'the event log is unreachable; retry with the same idempotency key');
        for (const p of group) p.reject(unavailable);
        return;
      }
      if (group.length === 1) {
        // Its key stored before with another payload: a 409, and none of its events written.
        if (error instanceof KeyTaken) return group[0]!.reject(error.conflict);
        this.options.onError(error);
        group[0]!.reject(error);
        return;
      }
      // One request broke the shared transaction (a key taken with another payload, say): write
      // each alone so only that one fails.
      for (const p of group) await this.commitGroup([p]);
    }
  }
}
