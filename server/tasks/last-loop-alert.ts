import { type Transaction, sql } from 'kysely';
import type { Database } from '../db/schema.ts';

/** The `seq` of the last `hub.loop_detected` about this task (0 when none): what happened before it is settled. */
export async function lastLoopAlertSeq(trx: Transaction<Database>, taskId: string): Promise<number> {
  const { rows } = await sql<{ seq: string | null }>`
    SELECT max(seq) AS seq FROM events WHERE task_id = ${taskId} AND type = 'hub.loop_detected'`.execute(trx);
  return Number(rows[0]?.seq ?? 0);
}
