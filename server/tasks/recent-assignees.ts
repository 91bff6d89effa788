import type { Transaction } from 'kysely';
import type { Database } from '../db/schema.ts';
import { findEvents } from '../log/event-query.ts';

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
