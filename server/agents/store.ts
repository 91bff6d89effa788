import { type ColumnType, type Kysely, type Selectable, type Transaction, sql } from 'kysely';
import { type AgentStatus, type PauseReason, liveStatuses } from '../../contracts/vocabulary.ts';
import type { EventEnvelope } from '../../contracts/index.ts';
import type { Database } from '../db/schema.ts';
import { lastSeqsOfTypes } from '../log/event-query.ts';
import type { AgentsTouched } from './evolve.ts';
import { type Agent, type AgentView, silenceType } from './model.ts';
import { type PauseAllMarks, isPausedAll, lastSeenAt } from './rules.ts';

/** The agents view: one row per agent, folded from the log. */
export interface AgentsTable {
  id: string;
  name: string;
  template: string | null;
  status: string;
  task_id: string | null;
  pending_decision_id: string | null;
  paused_reason: string | null;
  runner_id: string | null;
  project_id: ColumnType<string, string | undefined, string>;
  /** `recordedAt` of the latest event about the agent (other than `agent.stale`). */
  last_event_at: ColumnType<Date | null, string | null, string | null>;
  created_at: ColumnType<Date, string, string>;
  last_seq: ColumnType<string, number, number>;
  /** The event that set the current status (for a stale agent: its `agent.stale`). */
  status_seq: ColumnType<string, number, number>;
}

/** When each agent last sent a heartbeat; not a view (heartbeats are not events). */
export interface AgentHeartbeatsTable {
  agent_id: string;
  last_seen_at: ColumnType<Date, Date, Date>;
}

/** The tables of the agents view. */
export interface AgentsTables {
  agents: AgentsTable;
  agent_heartbeats: AgentHeartbeatsTable;
}

type AgentRow = Selectable<AgentsTable>;

/** An agents row as the rules see it. */
export function agentOf(row: AgentRow): Agent {
  return {
    id: row.id,
    name: row.name,
    template: row.template,
    status: row.status as AgentStatus,
    taskId: row.task_id,
    pendingDecisionId: row.pending_decision_id,
    pausedReason: row.paused_reason as PauseReason | null,
    runnerId: row.runner_id,
    projectId: row.project_id,
    lastEventAt: row.last_event_at?.toISOString() ?? null,
    createdAt: row.created_at.toISOString(),
    lastSeq: Number(row.last_seq),
    statusSeq: Number(row.status_seq),
  };
}

/** Writes an agent's row, inserting it on its first event. */
export async function saveAgent(trx: Transaction<Database>, agent: Agent): Promise<void> {
  const row = {
    name: agent.name,
    template: agent.template,
    status: agent.status,
    task_id: agent.taskId,
    pending_decision_id: agent.pendingDecisionId,
    paused_reason: agent.pausedReason,
    runner_id: agent.runnerId,
    project_id: agent.projectId,
    last_event_at: agent.lastEventAt,
    created_at: agent.createdAt,
    last_seq: agent.lastSeq,
    status_seq: agent.statusSeq,
  };
  await trx
    .insertInto('agents')
    .values({ id: agent.id, ...row })
    .onConflict((oc) => oc.column('id').doUpdateSet(row))
    .execute();
}

/** When and at which seq the log heard from an agent. */
export type Sighting = Pick<EventEnvelope, 'recordedAt' | 'seq'>;

/**
 * Folds a run of activity-only events of one agent (`isActivityOnly`), from `first` to `last`, in
 * one statement, without reading the row first: the row the first would make (an agent first seen
 * through it: running, named by its id), then the latest sighting moved to the last. The same row
 * `evolve` gives, event by event.
 */
export async function recordActivity(trx: Transaction<Database>, agentId: string, first: Sighting, last: Sighting): Promise<void> {
  const [firstAt, lastAt] = [new Date(first.recordedAt).toISOString(), new Date(last.recordedAt).toISOString()];
  await sql`
    INSERT INTO agents (id, name, template, status, task_id, pending_decision_id, paused_reason, runner_id, project_id, last_event_at, created_at, last_seq, status_seq)
    VALUES (${agentId}, ${agentId}, NULL, 'running', NULL, NULL, NULL, NULL, 'default', ${lastAt}, ${firstAt}, ${last.seq}, ${first.seq})
    ON CONFLICT (id) DO UPDATE SET last_event_at = excluded.last_event_at, last_seq = excluded.last_seq`.execute(trx);
}

/** One agent by id (undefined: the view does not know it). */
export async function findAgent(db: Kysely<Database>, id: string): Promise<Agent | undefined> {
  const row = await db.selectFrom('agents').selectAll().where('id', '=', id).executeTakeFirst();
  return row && agentOf(row);
}

/** The agents an event may change, in one query: by id, by the task it reassigns, by the decision it closes. */
export async function findAgentsTouched(db: Kysely<Database>, touched: AgentsTouched): Promise<Agent[]> {
  const rows = await db
    .selectFrom('agents')
    .selectAll()
    .where((eb) =>
      eb.or([
        ...(touched.ids.length > 0 ? [eb('id', 'in', touched.ids)] : []),
        ...(touched.taskId !== null ? [eb('task_id', '=', touched.taskId)] : []),
        ...(touched.pendingDecisionId !== null ? [eb('pending_decision_id', '=', touched.pendingDecisionId)] : []),
      ]),
    )
    .orderBy('id')
    .execute();
  return rows.map(agentOf);
}

/** Every agent in one of `statuses`, oldest first. */
export async function findAgentsByStatus(db: Kysely<Database>, statuses: readonly AgentStatus[]): Promise<Agent[]> {
  const rows = await db.selectFrom('agents').selectAll().where('status', 'in', statuses).orderBy('created_at').orderBy('id').execute();
  return rows.map(agentOf);
}

/**
 * The API views of every agent, of one project's, or of one (`id`), oldest first, with its last heartbeat and its
 * budget (`defaultBudgetUsd` where it has no limit of its own).
 */
export async function agentViews(db: Kysely<Database>, defaultBudgetUsd: number, only: { id?: string; projectId?: string | undefined } = {}): Promise<AgentView[]> {
  let query = db
    .selectFrom('agents as a')
    .leftJoin('agent_heartbeats as h', 'h.agent_id', 'a.id')
    .leftJoin('budgets as b', (join) => join.on('b.scope', '=', 'agent').onRef('b.scope_id', '=', 'a.id'))
    .selectAll('a')
    .select(['h.last_seen_at as heartbeat_at', 'b.spent_usd', 'b.limit_usd']);
  if (only.id !== undefined) query = query.where('a.id', '=', only.id);
  if (only.projectId !== undefined) query = query.where('a.project_id', '=', only.projectId);
  const rows = await query.orderBy('a.created_at').orderBy('a.id').execute();
  return rows.map((row) => {
    const agent = agentOf(row);
    return {
      id: agent.id,
      name: agent.name,
      template: agent.template,
      status: agent.status,
      lastSeenAt: lastSeenAt(agent, row.heartbeat_at?.toISOString() ?? null),
      spentUsd: Number(row.spent_usd ?? 0),
      budgetUsd: row.limit_usd !== null ? Number(row.limit_usd) : defaultBudgetUsd,
      pendingDecisionId: agent.pendingDecisionId,
      taskId: agent.taskId,
      pausedReason: agent.pausedReason,
      runnerId: agent.runnerId,
      projectId: agent.projectId,
    };
  });
}

/** Records that the agent was heard from at `at` (the hub's clock), keeping the latest time. */
export async function recordHeartbeat(db: Kysely<Database>, agentId: string, at: Date): Promise<void> {
  await db
    .insertInto('agent_heartbeats')
    .values({ agent_id: agentId, last_seen_at: at })
    .onConflict((oc) => oc.column('agent_id').doUpdateSet((eb) => ({ last_seen_at: eb.fn('greatest', ['agent_heartbeats.last_seen_at', 'excluded.last_seen_at']) })))
    .execute();
}

/** The agent's last heartbeat as ISO time (null: it never sent one). */
export async function lastHeartbeat(db: Kysely<Database>, agentId: string): Promise<string | null> {
  const row = await db.selectFrom('agent_heartbeats').select('last_seen_at').where('agent_id', '=', agentId).executeTakeFirst();
  return row?.last_seen_at.toISOString() ?? null;
}

/** Ids of running or awaiting agents not heard from (heartbeat or event) since `before`. */
export async function findSilentAgents(db: Kysely<Database>, before: Date): Promise<string[]> {
  const rows = await db
    .selectFrom('agents as a')
    .leftJoin('agent_heartbeats as h', 'h.agent_id', 'a.id')
    .select('a.id')
    .where('a.status', 'in', liveStatuses)
    // greatest() skips nulls: an agent never heard from counts from its first event.
    .where(sql<Date>`greatest(a.last_event_at, a.created_at, h.last_seen_at)`, '<', before)
    .orderBy('a.id')
    .execute();
  return rows.map((r) => r.id);
}

/** How many agents are in each status that has any (grouped on the status index). */
export async function countAgentsByStatus(db: Kysely<Database>): Promise<Array<{ status: AgentStatus; count: number }>> {
  const rows = await db.selectFrom('agents').select(['status', (eb) => eb.fn.countAll<string>().as('n')]).groupBy('status').execute();
  return rows.map((row) => ({ status: row.status as AgentStatus, count: Number(row.n) }));
}

/** Where the last `hub.paused_all` and `hub.resumed_all` sit in the log (one statement, two index lookups). */
export async function pauseAllMarks(db: Kysely<Database>): Promise<PauseAllMarks> {
  const marks = await lastSeqsOfTypes(db, ['hub.paused_all', 'hub.resumed_all']);
  return { pausedSeq: marks['hub.paused_all'] ?? null, resumedSeq: marks['hub.resumed_all'] ?? null };
}

/** True while the hub is paused as a whole (for `/spawn` and the run guard to refuse); inside a command, it sees the latest state. */
export async function hubPausedAll(db: Kysely<Database>): Promise<boolean> {
  return isPausedAll(await pauseAllMarks(db));
}

/**
 * The seqs of the events the agents view takes an agent's first and latest sighting from: the
 * first event naming it (which creates its row) and its latest activity (any event but
 * `agent.stale`). Retention keeps these in the log, so a rebuild finds them.
 */
export async function sightingSeqs(db: Kysely<Database>, agentIds: readonly string[]): Promise<Set<number>> {
  if (agentIds.length === 0) return new Set();
  const { rows } = await sql<{ first: string | null; latest: string | null }>`
    SELECT (SELECT seq FROM events WHERE agent_id = a.id ORDER BY seq LIMIT 1) AS first,
           (SELECT seq FROM events WHERE agent_id = a.id AND type <> ${silenceType} ORDER BY seq DESC LIMIT 1) AS latest
    FROM unnest(${agentIds}::text[]) AS a(id)`.execute(db);
  return new Set(rows.flatMap((r) => [r.first, r.latest].filter((s) => s !== null).map(Number)));
}
