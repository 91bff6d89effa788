import type { Transaction } from 'kysely';
import type { Database } from '../db/schema.ts';
import { lastSeqOf } from '../log/event-query.ts';

/** The `seq` of the last `hub.loop_detected` about this task (0 when none): what happened before it is settled. */
export async function lastLoopAlertSeq(trx: Transaction<Database>, taskId: string): Promise<number> {
  return (await lastSeqOf(trx, { type: 'hub.loop_detected', taskId })) ?? 0;
}
