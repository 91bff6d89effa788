import { type Kysely, sql } from 'kysely';
import type { Database } from '../db/schema.ts';
import { type EventFrame, wireOf } from './event.ts';
import type { EventFilter } from './filter.ts';

interface FrameRow {
  seq: string;
  id: string;
  type: string;
  actor: string;
  agent_id: string | null;
  task_id: string | null;
  decision_id: string | null;
  correlation_id: string | null;
  causation_id: string | null;
  recorded_at: Date;
  data_json: string;
}

/** Up to `limit` events after `after`, in `seq` order, optionally filtered; `data` stays as stored text. */
export async function readAfter(db: Kysely<Database>, after: number, limit: number, filter?: EventFilter): Promise<EventFrame[]> {
  const where = [sql`seq > ${after}`];
  if (filter?.types.length || filter?.typePrefixes.length) {
    where.push(sql`(type = ANY(${filter.types}::text[]) OR type ^@ ANY(${filter.typePrefixes}::text[]))`);
  }
  if (filter?.agentId !== undefined) where.push(sql`agent_id = ${filter.agentId}`);
  if (filter?.taskId !== undefined) where.push(sql`task_id = ${filter.taskId}`);
  const { rows } = await sql<FrameRow>`
    SELECT seq, id, type, actor, agent_id, task_id, decision_id, correlation_id, causation_id, recorded_at,
           data::text AS data_json
    FROM events WHERE ${sql.join(where, sql` AND `)} ORDER BY seq LIMIT ${limit}`.execute(db);
  return rows.map(frameOf);
}

/** The newest position in the log (0 when empty). */
export async function lastSeq(db: Kysely<Database>): Promise<number> {
  const { rows } = await sql<{ seq: string | null }>`SELECT max(seq) AS seq FROM events`.execute(db);
  return Number(rows[0]?.seq ?? 0);
}

function frameOf(r: FrameRow): EventFrame {
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
      recordedAt: r.recorded_at,
      dataJson: r.data_json,
    }),
  };
}
