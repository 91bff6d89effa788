import { type Transaction, sql } from 'kysely';
import type { Database } from '../db/schema.ts';

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
  const { rows } = await sql<{ agent_id: string }>`
    SELECT data->>'agentId' AS agent_id FROM events
    WHERE task_id = ${q.taskId} AND seq > ${q.afterSeq} AND seq <= ${q.uptoSeq}
      AND type = 'task.assigned' AND recorded_at >= ${q.since}
    ORDER BY seq DESC LIMIT ${q.limit}`.execute(trx);
  return rows.map((r) => r.agent_id);
}
