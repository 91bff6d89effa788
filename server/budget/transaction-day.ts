import { type Kysely, sql } from 'kysely';
import type { Database } from '../db/schema.ts';

/** Today's UTC date as the database sees it in this transaction: the day an event appended now is recorded on. */
export async function transactionDay(db: Kysely<Database>): Promise<string> {
  const { rows } = await sql<{ day: string }>`SELECT to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day`.execute(db);
  return rows[0]!.day;
}
