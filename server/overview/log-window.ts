import { type Kysely, type RawBuilder, sql } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { FailureRow, HealRow } from './rules.ts';

// Reads of the log for `GET /overview`, each bounded by an index: the primary key on `seq` or
// (type, seq). The log has no index on `recorded_at` (every append would pay for one), so a time
// window's first event is found by a binary search over `seq` (`firstSeqAt`), and the window's
// events are counted through the primary key from there.

/** True for an event about an agent, a task or a decision of the project (as `GET /events?project=` reads it). */
function aboutProject(projectId: string | undefined): RawBuilder<boolean> {
  if (projectId === undefined) return sql<boolean>`true`;
  return sql<boolean>`(e.agent_id IN (SELECT id FROM agents WHERE project_id = ${projectId})
    OR e.task_id IN (SELECT id FROM tasks WHERE project_id = ${projectId})
    OR e.decision_id IN (SELECT id FROM decisions WHERE project_id = ${projectId}))`;
}

/** Events from `minuteSeq` and from `hourSeq` (`hourSeq` <= `minuteSeq`): one walk of the primary key over the hour. */
export async function countEventsFrom(db: Kysely<Database>, bounds: { minuteSeq: number; hourSeq: number }, projectId: string | undefined): Promise<{ lastMinute: number; lastHour: number }> {
  const { rows } = await sql<{ minute: number; hour: number }>`
    SELECT count(*) FILTER (WHERE e.seq >= ${bounds.minuteSeq})::int AS minute, count(*)::int AS hour
    FROM events e
    WHERE e.seq >= ${bounds.hourSeq} AND ${aboutProject(projectId)}`.execute(db);
  return { lastMinute: rows[0]!.minute, lastHour: rows[0]!.hour };
}

/** The last `limit` `agent.failed` events, newest first, with their agent's name (read backwards on the (type, seq) index). */
export async function lastFailures(db: Kysely<Database>, projectId: string | undefined, limit: number): Promise<FailureRow[]> {
  const { rows } = await sql<FailureRow & { seq: string }>`
    SELECT e.seq, e.id, e.agent_id AS "agentId", a.name AS "agentName", coalesce(e.data->>'error', '') AS error, e.recorded_at AS "recordedAt"
    FROM events e LEFT JOIN agents a ON a.id = e.agent_id
    WHERE e.type = 'agent.failed' AND ${aboutProject(projectId)}
    ORDER BY e.seq DESC
    LIMIT ${limit}`.execute(db);
  return rows.map((r) => ({ ...r, seq: Number(r.seq) }));
}

/**
 * The last `limit` heals (`heal.completed`, `heal.escalated`), newest first: the newest of each
 * type on its own (type, seq) index range, then merged, so a log with few heals is not walked whole.
 */
export async function lastHeals(db: Kysely<Database>, projectId: string | undefined, limit: number): Promise<HealRow[]> {
  const newestOf = (type: string) => sql`(
    SELECT e.seq, e.id, e.type, e.agent_id, e.data, e.recorded_at FROM events e
    WHERE e.type = ${sql.lit(type)} AND ${aboutProject(projectId)}
    ORDER BY e.seq DESC LIMIT ${limit})`;
  const { rows } = await sql<{ seq: string; id: string; type: string; agent_id: string | null; data: Record<string, unknown>; recorded_at: Date; name: string | null }>`
    SELECT h.*, a.name FROM (${newestOf('heal.completed')} UNION ALL ${newestOf('heal.escalated')}) h
    LEFT JOIN agents a ON a.id = h.agent_id
    ORDER BY h.seq DESC
    LIMIT ${limit}`.execute(db);
  return rows.map((r) => ({ seq: Number(r.seq), id: r.id, type: r.type, agentId: r.agent_id, agentName: r.name, data: r.data, recordedAt: r.recorded_at }));
}
