import { type Kysely, sql } from 'kysely';
import type { AppendReceipt } from '../../contracts/index.ts';
import type { Database } from '../db/schema.ts';
import { HubError } from '../errors.ts';
import { type NewEvent, type Projection, envelopeOf } from './event.ts';
import { findByIdempotencyKeys } from './find-by-keys.ts';
import { insertEvents } from './insert-events.ts';
import { isConnectionError } from '../db/connection-error.ts';

/** The one seam to the log's write side. */
export interface EventAppender {
  /** Appends all of `events` or none; a retry of a stored key comes back `deduped`. */
  append(events: NewEvent[]): Promise<AppendReceipt[]>;
  /** Waits for every accepted append to be committed or refused. */
  drain(): Promise<void>;
}

export interface GroupCommitOptions {
  /** Most events written in one transaction (a single request may exceed it alone). */
  maxEvents: number;
  /** The log's advisory lock key: every append transaction takes it, so commit order is `seq` order. */
  lockKey: number;
  /** Called after a commit that wrote at least one event. */
  onCommitted(lastSeq: number, written: number): void;
  onError(error: unknown): void;
}

interface Pending {
  events: NewEvent[];
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
  private running: Promise<void> | undefined;

  constructor(db: Kysely<Database>, projections: readonly Projection[], options: GroupCommitOptions) {
    this.db = db;
    this.projections = projections;
    this.options = options;
  }

  append(events: NewEvent[]): Promise<AppendReceipt[]> {
    return new Promise((resolve, reject) => {
      this.queue.push({ events, resolve, reject });
      this.running ??= this.run();
    });
  }

  async drain(): Promise<void> {
    while (this.running) await this.running;
  }

  private async run(): Promise<void> {
    await new Promise((r) => setImmediate(r));
    while (this.queue.length > 0) {
      let count = 0;
      let take = 0;
      while (take < this.queue.length && (take === 0 || count + this.queue[take]!.events.length <= this.options.maxEvents)) {
        count += this.queue[take]!.events.length;
        take += 1;
      }
      const group = this.queue.splice(0, take);
      await this.commitGroup(group);
    }
    this.running = undefined;
  }

  private async commitGroup(group: Pending[]): Promise<void> {
    try {
      const outcomes = await this.write(group);
      group.forEach((p, i) => settle(p, outcomes[i]!));
    } catch (error) {
      if (isConnectionError(error)) {
        const unavailable = new HubError(503, 'unavailable', 'the event log is unreachable; retry with the same idempotency key');
        for (const p of group) p.reject(unavailable);
        return;
      }
      if (group.length === 1) {
        this.options.onError(error);
        group[0]!.reject(error);
        return;
      }
      // One request broke the shared transaction: write each alone so only that one fails.
      for (const p of group) await this.commitGroup([p]);
    }
  }

  /** One transaction for the whole group; a request whose key collides is refused alone. */
  private async write(group: Pending[]): Promise<Array<AppendReceipt[] | HubError>> {
    let lastSeq = 0;
    let written = 0;
    const outcomes = await this.db.transaction().execute(async (trx) => {
      await sql`SELECT pg_advisory_xact_lock(${this.options.lockKey})`.execute(trx);
      const clientKeys = group.flatMap((p) => p.events.filter((e) => e.keyFromClient).map((e) => e.idempotencyKey));
      const stored = clientKeys.length > 0 ? await findByIdempotencyKeys(trx, clientKeys) : new Map();
      const planned = new Map<string, NewEvent>();
      const toInsert: NewEvent[] = [];
      const plans = group.map((p) => {
        const plan: Array<{ stored: { id: string; seq: number } } | { fresh: NewEvent }> = [];
        for (const e of p.events) {
          const earlier = stored.get(e.idempotencyKey) ?? planned.get(e.idempotencyKey);
          if (earlier === undefined) plan.push({ fresh: e });
          else if (earlier.payloadHash !== e.payloadHash) return conflict(e.idempotencyKey);
          else plan.push('seq' in earlier ? { stored: earlier } : { fresh: earlier });
        }
        for (const step of plan) {
          if ('fresh' in step && !planned.has(step.fresh.idempotencyKey)) {
            planned.set(step.fresh.idempotencyKey, step.fresh);
            toInsert.push(step.fresh);
          }
        }
        return plan;
      });
      const inserted = toInsert.length > 0 ? await insertEvents(trx, toInsert) : [];
      const byKey = new Map(inserted.map((row) => [row.idempotencyKey, row]));
      if (this.projections.length > 0) {
        for (const e of toInsert) {
          const row = byKey.get(e.idempotencyKey)!;
          const envelope = envelopeOf(e, row.seq, row.recordedAt);
          for (const projection of this.projections) await projection.apply(trx, envelope);
        }
      }
      lastSeq = inserted.at(-1)?.seq ?? 0;
      written = inserted.length;
      if (lastSeq > 0) await sql`SELECT pg_notify('mc_events', ${String(lastSeq)})`.execute(trx);

      // A fresh event seen earlier in this same group is a retry for every request but the first.
      const claimed = new Set<string>();
      return plans.map((plan) => {
        if (plan instanceof HubError) return plan;
        return plan.map((step): AppendReceipt => {
          if ('stored' in step) return { id: step.stored.id, seq: step.stored.seq, deduped: true };
          const key = step.fresh.idempotencyKey;
          const deduped = claimed.has(key);
          claimed.add(key);
          return { id: step.fresh.id, seq: byKey.get(key)!.seq, deduped };
        });
      });
    });
    this.stats.transactions += 1;
    this.stats.requests += group.length;
    this.stats.events += written;
    if (lastSeq > 0) this.options.onCommitted(lastSeq, written);
    return outcomes;
  }
}

function conflict(key: string): HubError {
  return new HubError(409, 'idempotency_conflict', `idempotency key "${key}" was already used for a different event; use a new key for a new event`);
}

function settle(p: Pending, outcome: AppendReceipt[] | HubError): void {
  if (outcome instanceof HubError) p.reject(outcome);
  else p.resolve(outcome);
}
