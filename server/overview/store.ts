import { type Kysely, sql } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { AttentionRow, DaySpend, RiskCount, StatusCount } from './rules.ts';

// Reads of the views for `GET /overview`; each is one statement, narrowed to one project when given.
// Run inside one read-only snapshot, so `now()` is the same instant in all of them.

/** The database's clock at the start of the snapshot: the moment every figure is of. */
export async function snapshotTime(db: Kysely<Database>): Promise<Date> {
  const { rows } = await sql<{ now: Date }>`SELECT now() AS now`.execute(db);
  return rows[0]!.now;
}

/** Pending decisions per risk, with the oldest's asking time (the pending decisions are few; the status index finds them). */
export async function pendingByRisk(db: Kysely<Database>, projectId: string | undefined): Promise<RiskCount[]> {
  let query = db
    .selectFrom('decisions')
    .select(['risk', (eb) => eb.fn.countAll<string>().as('n'), (eb) => eb.fn.min('created_at').as('oldest')])
    .where('status', '=', 'pending');
  if (projectId !== undefined) query = query.where('project_id', '=', projectId);
  const rows = await query.groupBy('risk').execute();
  return rows.map((r) => ({ risk: r.risk, count: Number(r.n), oldest: r.oldest === null ? null : new Date(r.oldest as Date | string) }));
}

/** How many agents are in each status. */
export async function agentsByStatus(db: Kysely<Database>, projectId: string | undefined): Promise<StatusCount[]> {
  let query = db.selectFrom('agents').select(['status', (eb) => eb.fn.countAll<string>().as('n')]);
  if (projectId !== undefined) query = query.where('project_id', '=', projectId);
  const rows = await query.groupBy('status').execute();
  return rows.map((r) => ({ status: r.status, count: Number(r.n) }));
}

/** Failed agents whose failure (the event that set their status) is at or after `fromSeq`. */
export async function failedFrom(db: Kysely<Database>, fromSeq: number, projectId: string | undefined): Promise<number> {
  let query = db
    .selectFrom('agents')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('status', '=', 'failed')
    .where(sql<boolean>`status_seq >= ${fromSeq}`);
  if (projectId !== undefined) query = query.where('project_id', '=', projectId);
  return Number((await query.executeTakeFirstOrThrow()).n);
}

/**
 * Up to `limit` agents that need a look: failed at or after `failedFromSeq` (newest first), then
 * waiting on a decision, lost, stale (longest first); each with the event that gave it its status
 * (one primary-key probe per row) and, when waiting, its decision.
 */
export async function agentsNeedingAttention(db: Kysely<Database>, failedFromSeq: number, projectId: string | undefined, limit: number): Promise<AttentionRow[]> {
  const inProject = projectId === undefined ? sql`true` : sql`a.project_id = ${projectId}`;
  const { rows } = await sql<{ id: string; name: string; status: string; since: Date | null; error: string | null; decision_id: string | null; title: string | null; risk: string | null }>`
    SELECT a.id, a.name, a.status, e.recorded_at AS since, e.data->>'error' AS error,
           d.id AS decision_id, d.title, d.risk
    FROM agents a
    LEFT JOIN events e ON e.seq = a.status_seq
    LEFT JOIN decisions d ON d.id = a.pending_decision_id AND a.status = 'awaiting_decision'
    WHERE (a.status IN ('awaiting_decision', 'lost', 'stale') OR (a.status = 'failed' AND a.status_seq >= ${failedFromSeq}))
      AND ${inProject}
    ORDER BY CASE a.status WHEN 'failed' THEN 0 WHEN 'awaiting_decision' THEN 1 WHEN 'lost' THEN 2 ELSE 3 END,
             CASE WHEN a.status = 'failed' THEN -a.status_seq ELSE a.status_seq END, a.id
    LIMIT ${limit}`.execute(db);
  return rows.map((r) => ({ id: r.id, name: r.name, status: r.status, since: r.since, error: r.error, decision: r.decision_id === null ? null : { id: r.decision_id, title: r.title ?? '', risk: r.risk ?? '' } }));
}

/** The whole hub's spend on each of the last `days` UTC days, oldest first, today last (0 for a day with no row), with each day's own limit. */
export async function globalSpendByDay(db: Kysely<Database>, days: number): Promise<DaySpend[]> {
  const { rows } = await sql<{ day: string; spent_usd: string | null; limit_usd: string | null }>`
    SELECT days.day, b.spent_usd, b.limit_usd
    FROM generate_series(${days - 1}::int, 0, -1) AS back,
         LATERAL (SELECT to_char((now() AT TIME ZONE 'UTC')::date - back, 'YYYY-MM-DD') AS day) AS days
    LEFT JOIN budgets b ON b.scope = 'global' AND b.scope_id = days.day
    ORDER BY back DESC`.execute(db);
  return rows.map((r) => ({ day: r.day, usd: Number(r.spent_usd ?? 0), limitUsd: r.limit_usd === null ? null : Number(r.limit_usd) }));
}
