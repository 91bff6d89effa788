import { type Transaction, sql } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { NewEvent } from './event.ts';

export interface InsertedEvent {
  idempotencyKey: string;
  seq: number;
  recordedAt: Date;
}

/**
 * Writes events in the given order with one statement (one round trip, one plan whatever the
 * count); the caller holds the log lock, so `seq` follows the order given.
 */
export async function insertEvents(trx: Transaction<Database>, events: NewEvent[]): Promise<InsertedEvent[]> {
  const column = <K extends keyof NewEvent>(k: K) => events.map((e) => e[k]);
  const { rows } = await sql<{ idempotency_key: string; seq: string; recorded_at: Date }>`
    INSERT INTO events (id, type, actor, agent_id, task_id, decision_id, correlation_id, causation_id,
                        trace_id, span_id, idempotency_key, payload_hash, data)
    SELECT id, type, actor, agent_id, task_id, decision_id, correlation_id, causation_id,
           trace_id, span_id, idempotency_key, payload_hash, data::jsonb
    FROM unnest(${column('id')}::text[], ${column('type')}::text[], ${column('actor')}::text[],
                ${column('agentId')}::text[], ${column('taskId')}::text[], ${column('decisionId')}::text[],
                ${column('correlationId')}::text[], ${column('causationId')}::text[],
                ${column('traceId')}::text[], ${column('spanId')}::text[],
                ${column('idempotencyKey')}::text[], ${column('payloadHash')}::text[], ${column('dataJson')}::text[])
         WITH ORDINALITY AS e(id, type, actor, agent_id, task_id, decision_id, correlation_id, causation_id,
                              trace_id, span_id, idempotency_key, payload_hash, data, n)
    ORDER BY n
    RETURNING idempotency_key, seq, recorded_at`.execute(trx);
  return rows.map((r) => ({ idempotencyKey: r.idempotency_key, seq: Number(r.seq), recordedAt: r.recorded_at }));
}
