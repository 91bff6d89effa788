import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { lastSeqOf } from '../log/event-query.ts';
import { type PauseAllMarks, isPausedAll } from './rules.ts';

/** Where the last `hub.paused_all` and `hub.resumed_all` sit in the log (two index lookups). */
export async function pauseAllMarks(db: Kysely<Database>): Promise<PauseAllMarks> {
  const paused = await lastSeqOf(db, { type: 'hub.paused_all' });
  const resumed = await lastSeqOf(db, { type: 'hub.resumed_all' });
  return { pausedSeq: paused ?? null, resumedSeq: resumed ?? null };
}

/** True while the hub is paused as a whole (for `/spawn` to refuse); inside a command, it sees the latest state. */
export async function hubPausedAll(db: Kysely<Database>): Promise<boolean> {
  return isPausedAll(await pauseAllMarks(db));
}
