import { type Kysely, type RawBuilder, type Transaction, sql } from 'kysely';
import type { Database } from '../db/schema.ts';

// Invariant 2 (commits in `seq` order) rests on two advisory locks, always taken in this order:
// - the insert lock: one append inserts at a time, so its seqs follow the last one's;
// - the commit lock: taken by an append once its rows are in, held until its commit is visible
//   (PostgreSQL lets a transaction's locks go only after it has become visible), so the next
//   append, whose seqs are higher, cannot become visible before it.
// An append in a transaction holds both until it commits. An append that is one statement (the
// insert-only group) lets the insert lock go as its statement ends, before its commit is flushed:
// the next append inserts while this one's WAL is written, and waits on the commit lock only
// if its own insert ends first.

/** The insert lock (`logLockKey`, held by every append while it inserts). */
export const logLockKey = 0x6d636c6f67;

/** The commit lock: held by an append from the end of its insert until its commit is visible. */
export const logCommitLockKey = 0x6d63636d74;

/** Held by `npm run rebuild` for its whole run, so two rebuilds never fold into the same copies of the views. */
export const rebuildLockKey = 0x6d63726231;

/** The channel a commit NOTIFYs: only a wake-up, readers go to the table. */
export const notifyChannel = 'mc_events';

/**
 * One row, once both log locks are held until the transaction ends: the insert lock first, then
 * the commit lock (the subquery, fenced by OFFSET 0, is read before the outer row is made).
 */
export const bothLogLocks: RawBuilder<unknown> = sql`(SELECT pg_advisory_xact_lock(${logCommitLockKey}) FROM (SELECT pg_advisory_xact_lock(${logLockKey}) OFFSET 0) AS insert_lock OFFSET 0)`;

/** Takes both log locks until the transaction ends: no other append inserts or commits before it does. */
export async function takeLogLock(trx: Transaction<Database>): Promise<void> {
  await sql`SELECT 1 FROM ${bothLogLocks} AS log_locks`.execute(trx);
}

/**
 * After a failed one-statement append on `conn`: lets go of the insert lock, which that statement
 * took for its session and would otherwise keep past its failure, blocking every append. The
 * hub's pooled connections hold no other session lock.
 */
export async function releaseInsertLock(conn: Kysely<Database>): Promise<void> {
  await sql`SELECT pg_advisory_unlock_all()`.execute(conn);
}
