import { type Kysely, sql } from 'kysely';
import type { Database } from '../db/schema.ts';

// Read from the log, not the decisions view: the view does not record what opened a decision.
/** The pending decision an earlier `heal.escalated` opened about this agent, if any. */
export async function openEscalation(db: Kysely<Database>, agentId: string): Promise<string | undefined> {
  const { rows } = await sql<{ id: string }>`
    SELECT d.id FROM events e JOIN decisions d ON d.id = e.data->>'decisionId'
    WHERE e.agent_id = ${agentId} AND e.type = 'heal.escalated' AND d.status = 'pending'
    ORDER BY e.seq DESC LIMIT 1`.execute(db);
  return rows[0]?.id;
}
