import { type ColumnType, type Generated, type Kysely, type Selectable, type Transaction, sql } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { Channel } from '../notifications/model.ts';
import { type ClaimedDelivery, type DeliveryStatus, type DeliveryView, type LoggedEvent, type WebhookTarget, type WebhookView, newDeliveryId } from './model.ts';
import type { Verdict } from './rules.ts';
import { filterOf } from './rules.ts';

/**
 * The outbox's receivers: the webhooks admins subscribe (not folded from the log: the secret never
 * enters it), and the contact points of the config's people, kept in step with the config file.
 */
export interface WebhooksTable {
  id: string;
  /** Where to send: an http(s) URL, or `mailto:` for an email contact point. */
  url: string;
  channel: ColumnType<Channel, Channel | undefined, Channel>;
  /** Null: an admin's webhook; else the person whose contact point this is. */
  person: ColumnType<string | null, string | null | undefined, never>;
  types: ColumnType<string[], string[], never>;
  description: string | null;
  secret: string;
  created_at: ColumnType<Date, never, never>;
  deleted_at: ColumnType<Date | null, never, Date>;
  paused_at: ColumnType<Date | null, never, Date | null>;
  paused_reason: ColumnType<string | null, never, string | null>;
  consecutive_failures: ColumnType<number, never, number>;
  /** The log's seq up to which this webhook's deliveries are enqueued. */
  cursor_seq: ColumnType<string, string, number>;
}

/** Each webhook's outbox: one row per event to deliver to it. */
export interface WebhookDeliveriesTable {
  id: string;
  webhook_id: string;
  event_id: string;
  event_seq: ColumnType<string, number, never>;
  event_type: string;
  status: Generated<string>;
  attempts: Generated<number>;
  next_attempt_at: Generated<Date>;
  locked_until: Date | null;
  last_status: number | null;
  last_error: string | null;
  last_attempt_at: Date | null;
  last_duration_ms: number | null;
  created_at: ColumnType<Date, never, never>;
  delivered_at: Date | null;
}

/** The tables of the webhooks feature. */
export interface SubscriptionsTables {
  webhooks: WebhooksTable;
  webhook_deliveries: WebhookDeliveriesTable;
}

const iso = (d: Date | null) => d?.toISOString() ?? null;

/** A receiver's URL as admins see it: a contact point's only up to its host (a Slack URL is itself a secret; the config file holds it). */
function shownUrl(row: Selectable<WebhooksTable>): string {
  if (row.person === null || row.channel === 'email') return row.url;
  return `${new URL(row.url).origin}/…`;
}

function webhookOf(row: Selectable<WebhooksTable>): WebhookView {
  return {
    id: row.id,
    url: shownUrl(row),
    types: row.types,
    description: row.description,
    createdAt: row.created_at.toISOString(),
    pausedAt: iso(row.paused_at),
    pausedReason: row.paused_reason,
    consecutiveFailures: row.consecutive_failures,
    deletedAt: iso(row.deleted_at),
  };
}

function deliveryOf(row: Selectable<WebhookDeliveriesTable>): DeliveryView {
  return {
    id: row.id,
    eventId: row.event_id,
    eventType: row.event_type,
    seq: Number(row.event_seq),
    status: row.status as DeliveryStatus,
    attempts: row.attempts,
    lastStatus: row.last_status,
    lastError: row.last_error,
    lastAttemptAt: iso(row.last_attempt_at),
    lastDurationMs: row.last_duration_ms,
    nextAttemptAt: row.status === 'pending' ? row.next_attempt_at.toISOString() : null,
  };
}

/** Stores a webhook whose cursor is the log's head: it gets what happens from now on. */
export async function insertWebhook(db: Kysely<Database>, webhook: { id: string; url: string; types: string[]; description: string | null; secret: string }): Promise<WebhookView> {
  const row = await db
    .insertInto('webhooks')
    .values({ ...webhook, cursor_seq: sql<string>`(SELECT coalesce(max(seq), 0) FROM events)` })
    .returningAll()
    .executeTakeFirstOrThrow();
  return webhookOf(row);
}

/** The admins' webhooks not deleted, oldest first. */
export async function listWebhooks(db: Kysely<Database>): Promise<WebhookView[]> {
  const rows = await db.selectFrom('webhooks').selectAll().where('deleted_at', 'is', null).where('person', 'is', null).orderBy('created_at').orderBy('id').execute();
  return rows.map(webhookOf);
}

/** The contact points not deleted, by id: each one a receiver with its state. */
export async function listContactPoints(db: Kysely<Database>): Promise<Array<WebhookView & { person: string; channel: Channel }>> {
  const rows = await db.selectFrom('webhooks').selectAll().where('deleted_at', 'is', null).where('person', 'is not', null).orderBy('id').execute();
  return rows.map((row) => ({ ...webhookOf(row), person: row.person!, channel: row.channel }));
}

/**
 * Makes the contact points in the outbox those of the config file: new ones start at the log's
 * head (they get what happens from now on), changed ones keep their place, gone ones are deleted.
 * Several hubs starting together upsert alike.
 */
export async function syncContactPoints(db: Kysely<Database>, points: ReadonlyArray<{ id: string; url: string; person: string; channel: Channel }>, types: string[], secret: string): Promise<void> {
  await db.transaction().execute(async (trx) => {
    for (const point of points) {
      await trx
        .insertInto('webhooks')
        .values({ ...point, types, description: `${point.person}'s ${point.channel}`, secret, cursor_seq: sql<string>`(SELECT coalesce(max(seq), 0) FROM events)` })
        .onConflict((oc) =>
          oc.column('id').doUpdateSet({
            url: sql`excluded.url`,
            types: sql`excluded.types`,
            secret: sql`excluded.secret`,
            // A contact point taken out of the config and put back starts again from now, not from where it was.
            cursor_seq: sql`CASE WHEN webhooks.deleted_at IS NULL THEN webhooks.cursor_seq ELSE excluded.cursor_seq END`,
            deleted_at: sql`NULL`,
          } as never),
        )
        .execute();
    }
    let gone = trx.updateTable('webhooks').set({ deleted_at: sql<Date>`now()` }).where('person', 'is not', null).where('deleted_at', 'is', null);
    if (points.length > 0) gone = gone.where('id', 'not in', points.map((p) => p.id));
    await gone.execute();
  });
}

/** The receiver `id` (a webhook or a contact point) unless it is unknown or deleted. */
export async function findWebhook(db: Kysely<Database>, id: string): Promise<WebhookView | undefined> {
  const row = await db.selectFrom('webhooks').selectAll().where('id', '=', id).where('deleted_at', 'is', null).executeTakeFirst();
  return row && webhookOf(row);
}

/** Deletes an admin's webhook: no delivery of it is sent after this (its rows stay, for the record). Contact points come and go with the config file. */
export async function deleteWebhook(db: Kysely<Database>, id: string): Promise<WebhookView | undefined> {
  const row = await db.updateTable('webhooks').set({ deleted_at: sql<Date>`now()` }).where('id', '=', id).where('deleted_at', 'is', null).where('person', 'is', null).returningAll().executeTakeFirst();
  return row && webhookOf(row);
}

/** Lifts a webhook's pause, its failures forgotten, and makes its pending deliveries due now. */
export async function resumeWebhook(db: Kysely<Database>, id: string): Promise<WebhookView | undefined> {
  return db.transaction().execute(async (trx) => {
    const row = await trx
      .updateTable('webhooks')
      .set({ paused_at: null, paused_reason: null, consecutive_failures: 0 })
      .where('id', '=', id)
      .where('deleted_at', 'is', null)
      .returningAll()
      .executeTakeFirst();
    if (row) await trx.updateTable('webhook_deliveries').set({ next_attempt_at: sql<Date>`now()` }).where('webhook_id', '=', id).where('status', '=', 'pending').execute();
    return row && webhookOf(row);
  });
}

/** A webhook's deliveries, newest event first. */
export async function listDeliveries(db: Kysely<Database>, webhookId: string, limit: number): Promise<DeliveryView[]> {
  const rows = await db.selectFrom('webhook_deliveries').selectAll().where('webhook_id', '=', webhookId).orderBy('event_seq', 'desc').limit(limit).execute();
  return rows.map(deliveryOf);
}

/**
 * Makes a pending or failed delivery due now (a failed one with its attempts started over); the
 * delivery as it was when it is not there, or delivered already.
 */
export async function retryDelivery(db: Kysely<Database>, webhookId: string, id: string): Promise<{ retried: DeliveryView | undefined; found: DeliveryView | undefined }> {
  const row = await db
    .updateTable('webhook_deliveries')
    .set({ status: 'pending', next_attempt_at: sql<Date>`now()`, attempts: sql<number>`CASE WHEN status = 'failed' THEN 0 ELSE attempts END` })
    .where('webhook_id', '=', webhookId)
    .where('id', '=', id)
    .where('status', 'in', ['pending', 'failed'])
    .returningAll()
    .executeTakeFirst();
  if (row) return { retried: deliveryOf(row), found: deliveryOf(row) };
  const found = await db.selectFrom('webhook_deliveries').selectAll().where('webhook_id', '=', webhookId).where('id', '=', id).executeTakeFirst();
  return { retried: undefined, found: found && deliveryOf(found) };
}

/** The webhooks whose cursor trails `head`: those that may have deliveries to enqueue (paused ones too: they resume where they stopped). */
export async function trailingWebhooks(db: Kysely<Database>, head: number): Promise<Array<{ id: string; types: string[]; cursor: number; person: string | null; channel: Channel }>> {
  const rows = await db.selectFrom('webhooks').select(['id', 'types', 'cursor_seq', 'person', 'channel']).where('deleted_at', 'is', null).where('cursor_seq', '<', String(head) as never).execute();
  return rows.map((row) => ({ id: row.id, types: row.types, cursor: Number(row.cursor_seq), person: row.person, channel: row.channel }));
}

/** The event types (and `area.*` patterns) the live receivers take, each once; none when there are no receivers. */
export async function liveTypes(db: Kysely<Database>): Promise<string[]> {
  const { rows } = await sql<{ type: string }>`SELECT DISTINCT unnest(types) AS type FROM webhooks WHERE deleted_at IS NULL`.execute(db);
  return rows.map((row) => row.type);
}

/** The events of a webhook's types after `after` and up to `head`, oldest first, at most `limit`: read from the log itself. */
export async function matchingEvents(trx: Transaction<Database>, types: readonly string[], after: number, head: number, limit: number): Promise<LoggedEvent[]> {
  const filter = filterOf(types);
  const { rows } = await sql<{ seq: string; id: string; type: string }>`
    SELECT seq, id, type FROM events
    WHERE seq > ${after} AND seq <= ${head} AND (type = ANY(${filter.types}::text[]) OR type ^@ ANY(${filter.typePrefixes}::text[]))
    ORDER BY seq LIMIT ${limit}`.execute(trx);
  return rows.map((row) => ({ seq: Number(row.seq), id: row.id, type: row.type }));
}

/** Enqueues a delivery per event (once per webhook and event, whoever enqueues it again). */
export async function insertDeliveries(trx: Transaction<Database>, webhookId: string, events: readonly LoggedEvent[]): Promise<void> {
  if (events.length === 0) return;
  await trx
    .insertInto('webhook_deliveries')
    .values(events.map((e) => ({ id: newDeliveryId(), webhook_id: webhookId, event_id: e.id, event_seq: e.seq, event_type: e.type })))
    .onConflict((oc) => oc.columns(['webhook_id', 'event_id']).doNothing())
    .execute();
}

/** Moves a webhook's cursor from `from` to `to`; false when another hub moved it first. */
export async function advanceCursor(trx: Transaction<Database>, webhookId: string, from: number, to: number): Promise<boolean> {
  const result = await trx.updateTable('webhooks').set({ cursor_seq: to }).where('id', '=', webhookId).where('cursor_seq', '=', String(from) as never).executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/**
 * Leases the due deliveries of up to `lanes` webhooks, up to `perLane` each in seq order, for
 * `leaseMs`, counting the attempt. A webhook some hub is sending to (a lease of it still runs) is
 * left alone, so one receiver gets its events one at a time, in order; SKIP LOCKED lets hubs claim
 * side by side and never take the same delivery.
 */
export async function claimDeliveries(db: Kysely<Database>, lanes: number, perLane: number, leaseMs: number): Promise<ClaimedDelivery[]> {
  const due = sql`d.status = 'pending' AND d.next_attempt_at <= now() AND (d.locked_until IS NULL OR d.locked_until < now())`;
  const { rows } = await sql<{ id: string; webhook_id: string; event_id: string; event_seq: string; attempts: number }>`
    WITH ready AS (
      SELECT d.webhook_id, min(d.next_attempt_at) AS since
      FROM webhook_deliveries d JOIN webhooks w ON w.id = d.webhook_id
      WHERE ${due} AND w.deleted_at IS NULL AND w.paused_at IS NULL
      GROUP BY d.webhook_id
    ), picked AS (
      SELECT r.webhook_id FROM ready r
      WHERE NOT EXISTS (SELECT 1 FROM webhook_deliveries l WHERE l.webhook_id = r.webhook_id AND l.status = 'pending' AND l.locked_until >= now())
      ORDER BY r.since LIMIT ${lanes}
    )
    UPDATE webhook_deliveries SET locked_until = now() + make_interval(secs => ${leaseMs / 1000}), attempts = attempts + 1
    WHERE id IN (
      SELECT c.id FROM picked p CROSS JOIN LATERAL (
        SELECT d.id FROM webhook_deliveries d WHERE d.webhook_id = p.webhook_id AND ${due}
        ORDER BY d.event_seq LIMIT ${perLane} FOR UPDATE SKIP LOCKED
      ) c
    )
    RETURNING id, webhook_id, event_id, event_seq, attempts`.execute(db);
  return rows
    .map((row) => ({ id: row.id, webhookId: row.webhook_id, eventId: row.event_id, seq: Number(row.event_seq), attempts: row.attempts }))
    .sort((a, b) => a.seq - b.seq);
}

/** Where and how to send to these webhooks, by id (deleted ones left out). */
export async function webhookTargets(db: Kysely<Database>, ids: readonly string[]): Promise<Map<string, WebhookTarget>> {
  if (ids.length === 0) return new Map();
  const rows = await db.selectFrom('webhooks').select(['id', 'url', 'secret', 'person', 'channel']).where('id', 'in', ids).where('deleted_at', 'is', null).execute();
  return new Map(rows.map((row) => [row.id, row]));
}

/**
 * Records an attempt and its verdict in one transaction: the delivery settled or due again, the
 * webhook's failures in a row counted (reset by a success) and, past `pauseAfter` or on a 410, the
 * webhook paused. Returns the pause reason when this attempt paused it.
 */
export async function recordAttempt(
  db: Kysely<Database>,
  delivery: ClaimedDelivery,
  attempt: { status: number | null; error: string | null; durationMs: number },
  verdict: Verdict,
  pauseAfter: (failures: number) => string | undefined,
): Promise<string | undefined> {
  return db.transaction().execute(async (trx) => {
    const last = { last_status: attempt.status, last_error: attempt.error, last_attempt_at: sql<Date>`now()` as never, last_duration_ms: attempt.durationMs, locked_until: null };
    if (verdict.kind === 'delivered') {
      await trx.updateTable('webhook_deliveries').set({ ...last, status: 'delivered', delivered_at: sql<Date>`now()` as never }).where('id', '=', delivery.id).execute();
      await trx.updateTable('webhooks').set({ consecutive_failures: 0 }).where('id', '=', delivery.webhookId).where('consecutive_failures', '<>', 0).execute();
      return undefined;
    }
    const delayMs = verdict.kind === 'gone' ? 0 : verdict.delayMs;
    await trx
      .updateTable('webhook_deliveries')
      .set({ ...last, status: verdict.kind === 'gone' ? 'pending' : verdict.status, next_attempt_at: sql<Date>`now() + make_interval(secs => ${delayMs / 1000})` })
      .where('id', '=', delivery.id)
      .execute();
    const row = await trx
      .updateTable('webhooks')
      .set((eb) => ({ consecutive_failures: eb('consecutive_failures', '+', 1) }))
      .where('id', '=', delivery.webhookId)
      .returning(['consecutive_failures', 'paused_at'])
      .executeTakeFirst();
    if (row === undefined || row.paused_at !== null) return undefined;
    const reason = verdict.kind === 'gone' ? verdict.reason : pauseAfter(row.consecutive_failures);
    if (reason !== undefined) await trx.updateTable('webhooks').set({ paused_at: sql<Date>`now()` as never, paused_reason: reason }).where('id', '=', delivery.webhookId).execute();
    return reason;
  });
}

/** Gives back leased deliveries that were not sent (the attempt uncounted), due no sooner than in `delayMs`. */
export async function releaseDeliveries(db: Kysely<Database>, ids: readonly string[], delayMs: number): Promise<void> {
  if (ids.length === 0) return;
  await db
    .updateTable('webhook_deliveries')
    .set({ locked_until: null, attempts: sql<number>`greatest(attempts - 1, 0)`, next_attempt_at: sql<Date>`greatest(next_attempt_at, now() + make_interval(secs => ${delayMs / 1000}))` })
    .where('id', 'in', ids)
    .where('status', '=', 'pending')
    .execute();
}

/** The outbox at a glance: pending deliveries of live webhooks, and how long the oldest has waited (0 when none). */
export async function outboxBacklog(db: Kysely<Database>): Promise<{ pending: number; oldestSeconds: number }> {
  const { rows } = await sql<{ pending: string; oldest: number | null }>`
    SELECT count(*) AS pending, extract(epoch FROM now() - min(d.created_at))::float8 AS oldest
    FROM webhook_deliveries d JOIN webhooks w ON w.id = d.webhook_id
    WHERE d.status = 'pending' AND w.deleted_at IS NULL`.execute(db);
  return { pending: Number(rows[0]?.pending ?? 0), oldestSeconds: Math.max(0, rows[0]?.oldest ?? 0) };
}
