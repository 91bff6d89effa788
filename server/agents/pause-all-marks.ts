import { type Kysely, sql } from 'kysely';
import type { Database } from '../db/schema.ts';
import { type PauseAllMarks, isPausedAll } from './rules.ts';

/** Where the last `hub.paused_all` and `hub.resumed_all` sit in the log (two index lookups). */
export async function pauseAllMarks(db: Kysely<Database>): Promise<PauseAllMarks> {
  const { rows } = await sql<{ paused: string | null; resumed: string | null }>`
    SELECT (SELECT max(seq) FROM events WHERE type = 'hub.paused_all') AS paused,
           (SELECT max(seq) FROM events WHERE type = 'hub.resumed_all') AS resumed`.execute(db);
  const row = rows[0];
  return { pausedSeq: row?.paused != null ? Number(row.paused) : null, resumedSeq: row?.resumed != null ? Number(row.resumed) : null };
}

/** True while the hub is paused as a whole (for `/spawn` to refuse); inside a command, it sees the latest state. */
export async function hubPausedAll(db: Kysely<Database>): Promise<boolean> {
  return isPausedAll(await pauseAllMarks(db));
}
