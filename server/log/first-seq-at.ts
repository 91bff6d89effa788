import { type Kysely, sql } from 'kysely';
import type { Database } from '../db/schema.ts';

// The log has no index on `recorded_at`, so that appends do not pay for one. `recorded_at` is the
// start of the appending transaction, whose first statement takes the log lock that orders `seq`:
// it follows `seq` to within one wait for that lock (milliseconds), all a window's edge can be off by.

/**
 * The smallest `seq` from which every event was recorded at or after `at` (past the head when none
 * was): a binary search over `seq`, one primary-key probe per step, about 40 for a trillion
 * events. Gaps in `seq` are fine: a probe reads the first event at or after its midpoint.
 */
export async function firstSeqAt(db: Kysely<Database>, at: Date): Promise<number> {
  const { rows } = await sql<{ lo: string }>`
    WITH RECURSIVE probe(lo, hi) AS (
      SELECT 0::bigint, coalesce((SELECT max(seq) FROM events), 0) + 1
      UNION ALL
      SELECT CASE WHEN p.within THEN b.lo ELSE (b.lo + b.hi) / 2 + 1 END,
             CASE WHEN p.within THEN (b.lo + b.hi) / 2 ELSE b.hi END
      FROM probe b
      CROSS JOIN LATERAL (
        SELECT coalesce((SELECT e.recorded_at >= ${at} FROM events e WHERE e.seq >= (b.lo + b.hi) / 2 ORDER BY e.seq LIMIT 1), true) AS within
      ) p
      WHERE b.lo < b.hi
    )
    SELECT lo FROM probe WHERE lo >= hi`.execute(db);
  return Number(rows[0]!.lo);
}
