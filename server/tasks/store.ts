import { type ColumnType, type Kysely, type Selectable, type Transaction, sql } from 'kysely';
import { type TaskPriority, type TaskStatus, workingTaskStatuses } from '../../contracts/vocabulary.ts';
import type { Database } from '../db/schema.ts';
import { countEvents, findEvents, lastSeqOf } from '../log/event-query.ts';
import type { Task } from './model.ts';

/** One row per task: the board, folded from `task.*` events. */
export interface TasksTable {
  id: string;
  title: string;
  description: string | null;
  /** low, normal, high, urgent. */
  priority: string;
  labels: string[];
  project_id: ColumnType<string, string | undefined, string>;
  /** todo, in_progress, review, done, blocked, cancelled. */
  status: string;
  agent_id: string | null;
  blocked_reason: string | null;
  /** The status a blocked task was in when it was blocked. */
  status_before_block: string | null;
  /** The `recordedAt` of the events that created and last changed the task. */
  created_at: ColumnType<Date, Date | string, Date | string>;
  updated_at: ColumnType<Date, Date | string, Date | string>;
  /** The `seq` of `task.created`: orders the board newest first, even within one transaction. */
  created_seq: ColumnType<string, number | string, number | string>;
  last_seq: ColumnType<string, number | string, number | string>;
}

/** The tables of the tasks view. */
export interface TasksTables {
  tasks: TasksTable;
}

/** The task with this id, or undefined; inside a command it sees what the transaction wrote. */
export async function findTask(db: Kysely<Database>, id: string): Promise<Task | undefined> {
  const row = await db.selectFrom('tasks').selectAll().where('id', '=', id).executeTakeFirst();
  return row && taskOf(row);
}

/** A stored row as the rules see it (bigints and timestamps converted). */
export function taskOf(row: Selectable<TasksTable>): Task {
  return {
    id: row.id,
    title: row.title,
    description: row.description,
    priority: row.priority as TaskPriority,
    labels: row.labels,
    projectId: row.project_id,
    status: row.status as TaskStatus,
    agentId: row.agent_id,
    blockedReason: row.blocked_reason,
    statusBeforeBlock: row.status_before_block as TaskStatus | null,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
    createdSeq: Number(row.created_seq),
    lastSeq: Number(row.last_seq),
  };
}

/** The agent's task that a loop would block: one it works on (in progress first), most recently changed. */
export async function findWorkingTask(trx: Transaction<Database>, agentId: string): Promise<Task | undefined> {
  const row = await trx
    .selectFrom('tasks')
    .selectAll()
    .where('agent_id', '=', agentId)
    .where('status', 'in', workingTaskStatuses)
    .orderBy((eb) => eb('status', '=', 'in_progress'), 'desc')
    .orderBy('last_seq', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row && taskOf(row);
}

export interface TaskFilter {
  /** Any of these statuses (empty: all). */
  statuses: TaskStatus[];
  agentId?: string;
  /** Every one of these labels (empty: any). */
  labels: string[];
  projectId?: string;
}

/** The tasks matching every filter given, newest first. */
export async function listTasks(db: Kysely<Database>, filter: TaskFilter): Promise<Task[]> {
  let query = db.selectFrom('tasks').selectAll();
  if (filter.statuses.length > 0) query = query.where('status', 'in', filter.statuses);
  if (filter.agentId !== undefined) query = query.where('agent_id', '=', filter.agentId);
  if (filter.labels.length > 0) query = query.where(sql<boolean>`labels @> ${filter.labels}::text[]`);
  if (filter.projectId !== undefined) query = query.where('project_id', '=', filter.projectId);
  const rows = await query.orderBy('created_seq', 'desc').execute();
  return rows.map(taskOf);
}

/** Writes the task's row, inserting it or replacing every column. */
export async function saveTask(trx: Transaction<Database>, task: Task): Promise<void> {
  const row = {
    id: task.id,
    title: task.title,
    description: task.description,
    priority: task.priority,
    labels: task.labels,
    project_id: task.projectId,
    status: task.status,
    agent_id: task.agentId,
    blocked_reason: task.blockedReason,
    status_before_block: task.statusBeforeBlock,
    created_at: task.createdAt,
    updated_at: task.updatedAt,
    created_seq: task.createdSeq,
    last_seq: task.lastSeq,
  };
  const { id: _id, ...changes } = row;
  await trx.insertInto('tasks').values(row).onConflict((oc) => oc.column('id').doUpdateSet(changes)).execute();
}

// The log as loop detection reads it: the failures, hand-overs and alerts about a task.

/** The `seq` of the last `hub.loop_detected` about this task (0 when none): what happened before it is settled. */
export async function lastLoopAlertSeq(trx: Transaction<Database>, taskId: string): Promise<number> {
  return (await lastSeqOf(trx, { type: 'hub.loop_detected', taskId })) ?? 0;
}

export interface SameFailureQuery {
  agentId: string;
  /** Compared when set; otherwise the error text is. */
  signature: string | undefined;
  error: string;
  /** Only events after this `seq`, up to and including `uptoSeq`, recorded at or after `since`. */
  afterSeq: number;
  uptoSeq: number;
  since: Date;
}

/** How many times the agent logged this failure (`agent.failed`) in the range. */
export async function countSameFailures(trx: Transaction<Database>, q: SameFailureQuery): Promise<number> {
  const same: Record<string, string> = q.signature !== undefined ? { signature: q.signature } : { error: q.error };
  return countEvents(trx, { type: 'agent.failed', agentId: q.agentId, afterSeq: q.afterSeq, uptoSeq: q.uptoSeq, since: q.since, data: same });
}

export interface AssignmentQuery {
  taskId: string;
  /** Only events after this `seq`, up to and including `uptoSeq`, recorded at or after `since`. */
  afterSeq: number;
  uptoSeq: number;
  since: Date;
  limit: number;
}

/** The agents the task was last assigned to (`task.assigned`), newest first. */
export async function recentAssignees(trx: Transaction<Database>, q: AssignmentQuery): Promise<string[]> {
  const assigned = await findEvents(trx, { type: 'task.assigned', taskId: q.taskId, afterSeq: q.afterSeq, uptoSeq: q.uptoSeq, since: q.since }, q.limit);
  return assigned.map((event) => event.data.agentId as string);
}
