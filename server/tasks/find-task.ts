import type { Kysely, Selectable } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { TaskPriority, TaskStatus } from '../../contracts/vocabulary.ts';
import type { Task } from './rules.ts';
import type { TasksTable } from './table.ts';

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
