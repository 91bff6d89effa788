import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { AgentStatus } from '../../contracts/vocabulary.ts';

/** How many agents are in each status that has any (grouped on the status index). */
export async function countAgentsByStatus(db: Kysely<Database>): Promise<Array<{ status: AgentStatus; count: number }>> {
  const rows = await db.selectFrom('agents').select(['status', (eb) => eb.fn.countAll<string>().as('n')]).groupBy('status').execute();
  return rows.map((row) => ({ status: row.status as AgentStatus, count: Number(row.n) }));
}
