import { type Kysely, type Transaction, sql } from 'kysely';
import type { Database } from '../db/schema.ts';
import { type Projection, applyEvents } from './event.ts';
import { rebuildLockKey, takeLogLock } from './lock.ts';
import type { PageSize } from './read-after.ts';
import { readEnvelopesAfter } from './read-envelopes.ts';

/** Where a rebuild folds the log: copies of the view tables, beside the live ones until the end. */
const shadow = 'mc_rebuild';

export interface RebuildProgress {
  /** Events folded so far, in this run and any interrupted run it resumed. */
  folded: number;
  /** Events to fold in all, as far as the log went when this run started. */
  total: number;
  /** Events per second in this run. */
  rate: number;
  /** Seconds left at that rate; undefined until there is a rate. */
  etaSeconds: number | undefined;
}

export interface RebuildOptions {
  size?: PageSize;
  /** Events folded per committed step: what an interruption can lose. */
  stepEvents?: number;
  /** Called after each committed step and once at the end. */
  onProgress?(progress: RebuildProgress): void;
  /** Told when the run goes on from an interrupted one, with the events already folded. */
  onResume?(folded: number): void;
  /** Stops after the current step; the next run goes on from there. */
  signal?: AbortSignal;
}

export interface RebuildResult {
  /** Events folded into the views, all runs together. */
  folded: number;
  /** False when stopped by `signal`: the live views are untouched and the next run resumes. */
  finished: boolean;
}

/**
 * Folds the whole log into fresh copies of the views (schema `mc_rebuild`), in committed steps
 * that record how far they got, so an interrupted rebuild resumes where it stopped. Meanwhile the
 * live views serve readers and appends go on. The last step takes the log lock, folds what was
 * appended since, and replaces the live rows with the rebuilt ones in one transaction. Reactions
 * are not run: what they appended is already in the log.
 */
export async function rebuildViews(db: Kysely<Database>, projections: readonly Projection[], options: RebuildOptions = {}): Promise<RebuildResult> {
  const size = options.size ?? { limit: 5000, maxBytes: 4 * 1024 * 1024 };
  const stepEvents = options.stepEvents ?? 50_000;
  const tables = projections.flatMap((p) => p.tables ?? []);
  return db.connection().execute(async (conn) => {
    const { rows } = await sql<{ locked: boolean }>`SELECT pg_try_advisory_lock(${rebuildLockKey}) AS locked`.execute(conn);
    if (!rows[0]!.locked) throw new Error('another rebuild is running on this database; wait for it to end');
    try {
      const live = await liveSchema(conn);
      let after = await resumePoint(conn, live, tables);
      let folded = after === 0 ? 0 : await countUpTo(conn, after);
      if (folded > 0) options.onResume?.(folded);
      const total = folded + (await countAfter(conn, after));
      const started = performance.now();
      const foldedBefore = folded;
      const report = () => {
        const rate = (folded - foldedBefore) / Math.max((performance.now() - started) / 1000, 0.001);
        options.onProgress?.({ folded, total, rate, etaSeconds: rate > 0 ? Math.max(total - folded, 0) / rate : undefined });
      };
      const foldStep = async (trx: Transaction<Database>, limit: number) => {
        await sql`SELECT set_config('search_path', ${`"${shadow}", "${live}"`}, true)`.execute(trx);
        let stepped = 0;
        for (;;) {
          const { envelopes, full } = await readEnvelopesAfter(trx, after, { ...size, limit: Math.min(size.limit, limit - stepped) });
          await applyEvents(trx, projections, envelopes);
          stepped += envelopes.length;
          if (envelopes.length > 0) after = envelopes.at(-1)!.seq;
          if (!full || stepped >= limit) break;
        }
        await sql`UPDATE ${sql.table(`${shadow}.progress`)} SET after = ${after}`.execute(trx);
        folded += stepped;
        return stepped;
      };
      while (folded < total) {
        if (options.signal?.aborted) return { folded, finished: false };
        const stepped = await conn.transaction().execute((trx) => foldStep(trx, stepEvents));
        report();
        if (stepped === 0) break;
      }
      if (options.signal?.aborted) return { folded, finished: false };
      await conn.transaction().execute(async (trx) => {
        await takeLogLock(trx);
        while ((await foldStep(trx, Number.POSITIVE_INFINITY)) > 0);
        await sql`SELECT set_config('search_path', ${`"${live}"`}, true)`.execute(trx);
        if (tables.length > 0) await sql`TRUNCATE ${sql.join(tables.map((t) => sql.table(`${live}.${t}`)))}`.execute(trx);
        for (const t of tables) await sql`INSERT INTO ${sql.table(`${live}.${t}`)} SELECT * FROM ${sql.table(`${shadow}.${t}`)}`.execute(trx);
        await sql`DROP SCHEMA ${sql.id(shadow)} CASCADE`.execute(trx);
      });
      report();
      return { folded, finished: true };
    } finally {
      await sql`SELECT pg_advisory_unlock(${rebuildLockKey})`.execute(conn);
    }
  });
}

/** "rebuild: 420,000 of 1,000,000 events (42%), 35,100 events/s, about 17 s left" */
export function describeProgress(p: RebuildProgress): string {
  const n = (value: number) => Math.round(value).toLocaleString('en-US');
  const share = p.total > 0 ? Math.min(100, Math.floor((p.folded / p.total) * 100)) : 100;
  const eta = p.etaSeconds === undefined ? '' : p.folded >= p.total ? ', done' : `, about ${n(Math.ceil(p.etaSeconds))} s left`;
  return `rebuild: ${n(p.folded)} of ${n(p.total)} events (${share}%), ${n(p.rate)} events/s${eta}`;
}

/** The schema the views live in (the first of the connection's search path). */
async function liveSchema(db: Kysely<Database>): Promise<string> {
  const { rows } = await sql<{ schema: string }>`SELECT current_schema() AS schema`.execute(db);
  return rows[0]!.schema;
}

/**
 * Where to start: after the events an interrupted rebuild of the same views folded, or at the
 * beginning with empty copies of the view tables (a copy of other views is dropped).
 */
async function resumePoint(db: Kysely<Database>, live: string, tables: readonly string[]): Promise<number> {
  const views = tables.join(',');
  const { rows: exists } = await sql<{ found: boolean }>`SELECT to_regclass(${`${shadow}.progress`}) IS NOT NULL AS found`.execute(db);
  const { rows: kept } = exists[0]!.found ? await sql<{ after: string; views: string }>`SELECT after, views FROM ${sql.table(`${shadow}.progress`)}`.execute(db) : { rows: [] };
  if (kept[0]?.views === views) return Number(kept[0].after);
  await db.transaction().execute(async (trx) => {
    await sql`DROP SCHEMA IF EXISTS ${sql.id(shadow)} CASCADE`.execute(trx);
    await sql`CREATE SCHEMA ${sql.id(shadow)}`.execute(trx);
    for (const t of tables) await sql`CREATE TABLE ${sql.table(`${shadow}.${t}`)} (LIKE ${sql.table(`${live}.${t}`)} INCLUDING ALL)`.execute(trx);
    await sql`CREATE TABLE ${sql.table(`${shadow}.progress`)} (after bigint NOT NULL, views text NOT NULL)`.execute(trx);
    await sql`INSERT INTO ${sql.table(`${shadow}.progress`)} (after, views) VALUES (0, ${views})`.execute(trx);
  });
  return 0;
}

async function countUpTo(db: Kysely<Database>, seq: number): Promise<number> {
  const { rows } = await sql<{ n: string }>`SELECT count(*) AS n FROM events WHERE seq <= ${seq}`.execute(db);
  return Number(rows[0]!.n);
}

async function countAfter(db: Kysely<Database>, seq: number): Promise<number> {
  const { rows } = await sql<{ n: string }>`SELECT count(*) AS n FROM events WHERE seq > ${seq}`.execute(db);
  return Number(rows[0]!.n);
}
