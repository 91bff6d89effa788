import { type Kysely, type RawBuilder, type Selectable, sql } from 'kysely';
import type { Database, EventsTable } from '../db/schema.ts';
import type { EventFrame } from './event.ts';
import type { EventFilter } from './filter.ts';
import { searchMatch } from './search.ts';

/** A row as read for the wire: what readers filter on, `seq` as int8 text, and the envelope's JSON text. */
export type FrameRow = Pick<Selectable<EventsTable>, 'seq' | 'type' | 'agent_id' | 'task_id'> & { wire: string };

/** The envelope's subjects and tracing ids, each with its column, in the envelope's order. */
const subjectColumns = [
  ['agentId', 'agent_id'],
  ['taskId', 'task_id'],
  ['decisionId', 'decision_id'],
  ['correlationId', 'correlation_id'],
  ['causationId', 'causation_id'],
  ['traceId', 'trace_id'],
  ['spanId', 'span_id'],
] as const;

/**
 * The envelope's JSON text, built by PostgreSQL from the row: stored `data` is never parsed and
 * re-serialised, and no `Date` is made and printed per event (a replay's hub is bound by its
 * JavaScript; the database's string building is C). `to_json` escapes as `JSON.stringify` does;
 * a subject that is NULL makes its part NULL, which `coalesce` drops, so the envelope has only the
 * subjects it has; the time is cut to milliseconds, as `Date#toISOString` prints it. (`||` rather
 * than `concat`, which looks up an output function per argument: a third of the cost.)
 */
export const wireSql = sql<string>`'{"seq":' || seq::text || ',"id":' || to_json(id)::text || ',"type":' || to_json(type)::text || ',"actor":' || to_json(actor)::text
  || ${sql.join(
    subjectColumns.map(([name, column]) => sql`coalesce(${sql.lit(`,"${name}":`)} || to_json(${sql.ref(column)})::text, '')`),
    sql` || `,
  )}
  || ',"recordedAt":"' || to_char(recorded_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') || '","data":' || data::text || '}'`;

/** How much one read may take: at most `limit` events, and no more once their envelopes reach `maxBytes`. */
export interface PageSize {
  limit: number;
  maxBytes: number;
}

/** Events read in one go, and whether the read stopped at its size (more may follow right after). */
export interface FramePage {
  frames: EventFrame[];
  full: boolean;
}

/**
 * The events after `after`, in `seq` order, optionally filtered, each with its envelope's text: at
 * most `size.limit`, and none past the one whose envelope reaches `size.maxBytes` (so a page holds
 * at least one event and at most the budget plus one event). The database does the counting, so
 * the hub never holds more than that.
 */
export function readAfter(db: Kysely<Database>, after: number, size: PageSize, filter?: EventFilter): Promise<FramePage> {
  return readPage(db, { after }, size, filter);
}

/** The events before `before`, newest first, cut like `readAfter`'s pages (the budget drops the oldest). */
export function readBefore(db: Kysely<Database>, before: number, size: PageSize, filter?: EventFilter): Promise<FramePage> {
  return readPage(db, { before }, size, filter);
}

async function readPage(db: Kysely<Database>, from: PageStart, size: PageSize, filter?: EventFilter): Promise<FramePage> {
  const { rows } = await pageQuery(from, size, filter).execute(db);
  const last = rows.at(-1);
  // Full when it stopped at its count, or at its bytes (the last row reaches the budget): more may follow.
  const full = rows.length === size.limit || (last !== undefined && Number(last.before) + Buffer.byteLength(last.wire) >= size.maxBytes);
  return { frames: rows.map(frameOf), full };
}

/** Rows a streamed page hands over at most at a time. */
const streamChunkRows = 1000;

/**
 * The page `readAfter` reads, handed to `onRows` a chunk at a time as its rows arrive (the
 * dialect's cursor, `RowStream`), rather than gathered into frames first: a replay turns each
 * chunk into text and lets it go, so the hub's heap never holds a page of rows and the collector
 * has little to move (a replay of 100,000 events spent a third of the hub's time collecting the
 * pages it held). Returns how many events the page held.
 */
export async function streamAfter(db: Kysely<Database>, after: number, size: PageSize, filter: EventFilter | undefined, onRows: (rows: readonly FrameRow[]) => void): Promise<number> {
  let events = 0;
  for await (const { rows } of db.getExecutor().stream(pageQuery({ after }, size, filter).compile(db), streamChunkRows)) {
    events += rows.length;
    onRows(rows);
  }
  return events;
}

/** Where a page starts: after a cursor, oldest first; or before one, newest first. */
export type PageStart = { after: number } | { before: number };

/** The one statement of a page read (a test EXPLAINs it to see the indexes it uses). */
export function pageQuery(from: PageStart, size: PageSize, filter?: EventFilter): RawBuilder<FrameRow & { before: string }> {
  const order = 'after' in from ? 'asc' : 'desc';
  const where = ['after' in from ? sql`seq > ${from.after}` : sql`seq < ${from.before}`];
  if (filter?.types.length || filter?.typePrefixes.length) {
    where.push(sql`(type = ANY(${filter.types}::text[]) OR type ^@ ANY(${filter.typePrefixes}::text[]))`);
  }
  if (filter?.agentId !== undefined) where.push(sql`agent_id = ${filter.agentId}`);
  if (filter?.taskId !== undefined) where.push(sql`task_id = ${filter.taskId}`);
  if (filter?.projectId !== undefined) {
    const p = filter.projectId;
    where.push(
      sql`(agent_id IN (SELECT id FROM agents WHERE project_id = ${p}) OR task_id IN (SELECT id FROM tasks WHERE project_id = ${p}) OR decision_id IN (SELECT id FROM decisions WHERE project_id = ${p}))`,
    );
  }
  if (filter?.search !== undefined) where.push(searchMatch(filter.search));
  const direction = sql.raw(order);
  return sql<FrameRow & { before: string }>`
    SELECT * FROM (
      SELECT page.*, sum(octet_length(wire)) OVER (ORDER BY seq ${direction}) - octet_length(wire) AS before
      FROM (
        SELECT seq, type, agent_id, task_id, ${wireSql} AS wire
        FROM events WHERE ${sql.join(where, sql` AND `)} ORDER BY seq ${direction} LIMIT ${size.limit}
      ) page
    ) sized
    WHERE before < ${size.maxBytes} ORDER BY seq ${direction}`;
}

/** The newest position in the log (0 when empty). */
export async function lastSeq(db: Kysely<Database>): Promise<number> {
  const { rows } = await sql<{ seq: string | null }>`SELECT max(seq) AS seq FROM events`.execute(db);
  return Number(rows[0]?.seq ?? 0);
}

/** A stored row as the frame every reader is served. */
export function frameOf(r: FrameRow): EventFrame {
  return { seq: Number(r.seq), type: r.type, agentId: r.agent_id, taskId: r.task_id, wire: r.wire };
}
