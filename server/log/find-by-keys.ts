import { type Transaction, sql } from 'kysely';
import type { Database } from '../db/schema.ts';

export interface KeyedEvent {
  id: string;
  seq: number;
  payloadHash: string;
}

/** The events already stored under any of these idempotency keys, by key. */
export async function findByIdempotencyKeys(trx: Transaction<Database>, keys: string[]): Promise<Map<string, KeyedEvent>> {
  const { rows } = await sql<{ idempotency_key: string; id: string; seq: string; payload_hash: string }>`
    SELECT idempotency_key, id, seq, payload_hash FROM events WHERE idempotency_key = ANY(${keys}::text[])`.execute(trx);
  return new Map(rows.map((r) => [r.idempotency_key, { id: r.id, seq: Number(r.seq), payloadHash: r.payload_hash }]));
}
