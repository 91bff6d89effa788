import type { Kysely } from 'kysely';
import type { EventEnvelope } from '../../contracts/index.ts';
import type { Database } from '../db/schema.ts';
import { envelopeOfRow } from './read-envelopes.ts';

/** The event with this public id, or undefined. */
export async function findEventById(db: Kysely<Database>, id: string): Promise<EventEnvelope | undefined> {
  const row = await db.selectFrom('events').selectAll().where('id', '=', id).executeTakeFirst();
  return row && envelopeOfRow(row);
}

/** The event stored under this idempotency key, or undefined when the key is free. */
export async function findEventByKey(db: Kysely<Database>, key: string): Promise<EventEnvelope | undefined> {
  const row = await db.selectFrom('events').selectAll().where('idempotency_key', '=', key).executeTakeFirst();
  return row && envelopeOfRow(row);
}
