import type { Transaction } from 'kysely';
import { workingTaskStatuses } from '../../contracts/vocabulary.ts';
import type { Database } from '../db/schema.ts';
import { taskOf } from './find-task.ts';
import type { Task } from './rules.ts';

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
