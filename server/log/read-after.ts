import { type Kysely, type RawBuilder, type Selectable, sql } from 'kysely';
import type { Database, EventsTable } from '../db/schema.ts';
import { type EventFrame, wireOf } from './event.ts';
import type { EventFilter } from './filter.ts';
import { searchMatch } from './search.ts';

// A row as read for the wire: the stored columns but `data`, which comes as its JSON text, and `seq` as int8 text.
export type FrameRow = Omit<Selectable<EventsTable>, 'seq' | 'data' | 'idempotency_key' | 'payload_hash'> & { seq: string; data_json: string };

/** How much one read may take: at most `limit` events, and no more once their data reaches `maxBytes`. */
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
 * The events after `after`, in `seq` order, optionally filtered, with `data` as stored text: at
 * most `size.limit`, and none past the one whose data reaches `size.maxBytes` (so a page holds
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
  const full = rows.length === size.limit || (last !== undefined && Number(last.before) + Buffer.byteLength(last.data_json) >= size.maxBytes);
  return { frames: rows.map(frameOf), full };
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
      SELECT page.*, sum(octet_length(data_json)) OVER (ORDER BY seq ${direction}) - octet_length(data_json) AS before
      FROM (
        SELECT seq, id, type, actor, agent_id, task_id, decision_id, correlation_id, causation_id, trace_id, span_id, recorded_at,
               data::text AS data_json
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

/** A stored row as the envelope served on the wire. */
export function frameOf(r: FrameRow): EventFrame {
  const seq = Number(r.seq);
  return {
    seq,
    type: r.type,
    agentId: r.agent_id,
    taskId: r.task_id,
    wire: wireOf({
      seq,
      id: r.id,
      type: r.type,
      actor: r.actor,
      agentId: r.agent_id,
      taskId: r.task_id,
      decisionId: r.decision_id,
      correlationId: r.correlation_id,
      causationId: r.causation_id,
      traceId: r.trace_id,
      spanId: r.span_id,
      recordedAt: r.recorded_at,
      dataJson: r.data_json,
    }),
  };
}
