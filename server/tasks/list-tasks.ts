import { type Kysely, sql } from 'kysely';
import type { Database } from '../db/schema.ts';
import { taskOf } from './find-task.ts';
import type { TaskStatus } from '../../contracts/vocabulary.ts';
import type { Task } from './rules.ts';

export interface TaskFilter {
  /** Any of these statuses (empty: all). */
  statuses: TaskStatus[];
  agentId?: string;
  /** Every one of these labels (empty: any). */
  labels: string[];
}

/** The tasks matching every filter given, newest first. */
export async function listTasks(db: Kysely<Database>, filter: TaskFilter): Promise<Task[]> {
  let query = db.selectFrom('tasks').selectAll();
  if (filter.statuses.length > 0) query = query.where('status', 'in', filter.statuses);
  if (filter.agentId !== undefined) query = query.where('agent_id', '=', filter.agentId);
  if (filter.labels.length > 0) query = query.where(sql<boolean>`labels @> ${filter.labels}::text[]`);
  const rows = await query.orderBy('created_seq', 'desc').execute();
  return rows.map(taskOf);
}
