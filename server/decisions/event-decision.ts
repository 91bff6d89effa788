import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';

/** The type and decision of the event stored under an idempotency key, or undefined when the key is free. */
export async function eventByKey(db: Kysely<Database>, key: string): Promise<{ type: string; decisionId: string | null } | undefined> {
  const row = await db.selectFrom('events').select(['type', 'decision_id']).where('idempotency_key', '=', key).executeTakeFirst();
  return row === undefined ? undefined : { type: row.type, decisionId: row.decision_id };
}

/** The decision a `decision.expired` event (by its id) expired, or undefined when it is no such event. */
export async function expiredDecisionOf(db: Kysely<Database>, eventId: string): Promise<string | undefined> {
  const row = await db
    .selectFrom('events')
    .select('decision_id')
    .where('id', '=', eventId)
    .where('type', '=', 'decision.expired')
    .executeTakeFirst();
  return row?.decision_id ?? undefined;
}
