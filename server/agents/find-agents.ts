import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { AgentStatus } from '../../contracts/vocabulary.ts';
import type { Agent } from './agent.ts';
import { agentOf } from './agent-row.ts';
import type { AgentsTouched } from './evolve.ts';

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
