import { type Kysely, sql } from 'kysely';
import type { Database } from '../db/schema.ts';

/** True when some event names the task (it was created, assigned or spent on). */
export async function taskKnown(db: Kysely<Database>, taskId: string): Promise<boolean> {
  const row = await db.selectFrom('events').select(sql<number>`1`.as('one')).where('task_id', '=', taskId).limit(1).executeTakeFirst();
  return row !== undefined;
}
