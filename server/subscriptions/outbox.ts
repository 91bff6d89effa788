import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { Clock } from '../clock.ts';
import type { HubConfig } from '../config.ts';
import type { Database } from '../db/schema.ts';
import type { CommitSignal } from '../log/commit-signal.ts';
import { findEventById } from '../log/find-event.ts';
import { lastSeq } from '../log/read-after.ts';
import { receiverOf } from '../notifications/channels/http.ts';
import { sendWebhook } from '../notifications/channels/webhook.ts';
import type { Courier } from '../notifications/courier.ts';
import type { Attempt, ClaimedDelivery, WebhookTarget } from './model.ts';
import { filterOf, judgeAttempt, pauseReason } from './rules.ts';
import { advanceCursor, claimDeliveries, insertDeliveries, liveTypes, matchingEvents, recordAttempt, releaseDeliveries, trailingWebhooks, webhookTargets } from './store.ts';

/** Receivers sent to at once by one hub: one request in flight each, so a slow one holds one lane and no more. */
const lanes = 16;
/** Deliveries of one webhook leased at once, sent one after another in seq order. */
const perLane = 10;
/** Events read from the log per webhook in one enqueue transaction. */
const enqueuePage = 500;

export interface OutboxOptions {
  db: Kysely<Database>;
  commits: CommitSignal;
  clock: Clock;
  logger: Logger;
  config: HubConfig['webhooks'];
  /** Chooses and sends what people's contact points get; the admins' webhooks get every event of their types, as it is. */
  courier: Courier;
}

/** Stands in for a cursor another hub moved first: the transaction that read behind it rolls back. */
class CursorMoved extends Error {}

/**
 * Delivers the log to its receivers: the admins' webhooks and the people's contact points. The log
 * is the outbox: each receiver's cursor says how far its deliveries are enqueued, so nothing is
 * added to the append path and nothing is lost across restarts. Woken when this hub commits an
 * event of a type some receiver takes, and by a poll for retries and events no wake announced
 * (other types, other hubs'); leases (SKIP LOCKED) let every hub on the database work side by side.
 */
export class WebhookOutbox {
  private readonly options: OutboxOptions;
  private readonly stopping = new AbortController();
  private readonly sending = new Set<Promise<void>>();
  private timer: NodeJS.Timeout | undefined;
  private passing: Promise<void> | undefined;
  private wokenWhilePassing = false;
  private readonly unlisten: () => void;
  /** The types the live receivers take, as of the last pass. */
  private wanted: ReturnType<typeof filterOf> = { types: [], typePrefixes: [] };

  constructor(options: OutboxOptions) {
    this.options = options;
    this.unlisten = options.commits.listen((types) => this.committed(types));
  }

  /** Puts the config's contact points in place, then works; `hubUrl` is where one-tap links lead unless a public URL is configured. */
  start(hubUrl: string): void {
    this.passing = this.options.courier
      .start(hubUrl)
      .catch((error: unknown) => this.options.logger.error({ err: error }, 'the contact points could not be stored; people are not notified until the hub restarts'))
      .finally(() => {
        this.passing = undefined;
        if (this.stopping.signal.aborted) return;
        this.timer = setInterval(() => this.kick(), this.options.config.pollMs);
        this.kick();
      });
  }

  /** Stops sending: requests in flight are cut and their deliveries given back, due again for any hub. */
  async stop(): Promise<void> {
    this.stopping.abort();
    clearInterval(this.timer);
    this.unlisten();
    await this.passing;
    await Promise.all(this.sending);
    await this.options.courier.close();
  }

  /** Something may be due: enqueue and claim now (a wake during a pass runs one more). */
  kick(): void {
    if (this.stopping.signal.aborted) return;
    if (this.passing) {
      this.wokenWhilePassing = true;
      return;
    }
    this.passing = this.pass().finally(() => {
      this.passing = undefined;
    });
  }

  /** A commit: a pass at once only when it wrote a type some receiver takes; the rest is passed over by the next poll. */
  private committed(written: ReadonlySet<string>): void {
    const { types, typePrefixes } = this.wanted;
    for (const type of written) {
      if (types.includes(type) || typePrefixes.some((prefix) => type.startsWith(prefix))) return this.kick();
    }
  }

  private async pass(): Promise<void> {
    try {
      do {
        this.wokenWhilePassing = false;
        // A hub with no receivers reads nothing more for them.
        if (await this.enqueue()) await this.claim();
      } while (this.wokenWhilePassing && !this.stopping.signal.aborted);
    } catch (error) {
      // The next wake or poll tries again from the cursors and leases in the database.
      this.options.logger.warn({ err: error }, 'webhook outbox pass failed; will retry');
    }
  }

  /** Moves each receiver's cursor to the head, enqueuing a delivery per matching event on the way; false when there are no receivers. */
  private async enqueue(): Promise<boolean> {
    const { db } = this.options;
    const types = await liveTypes(db);
    this.wanted = filterOf(types);
    if (types.length === 0) return false;
    // Appends commit in seq order, so every event up to the head read here is already visible.
    const head = await lastSeq(db);
    for (const webhook of await trailingWebhooks(db, head)) {
      for (let cursor = webhook.cursor; cursor < head && !this.stopping.signal.aborted; ) {
        const from = cursor;
        cursor = await db
          .transaction()
          .execute(async (trx) => {
            const events = await matchingEvents(trx, webhook.types, from, head, enqueuePage);
            const to = events.length === enqueuePage ? events.at(-1)!.seq : head;
            await insertDeliveries(trx, webhook.id, webhook.person === null ? events : await this.options.courier.select(trx, webhook, events));
            if (!(await advanceCursor(trx, webhook.id, from, to))) throw new CursorMoved();
            return to;
          })
          .catch((error: unknown) => {
            if (error instanceof CursorMoved) return head;
            throw error;
          });
      }
    }
    return true;
  }

  /** Leases what is due into the free lanes and sends it, without waiting for the sends. */
  private async claim(): Promise<void> {
    const free = lanes - this.sending.size;
    if (free <= 0 || this.stopping.signal.aborted) return;
    const { db, config } = this.options;
    // The lease outlasts a whole lane sent at the timeout, so no other hub takes a delivery still being tried.
    const claimed = await claimDeliveries(db, free, perLane, perLane * config.timeoutMs + 30_000);
    if (claimed.length === 0) return;
    const targets = await webhookTargets(db, [...new Set(claimed.map((d) => d.webhookId))]);
    const byWebhook = new Map<string, ClaimedDelivery[]>();
    for (const delivery of claimed) byWebhook.set(delivery.webhookId, [...(byWebhook.get(delivery.webhookId) ?? []), delivery]);
    for (const [webhookId, deliveries] of byWebhook) {
      const target = targets.get(webhookId);
      if (target === undefined) {
        await releaseDeliveries(db, deliveries.map((d) => d.id), 0);
        continue;
      }
      const lane: Promise<void> = this.sendLane(target, deliveries)
        .catch((error: unknown) => this.options.logger.warn({ err: error, webhookId }, 'webhook delivery lane failed; its leases run out and it is tried again'))
        .finally(() => {
          this.sending.delete(lane);
          this.kick();
        });
      this.sending.add(lane);
    }
  }

  /** Sends one webhook's deliveries in seq order; at the first that fails, the rest wait as long as it does. */
  private async sendLane(target: WebhookTarget, deliveries: ClaimedDelivery[]): Promise<void> {
    const { db, config, logger } = this.options;
    const policy = { maxBackoffMs: config.maxBackoffMs, maxAttempts: config.maxAttempts, pauseAfterFailures: config.pauseAfterFailures };
    for (const [i, delivery] of deliveries.entries()) {
      if (this.stopping.signal.aborted) return releaseDeliveries(db, deliveries.slice(i).map((d) => d.id), 0);
      const attempt = await this.send(target, delivery);
      if (this.stopping.signal.aborted) return releaseDeliveries(db, deliveries.slice(i).map((d) => d.id), 0);
      const verdict = judgeAttempt(attempt, delivery.attempts, policy, Math.random());
      const paused = await recordAttempt(db, delivery, attempt, verdict, (failures) => pauseReason(failures, policy));
      if (verdict.kind === 'delivered') continue;
      // Never the URL's path or query, which may be the receiver's own credential (a Slack URL); never the secret.
      logger.warn({ webhookId: target.id, deliveryId: delivery.id, status: attempt.status, error: attempt.error, attempts: delivery.attempts, receiver: receiverOf(target.url) }, 'webhook delivery failed');
      if (paused) logger.warn({ webhookId: target.id, reason: paused }, 'webhook paused; POST /webhooks/:id/resume lifts it');
      return releaseDeliveries(db, deliveries.slice(i + 1).map((d) => d.id), verdict.kind === 'failed' ? verdict.delayMs : 0);
    }
  }

  /** Sends one delivery: to a webhook the event's envelope, signed; to a contact point what the courier makes of it. */
  private async send(target: WebhookTarget, delivery: ClaimedDelivery): Promise<Attempt> {
    if (target.person !== null) return this.options.courier.send(target, delivery, this.stopping.signal);
    const event = await findEventById(this.options.db, delivery.eventId);
    if (event === undefined) return { status: null, error: `event ${delivery.eventId} is not in the log`, durationMs: 0 };
    return sendWebhook(target.url, target.secret, delivery.id, JSON.stringify(event), this.options.clock.now(), this.options.config.timeoutMs, this.stopping.signal);
  }
}
