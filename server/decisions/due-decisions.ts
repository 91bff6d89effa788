import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';

/** Ids of pending decisions whose deadline is at or before `now`, oldest deadline first. */
export async function dueDecisionIds(db: Kysely<Database>, now: Date, limit: number): Promise<string[]> {
  const rows = await db
    .selectFrom('decisions')
    .select('id')
    .where('status', '=', 'pending')
    .where('expires_at', '<=', now)
    .orderBy('expires_at')
    .limit(limit)
    .execute();
  return rows.map((r) => r.id);
}
