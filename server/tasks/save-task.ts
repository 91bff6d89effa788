import type { Transaction } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { Task } from './rules.ts';

/** Writes the task's row, inserting it or replacing every column. */
export async function saveTask(trx: Transaction<Database>, task: Task): Promise<void> {
  const row = {
    id: task.id,
    title: task.title,
    description: task.description,
    priority: task.priority,
    labels: task.labels,
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
