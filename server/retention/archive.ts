import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import { type Kysely, type Selectable, sql } from 'kysely';
import { sightingSeqs } from '../agents/store.ts';
import type { Database, EventsTable } from '../db/schema.ts';
import { firstSeqAt } from '../log/first-seq-at.ts';
import { wireSql } from '../log/read-after.ts';
import { type RetentionRule, ruleFor } from './model.ts';

const gzipped = promisify(gzip);

export interface ArchiveLimits {
  /** Most events in one archive (one transaction). */
  chunkEvents: number;
  /** Most events one pass moves, so a pass over a long backlog stays short; the next pass goes on. */
  passEvents: number;
}

export interface ArchivePass {
  /** Events moved into archives, by type. */
  moved: Record<string, number>;
  archives: number;
}

/**
 * Moves the events older than their rule's age out of the log into archives, a type and a run of
 * seqs at a time: each archive is written and its events deleted in one transaction (the log's
 * trigger refuses a DELETE no archive covers). The events the agents view takes each agent's first
 * and latest sighting from stay, so a rebuild gives the same views.
 */
export async function archiveAged(db: Kysely<Database>, rules: readonly RetentionRule[], now: Date, limits: ArchiveLimits): Promise<ArchivePass> {
  const pass: ArchivePass = { moved: {}, archives: 0 };
  if (rules.length === 0) return pass;
  let budget = limits.passEvents;
  const boundaries = new Map<number, number>();
  for (const type of await typesInLog(db)) {
    const rule = ruleFor(rules, type);
    if (rule === undefined) continue;
    const cutoff = new Date(now.getTime() - rule.ageMs);
    // Every event from this seq on was recorded after the cutoff: the scan stops there.
    let boundary = boundaries.get(rule.ageMs);
    if (boundary === undefined) boundaries.set(rule.ageMs, (boundary = await firstSeqAt(db, cutoff)));
    let after = 0;
    while (budget > 0) {
      const rows = await agedRows(db, type, after, boundary, cutoff, Math.min(limits.chunkEvents, budget));
      if (rows.length === 0) break;
      after = Number(rows.at(-1)!.seq);
      const kept = await sightingSeqs(db, [...new Set(rows.flatMap((r) => (r.agent_id === null ? [] : [r.agent_id])))]);
      const moving = rows.filter((r) => !kept.has(Number(r.seq)));
      if (moving.length > 0) {
        await moveToArchive(db, type, moving);
        pass.moved[type] = (pass.moved[type] ?? 0) + moving.length;
        pass.archives += 1;
      }
      budget -= rows.length;
    }
  }
  return pass;
}

/** The distinct types in the log, by a skip over the (type, seq) index: one probe per type. */
async function typesInLog(db: Kysely<Database>): Promise<string[]> {
  const { rows } = await sql<{ type: string }>`
    WITH RECURSIVE t(type) AS (
      (SELECT type FROM events ORDER BY type LIMIT 1)
      UNION ALL
      SELECT (SELECT e.type FROM events e WHERE e.type > t.type ORDER BY e.type LIMIT 1) FROM t WHERE t.type IS NOT NULL
    )
    SELECT type FROM t WHERE type IS NOT NULL`.execute(db);
  return rows.map((r) => r.type);
}

/** An aged event as archived: its envelope text, as `GET /events` serves it. */
type AgedRow = Pick<Selectable<EventsTable>, 'seq' | 'agent_id' | 'recorded_at'> & { wire: string };

function agedRows(db: Kysely<Database>, type: string, after: number, boundary: number, cutoff: Date, limit: number): Promise<AgedRow[]> {
  return sql<AgedRow>`
    SELECT seq, agent_id, recorded_at, ${wireSql} AS wire
    FROM events
    WHERE type = ${type} AND seq > ${after} AND seq < ${boundary} AND recorded_at < ${cutoff}
    ORDER BY seq LIMIT ${limit}`
    .execute(db)
    .then((r) => r.rows);
}

async function moveToArchive(db: Kysely<Database>, type: string, rows: readonly AgedRow[]): Promise<void> {
  const ndjson = Buffer.from(`${rows.map((r) => r.wire).join('\n')}\n`);
  const packed = await gzipped(ndjson);
  const seqs = rows.map((r) => r.seq);
  const times = rows.map((r) => r.recorded_at.getTime());
  await db.transaction().execute(async (trx) => {
    await sql`
      INSERT INTO event_archives (type, first_seq, last_seq, first_at, last_at, events, raw_bytes, ndjson_gz)
      VALUES (${type}, ${seqs[0]}, ${seqs.at(-1)}, ${new Date(Math.min(...times))}, ${new Date(Math.max(...times))}, ${rows.length}, ${ndjson.length}, ${packed})`.execute(trx);
    const deleted = await sql`DELETE FROM events WHERE seq = ANY(${seqs}::bigint[])`.execute(trx);
    // Only this job deletes, and only what it read: any other count means the log moved under it.
    if (Number(deleted.numAffectedRows) !== rows.length) throw new Error(`archiving ${type}: ${deleted.numAffectedRows} events deleted for ${rows.length} archived`);
  });
}
