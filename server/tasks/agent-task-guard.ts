import type { Transaction } from 'kysely';
import { findAgent } from '../agents/store.ts';
import type { Database } from '../db/schema.ts';
import type { NewEvent } from '../log/event.ts';
import { findTask } from './find-task.ts';
import { refuseForeignTask } from './rules.ts';

/** Refuses (403) an agent's report that names a task other than its own. */
export async function guardAgentTask(trx: Transaction<Database>, event: NewEvent): Promise<void> {
  const agentId = event.agentId!;
  const taskId = event.taskId!;
  const task = await findTask(trx, taskId);
  if (task?.agentId === agentId) return;
  // Not on the board as its own: the task it was spawned for still is.
  const agent = await findAgent(trx, agentId);
  const refusal = refuseForeignTask(agentId, taskId, task, agent?.taskId ?? null);
  if (refusal !== undefined) throw refusal;
}
