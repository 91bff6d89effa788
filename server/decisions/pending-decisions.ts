import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';

/** How many decisions wait for an answer (counted on the partial index of pending decisions). */
export async function countPendingDecisions(db: Kysely<Database>): Promise<number> {
  const row = await db.selectFrom('decisions').select((eb) => eb.fn.countAll<string>().as('n')).where('status', '=', 'pending').executeTakeFirstOrThrow();
  return Number(row.n);
}

/** When the oldest pending decision was asked, or undefined when none waits (one probe of the status, created_at index). */
export async function oldestPendingAskedAt(db: Kysely<Database>): Promise<Date | undefined> {
  const row = await db.selectFrom('decisions').select('created_at').where('status', '=', 'pending').orderBy('created_at').limit(1).executeTakeFirst();
  return row?.created_at;
}
