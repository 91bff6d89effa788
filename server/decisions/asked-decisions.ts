import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { Decision } from './decision.ts';
import { decisionOfRow } from './row.ts';

/**
 * The pending decisions an agent waits on: the ones it asked, and the escalations of those.
 * Not the ones others asked about it (an operator's, or the healer's escalation of its failure).
 */
export async function pendingAskedBy(db: Kysely<Database>, agentId: string): Promise<Decision[]> {
  const actor = `agent:${agentId}`;
  const rows = await db
    .selectFrom('decisions')
    .selectAll()
    .where('agent_id', '=', agentId)
    .where('status', '=', 'pending')
    .where((eb) =>
      eb.or([
        eb('requested_by', '=', actor),
        eb('id', 'in', eb.selectFrom('decisions as asked').select('asked.escalated_to').where('asked.requested_by', '=', actor).where('asked.escalated_to', 'is not', null)),
      ]),
    )
    .orderBy('created_at')
    .execute();
  return rows.map(decisionOfRow);
}
