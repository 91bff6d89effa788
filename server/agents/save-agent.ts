import type { Transaction } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { Agent } from './agent.ts';

/** Writes an agent's row, inserting it on its first event. */
export async function saveAgent(trx: Transaction<Database>, agent: Agent): Promise<void> {
  const row = {
    name: agent.name,
    template: agent.template,
    status: agent.status,
    task_id: agent.taskId,
    pending_decision_id: agent.pendingDecisionId,
    paused_reason: agent.pausedReason,
    last_event_at: agent.lastEventAt,
    created_at: agent.createdAt,
    last_seq: agent.lastSeq,
    status_seq: agent.statusSeq,
  };
  await trx
    .insertInto('agents')
    .values({ id: agent.id, ...row })
    .onConflict((oc) => oc.column('id').doUpdateSet(row))
    .execute();
}
