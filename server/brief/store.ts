import { type Kysely, type RawBuilder, sql } from 'kysely';
import type { BriefAgentCost, BriefBlockedTask, BriefDecision, BriefFailure, BriefPendingDecision, BriefTask } from '../../contracts/views.ts';
import type { Database } from '../db/schema.ts';

// Reads for `GET /brief`, each one statement run in the route's snapshot. The log is read from
// `fromSeq` (the window's first event) down the (type, seq) index, newest first, at most `limit`
// rows per type; the views through their status indexes. Of one project when `projectId` is set.

const failureTypes = ['agent.failed', 'tool.failed', 'workspace.merge_failed'] as const;
const settledTypes = ['decision.resolved', 'decision.expired'] as const;

/** True for an event `e` about an agent, a task or a decision of the project (as `GET /events?project=` reads it). */
function aboutProject(projectId: string | undefined): RawBuilder<boolean> {
  if (projectId === undefined) return sql<boolean>`true`;
  return sql<boolean>`(e.agent_id IN (SELECT id FROM agents WHERE project_id = ${projectId})
    OR e.task_id IN (SELECT id FROM tasks WHERE project_id = ${projectId})
    OR e.decision_id IN (SELECT id FROM decisions WHERE project_id = ${projectId}))`;
}

function inProject(alias: string, projectId: string | undefined): RawBuilder<boolean> {
  return projectId === undefined ? sql<boolean>`true` : sql<boolean>`${sql.ref(`${alias}.project_id`)} = ${projectId}`;
}

/** The database's clock at the start of the snapshot: where the brief ends. */
export async function snapshotTime(db: Kysely<Database>): Promise<Date> {
  const { rows } = await sql<{ now: Date }>`SELECT now() AS now`.execute(db);
  return rows[0]!.now;
}

/** Tasks moved to `done` at or after `fromSeq`, newest first. */
export async function tasksDone(db: Kysely<Database>, fromSeq: number, projectId: string | undefined, limit: number): Promise<BriefTask[]> {
  const { rows } = await sql<{ id: string; title: string; agent_id: string | null; name: string | null; actor: string; recorded_at: Date }>`
    SELECT t.id, t.title, t.agent_id, a.name, e.actor, e.recorded_at
    FROM events e
    JOIN tasks t ON t.id = e.task_id
    LEFT JOIN agents a ON a.id = t.agent_id
    WHERE e.type = 'task.transitioned' AND e.seq >= ${fromSeq} AND e.data->>'to' = 'done' AND ${inProject('t', projectId)}
    ORDER BY e.seq DESC
    LIMIT ${limit}`.execute(db);
  return rows.map((r) => ({ id: r.id, title: r.title, agentId: r.agent_id, agentName: r.name, by: r.actor, at: r.recorded_at.toISOString() }));
}

/** Failure events at or after `fromSeq`, newest first: the newest of each type on its own index range, then merged. */
export async function failures(db: Kysely<Database>, fromSeq: number, projectId: string | undefined, limit: number): Promise<BriefFailure[]> {
  const newestOf = (type: string) => sql`(
    SELECT e.seq, e.id, e.type, e.agent_id, e.task_id, e.recorded_at,
           CASE WHEN e.type = 'tool.failed' THEN e.data->>'tool' END AS tool,
           left(coalesce(e.data->>'error', e.data->>'reason', ''), 1000) AS error
    FROM events e
    WHERE e.type = ${sql.lit(type)} AND e.seq >= ${fromSeq} AND ${aboutProject(projectId)}
    ORDER BY e.seq DESC LIMIT ${limit})`;
  const { rows } = await sql<{ seq: string; id: string; type: BriefFailure['type']; agent_id: string | null; task_id: string | null; recorded_at: Date; tool: string | null; error: string; name: string | null }>`
    SELECT f.*, a.name FROM (${sql.join(failureTypes.map(newestOf), sql` UNION ALL `)}) f
    LEFT JOIN agents a ON a.id = f.agent_id
    ORDER BY f.seq DESC
    LIMIT ${limit}`.execute(db);
  return rows.map((r) => ({
    seq: Number(r.seq),
    id: r.id,
    type: r.type,
    agentId: r.agent_id,
    agentName: r.name,
    taskId: r.task_id,
    tool: r.tool,
    error: r.error,
    at: r.recorded_at.toISOString(),
  }));
}

/** Decisions resolved or expired at or after `fromSeq`, newest first, with the outcome and who gave it. */
export async function decisionsSettled(db: Kysely<Database>, fromSeq: number, projectId: string | undefined, limit: number): Promise<BriefDecision[]> {
  const newestOf = (type: string) => sql`(
    SELECT e.seq, e.type, e.recorded_at, e.data->>'outcome' AS outcome, e.data->>'by' AS by, e.data->>'person' AS person,
           d.id, d.title, d.risk, d.agent_id, d.task_id
    FROM events e JOIN decisions d ON d.id = e.decision_id
    WHERE e.type = ${sql.lit(type)} AND e.seq >= ${fromSeq} AND ${inProject('d', projectId)}
    ORDER BY e.seq DESC LIMIT ${limit})`;
  type Row = { seq: string; type: string; recorded_at: Date; outcome: string | null; by: string | null; person: string | null; id: string; title: string; risk: BriefDecision['risk']; agent_id: string | null; task_id: string | null };
  const { rows } = await sql<Row>`
    SELECT * FROM (${sql.join(settledTypes.map(newestOf), sql` UNION ALL `)}) s
    ORDER BY s.seq DESC
    LIMIT ${limit}`.execute(db);
  return rows.map((r) => ({
    id: r.id,
    title: r.title,
    risk: r.risk,
    status: r.type === 'decision.expired' ? 'expired' : 'resolved',
    outcome: r.outcome ?? '',
    by: r.type === 'decision.expired' ? null : r.by,
    person: r.person,
    agentId: r.agent_id,
    taskId: r.task_id,
    at: r.recorded_at.toISOString(),
  }));
}

/** What runs completed at or after `fromSeq` cost: in all, and per agent, the costliest first (at most `limit` agents). */
export async function runCosts(db: Kysely<Database>, fromSeq: number, projectId: string | undefined, limit: number): Promise<{ usd: number; runs: number; byAgent: BriefAgentCost[] }> {
  // The sums are numeric, so cents add up exactly; each window sum is over every agent, before the limit.
  const { rows } = await sql<{ agent_id: string | null; name: string | null; usd: string; runs: string; total_usd: string; total_runs: string }>`
    SELECT c.agent_id, a.name, c.usd, c.runs, sum(c.usd) OVER () AS total_usd, sum(c.runs) OVER () AS total_runs
    FROM (
      SELECT e.agent_id, sum((e.data->>'costUsd')::numeric) AS usd, count(*) AS runs
      FROM events e
      WHERE e.type = 'run.completed' AND e.seq >= ${fromSeq} AND ${aboutProject(projectId)}
      GROUP BY e.agent_id
    ) c
    LEFT JOIN agents a ON a.id = c.agent_id
    ORDER BY c.usd DESC, c.agent_id
    LIMIT ${limit}`.execute(db);
  const first = rows[0];
  return {
    usd: first ? Number(first.total_usd) : 0,
    runs: first ? Number(first.total_runs) : 0,
    byAgent: rows.map((r) => ({ agentId: r.agent_id, agentName: r.name, usd: Number(r.usd), runs: Number(r.runs) })),
  };
}

/** The pending decisions, oldest first. */
export async function pendingDecisions(db: Kysely<Database>, projectId: string | undefined, limit: number): Promise<BriefPendingDecision[]> {
  let query = db.selectFrom('decisions').select(['id', 'title', 'risk', 'agent_id', 'task_id', 'created_at', 'expires_at']).where('status', '=', 'pending');
  if (projectId !== undefined) query = query.where('project_id', '=', projectId);
  const rows = await query.orderBy('created_at').orderBy('id').limit(limit).execute();
  return rows.map((r) => ({
    id: r.id,
    title: r.title,
    risk: r.risk as BriefPendingDecision['risk'],
    agentId: r.agent_id,
    taskId: r.task_id,
    askedAt: r.created_at.toISOString(),
    expiresAt: r.expires_at.toISOString(),
  }));
}

/** The blocked tasks, blocked longest first. */
export async function blockedTasks(db: Kysely<Database>, projectId: string | undefined, limit: number): Promise<BriefBlockedTask[]> {
  let query = db.selectFrom('tasks').select(['id', 'title', 'agent_id', 'blocked_reason', 'updated_at']).where('status', '=', 'blocked');
  if (projectId !== undefined) query = query.where('project_id', '=', projectId);
  const rows = await query.orderBy('updated_at').orderBy('id').limit(limit).execute();
  return rows.map((r) => ({ id: r.id, title: r.title, agentId: r.agent_id, reason: r.blocked_reason, since: r.updated_at.toISOString() }));
}
