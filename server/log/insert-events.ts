import { type Kysely, sql } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { NewEvent } from './event.ts';
import { bothLogLocks, logCommitLockKey, logLockKey } from './lock.ts';

/**
 * What the database gave the events written: when it wrote them all, `seqs[i]` is the `seq` of
 * the i-th; fewer seqs than events, it skipped the keys already stored. One time for all (the transaction's).
 */
export interface Inserted {
  seqs: number[];
  recordedAt: Date;
}

/**
 * How an insert stands with the log locks (see lock.ts): `held` by its transaction already;
 * `transaction`, it takes both for the rest of its transaction; `statement`, it is its own
 * transaction and takes the insert lock for its session, then the commit lock once its rows are
 * in, then lets the insert lock go as it ends: should it fail, the caller must release the
 * insert lock on the same connection (`releaseInsertLock`).
 */
export type InsertLock = 'held' | 'transaction' | 'statement';

/** Where an insert stands with the log: the locks it takes, the channel it wakes, what a stored key does. */
export interface InsertLog {
  lock: InsertLock;
  notifyChannel: string;
  /** True: an event whose key is stored already is skipped. False: it fails the statement (a unique violation), which writes nothing. */
  skipStored: boolean;
}

/**
 * Writes events in the given order with one statement (one round trip, one plan whatever the
 * count), skipping any whose key is stored already if asked: it takes the log locks if asked (so
 * `seq` follows the order given and commits come in `seq` order), inserts, and queues the wake-up
 * the listeners get at commit. The sort's input is read whole, the insert lock with it, before
 * the first `seq` is drawn after the sort (PostgreSQL evaluates volatile output expressions, such
 * as the `seq` default, after a sort), so the i-th smallest `seq` is the i-th event's; they come
 * back as one text, not a row each. The rows go as one JSON parameter built from parts, so each
 * event's canonical data is sent as it is, never escaped again, and the database parses it once,
 * into the `jsonb` it stores. A `statement` insert's session lock is taken once (a materialised
 * CTE), and let go only after its commit lock is held (`written`'s row comes first).
 */
export async function insertEvents(db: Kysely<Database>, events: NewEvent[], log: InsertLog): Promise<Inserted> {
  const own = log.lock === 'statement';
  const locked = own ? sql`locked,` : log.lock === 'transaction' ? sql`${bothLogLocks} AS locked,` : sql``;
  const { rows } = await sql<{ seqs: string | null; recorded_at: Date }>`
    WITH ${own ? sql`locked AS MATERIALIZED (SELECT pg_advisory_lock(${logLockKey})),` : sql``}
    inserted AS (
      INSERT INTO events (id, type, actor, agent_id, task_id, decision_id, correlation_id, causation_id,
                          trace_id, span_id, idempotency_key, payload_hash, data)
      SELECT id, type, actor, agent_id, task_id, decision_id, correlation_id, causation_id,
             trace_id, span_id, idempotency_key, payload_hash, data
      FROM ${locked} ROWS FROM (jsonb_to_recordset(${rowsJson(events)}::jsonb) AS (
             id text, type text, actor text, agent_id text, task_id text, decision_id text, correlation_id text,
             causation_id text, trace_id text, span_id text, idempotency_key text, payload_hash text, data jsonb))
           WITH ORDINALITY AS e(id, type, actor, agent_id, task_id, decision_id, correlation_id, causation_id,
                                trace_id, span_id, idempotency_key, payload_hash, data, n)
      ORDER BY n
      ${log.skipStored ? sql`ON CONFLICT (idempotency_key) DO NOTHING` : sql``}
      RETURNING seq, recorded_at
    ),
    written AS MATERIALIZED (
      SELECT string_agg(seq::text, ',' ORDER BY seq) AS seqs, min(recorded_at) AS recorded_at, pg_notify(${log.notifyChannel}, max(seq)::text)
             ${own ? sql`, pg_advisory_xact_lock(${logCommitLockKey})` : sql``}
      FROM inserted
    )
    SELECT seqs, recorded_at ${own ? sql`, pg_advisory_unlock(${logLockKey})` : sql``} FROM written`.execute(db);
  const { seqs, recorded_at: recordedAt } = rows[0]!;
  return { seqs: seqs === null ? [] : seqs.split(',').map(Number), recordedAt };
}

/**
 * The events as a JSON array of rows named by column; a subject the event has not is left out
 * (null). Built as parts joined once. The id (time-ordered) and the payload hash (base64url) are
 * the hub's own, of characters JSON never escapes, so they go in as they are.
 */
function rowsJson(events: readonly NewEvent[]): string {
  const q = JSON.stringify;
  const parts: string[] = ['['];
  for (let i = 0; i < events.length; i++) {
    const e = events[i]!;
    parts.push(i === 0 ? '{"id":"' : ',{"id":"', e.id, '","type":', q(e.type), ',"actor":', q(e.actor), ',"idempotency_key":', q(e.idempotencyKey), ',"payload_hash":"', e.payloadHash, '"');
    if (e.agentId !== null) parts.push(',"agent_id":', q(e.agentId));
    if (e.taskId !== null) parts.push(',"task_id":', q(e.taskId));
    if (e.decisionId !== null) parts.push(',"decision_id":', q(e.decisionId));
    if (e.correlationId !== null) parts.push(',"correlation_id":', q(e.correlationId));
    if (e.causationId !== null) parts.push(',"causation_id":', q(e.causationId));
    if (e.traceId !== null) parts.push(',"trace_id":', q(e.traceId));
    if (e.spanId !== null) parts.push(',"span_id":', q(e.spanId));
    parts.push(',"data":', e.dataJson, '}');
  }
  parts.push(']');
  return parts.join('');
}
