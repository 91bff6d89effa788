import { type Kysely, sql } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { Projection } from './event.ts';
import { logLockKey } from './lock.ts';
import type { PageSize } from './read-after.ts';
import { readEnvelopesAfter } from './read-envelopes.ts';

/**
 * Empties every view and folds the whole log into them again, in one transaction that holds the
 * log lock: appends wait, readers see the old views until the new ones commit. Reactions are not
 * run: what they appended is already in the log.
 */
export async function rebuildViews(db: Kysely<Database>, projections: readonly Projection[], size: PageSize = { limit: 5000, maxBytes: 4 * 1024 * 1024 }): Promise<number> {
  return db.transaction().execute(async (trx) => {
    await sql`SELECT pg_advisory_xact_lock(${logLockKey})`.execute(trx);
    const tables = projections.flatMap((p) => p.tables ?? []);
    if (tables.length > 0) await sql`TRUNCATE ${sql.join(tables.map((t) => sql.table(t)))}`.execute(trx);
    let after = 0;
    let count = 0;
    for (;;) {
      const { envelopes, full } = await readEnvelopesAfter(trx, after, size);
      for (const envelope of envelopes) {
        for (const projection of projections) await projection.apply(trx, envelope);
      }
      count += envelopes.length;
      if (!full) return count;
      after = envelopes.at(-1)!.seq;
    }
  });
}
