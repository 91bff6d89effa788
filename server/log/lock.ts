import { type Transaction, sql } from 'kysely';
import type { Database } from '../db/schema.ts';

/** Every append transaction takes this advisory lock, so commits happen in `seq` order (invariant 2). */
export const logLockKey = 0x6d636c6f67;

/** Held by `npm run rebuild` for its whole run, so two rebuilds never fold into the same copies of the views. */
export const rebuildLockKey = 0x6d63726231;

/** The channel a commit NOTIFYs: only a wake-up, readers go to the table. */
export const notifyChannel = 'mc_events';

/** Takes the log lock (`key`, the log's own but for tests) until the transaction ends. */
export async function takeLogLock(trx: Transaction<Database>, key = logLockKey): Promise<void> {
  await sql`SELECT pg_advisory_xact_lock(${key})`.execute(trx);
}
