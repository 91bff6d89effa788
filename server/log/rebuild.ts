import { type Kysely, sql } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { Projection } from './event.ts';
import { logLockKey } from './lock.ts';
import { readEnvelopesAfter } from './read-envelopes.ts';

/**
 * Empties every view and folds the whole log into them again, in one transaction that holds the
 * log lock: appends wait, readers see the old views until the new ones commit. Reactions are not
 * run: what they appended is already in the log.
 */
export async function rebuildViews(db: Kysely<Database>, projections: readonly Projection[], pageSize = 5000): Promise<number> {
  return db.transaction().execute(async (trx) => {
    await sql`SELECT pg_advisory_xact_lock(${logLockKey})`.execute(trx);
    const tables = projections.flatMap((p) => p.tables ?? []);
    if (tables.length > 0) await sql`TRUNCATE ${sql.join(tables.map((t) => sql.table(t)))}`.execute(trx);
    let after = 0;
    let count = 0;
    for (;;) {
      const page = await readEnvelopesAfter(trx, after, pageSize);
      for (const envelope of page) {
        for (const projection of projections) await projection.apply(trx, envelope);
      }
      count += page.length;
      if (page.length < pageSize) return count;
      after = page.at(-1)!.seq;
    }
  });
}
