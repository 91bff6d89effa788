import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { findEvents } from '../log/event-query.ts';

/** True when some event names the task (it was created, assigned or spent on). */
export async function taskKnown(db: Kysely<Database>, taskId: string): Promise<boolean> {
  return (await findEvents(db, { taskId }, 1)).length > 0;
}
