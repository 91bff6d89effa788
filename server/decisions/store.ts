import { type ColumnType, type Insertable, type Kysely, type Selectable, type Transaction, sql } from 'kysely';
import type { DecisionStatus, OnTimeout, Risk } from '../../contracts/vocabulary.ts';
import type { Database } from '../db/schema.ts';
import type { Principal } from '../auth/roles.ts';
import { inScope } from '../projects/scope.ts';
import { HubError } from '../errors.ts';
import { findEventById } from '../log/find-event.ts';
import type { Decision } from './model.ts';

/** A timestamp: read as a Date, written as a Date or an ISO string. */
type Timestamp = ColumnType<Date, Date | string, Date | string>;

/** jsonb: read parsed, written as JSON text. */
type Json<T> = ColumnType<T, string, string>;

/** One row per decision: the inbox, folded from `decision.*` events. */
export interface DecisionsTable {
  id: string;
  title: string;
  context: string;
  options: Json<string[]>;
  risk: string;
  status: string;
  outcome: string | null;
  approvals: Json<Array<{ by: string; at: string; person?: string }>>;
  resolved_by: string | null;
  comment: string | null;
  expires_at: Timestamp;
  on_timeout: string;
  agent_id: string | null;
  task_id: string | null;
  requested_by: string;
  created_at: Timestamp;
  resolved_at: ColumnType<Date | null, Date | string | null, Date | string | null>;
  /** The decision an escalation opened when this one expired. */
  escalated_to: string | null;
  project_id: ColumnType<string, string | undefined, string>;
  /** For a coding agent's tool call, the tool. */
  tool: string | null;
  /** The `seq` of the last event folded into the row (bigint: read as a string). */
  last_seq: ColumnType<string, number, number>;
}

/** The tables of the decisions view. */
export interface DecisionsTables {
  decisions: DecisionsTable;
}

/** A stored row as the view the API answers (camelCase, ISO times, nulls where unset). */
export function decisionOfRow(row: Selectable<DecisionsTable>): Decision {
  return {
    id: row.id,
    title: row.title,
    context: row.context,
    options: row.options,
    risk: row.risk as Risk,
    status: row.status as DecisionStatus,
    outcome: row.outcome,
    approvals: row.approvals,
    resolvedBy: row.resolved_by,
    comment: row.comment,
    expiresAt: row.expires_at.toISOString(),
    onTimeout: row.on_timeout as OnTimeout,
    agentId: row.agent_id,
    taskId: row.task_id,
    requestedBy: row.requested_by,
    createdAt: row.created_at.toISOString(),
    resolvedAt: row.resolved_at?.toISOString() ?? null,
    escalatedTo: row.escalated_to,
    projectId: row.project_id,
    tool: row.tool,
  };
}

/** The row that stores `decision`, as of the event at `seq`. */
export function rowOfDecision(d: Decision, seq: number): Insertable<DecisionsTable> {
  return {
    id: d.id,
    title: d.title,
    context: d.context,
    options: JSON.stringify(d.options),
    risk: d.risk,
    status: d.status,
    outcome: d.outcome,
    approvals: JSON.stringify(d.approvals),
    resolved_by: d.resolvedBy,
    comment: d.comment,
    expires_at: d.expiresAt,
    on_timeout: d.onTimeout,
    agent_id: d.agentId,
    task_id: d.taskId,
    requested_by: d.requestedBy,
    created_at: d.createdAt,
    resolved_at: d.resolvedAt,
    escalated_to: d.escalatedTo,
    project_id: d.projectId,
    tool: d.tool,
    last_seq: seq,
  };
}

/** Writes the decision's row as of the event at `seq`, inserting or replacing it. */
export async function saveDecision(trx: Transaction<Database>, decision: Decision, seq: number): Promise<void> {
  const row = rowOfDecision(decision, seq);
  const { id: _id, ...changes } = row;
  await trx.insertInto('decisions').values(row).onConflict((oc) => oc.column('id').doUpdateSet(changes)).execute();
}

/** One decision by id, or undefined. */
export async function loadDecision(db: Kysely<Database>, id: string): Promise<Decision | undefined> {
  const row = await db.selectFrom('decisions').selectAll().where('id', '=', id).executeTakeFirst();
  return row === undefined ? undefined : decisionOfRow(row);
}

/** The decision with this id; a 404 that says where to look when there is none. */
export async function existingDecision(db: Kysely<Database>, id: string, seenBy?: Principal): Promise<Decision> {
  const decision = await loadDecision(db, id);
  // To a token scoped to another project, a decision of this one does not exist.
  if (decision === undefined || (seenBy !== undefined && !inScope(seenBy, decision.projectId))) throw new HubError('not_found', `no decision ${id}; GET /decisions lists them`);
  return decision;
}

/** The inbox: pending decisions first, soonest deadline first, then the rest newest first. */
export async function listDecisions(db: Kysely<Database>, status: DecisionStatus | undefined, limit: number, projectId?: string): Promise<Decision[]> {
  let query = db.selectFrom('decisions').selectAll();
  if (status !== undefined) query = query.where('status', '=', status);
  if (projectId !== undefined) query = query.where('project_id', '=', projectId);
  const rows = await query
    .orderBy(sql`status = 'pending'`, 'desc')
    .orderBy(sql`CASE WHEN status = 'pending' THEN expires_at END`, 'asc')
    .orderBy('created_at', 'desc')
    .orderBy('last_seq', 'desc')
    .limit(limit)
    .execute();
  return rows.map(decisionOfRow);
}

/** Ids of pending decisions whose deadline is at or before `now`, oldest deadline first. */
export async function dueDecisionIds(db: Kysely<Database>, now: Date, limit: number): Promise<string[]> {
  const rows = await db
    .selectFrom('decisions')
    .select('id')
    .where('status', '=', 'pending')
    .where('expires_at', '<=', now)
    .orderBy('expires_at')
    .limit(limit)
    .execute();
  return rows.map((r) => r.id);
}

/**
 * The pending decisions an agent waits on: the ones it asked, and the escalations of those.
 * Not the ones others asked about it (an operator's, or the healer's escalation of its failure).
 */
export async function pendingAskedBy(db: Kysely<Database>, agentId: string): Promise<Decision[]> {
  const actor = `agent:${agentId}`;
  const rows = await db
    .selectFrom('decisions')
    .selectAll()
    .where('agent_id', '=', agentId)
    .where('status', '=', 'pending')
    .where((eb) =>
      eb.or([
        eb('requested_by', '=', actor),
        eb('id', 'in', eb.selectFrom('decisions as asked').select('asked.escalated_to').where('asked.requested_by', '=', actor).where('asked.escalated_to', 'is not', null)),
      ]),
    )
    .orderBy('created_at')
    .execute();
  return rows.map(decisionOfRow);
}

/** How many decisions wait, and when the oldest of them was asked (undefined when none waits): one pass over the pending ones. */
export async function pendingDecisions(db: Kysely<Database>): Promise<{ count: number; oldestAskedAt: Date | undefined }> {
  const row = await db
    .selectFrom('decisions')
    .select((eb) => [eb.fn.countAll<string>().as('n'), eb.fn.min('created_at').as('oldest')])
    .where('status', '=', 'pending')
    .executeTakeFirstOrThrow();
  return { count: Number(row.n), oldestAskedAt: row.oldest ?? undefined };
}

/** The decision a `decision.expired` event (by its id) expired, or undefined when it is no such event. */
export async function expiredDecisionOf(db: Kysely<Database>, eventId: string): Promise<string | undefined> {
  const event = await findEventById(db, eventId);
  return event?.type === 'decision.expired' ? event.decisionId : undefined;
}

/** The project of a decision's agent, else of its task; undefined when it names neither, or they are not known. */
export async function subjectProject(db: Kysely<Database>, agentId: string | null, taskId: string | null): Promise<string | undefined> {
  if (agentId !== null) {
    const agent = await db.selectFrom('agents').select('project_id').where('id', '=', agentId).executeTakeFirst();
    if (agent) return agent.project_id;
  }
  if (taskId !== null) {
    const task = await db.selectFrom('tasks').select('project_id').where('id', '=', taskId).executeTakeFirst();
    if (task) return task.project_id;
  }
  return undefined;
}
