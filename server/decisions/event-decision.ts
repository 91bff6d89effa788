import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { findEventById } from '../log/find-event.ts';

/** The decision a `decision.expired` event (by its id) expired, or undefined when it is no such event. */
export async function expiredDecisionOf(db: Kysely<Database>, eventId: string): Promise<string | undefined> {
  const event = await findEventById(db, eventId);
  return event?.type === 'decision.expired' ? event.decisionId : undefined;
}
