import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';

/** This log's id, made once by its migration and never changed. */
export async function readLogId(db: Kysely<Database>): Promise<string> {
  const row = await db.selectFrom('hub_identity').select('id').executeTakeFirstOrThrow();
  return row.id;
}
