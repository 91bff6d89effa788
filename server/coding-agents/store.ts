import { type Kysely, sql } from 'kysely';
import type { Database } from '../db/schema.ts';

/** Who registered an agent first (`agent.registered`), or undefined when nothing did: the owner of a session's agent. */
export async function registeredBy(db: Kysely<Database>, agentId: string): Promise<string | undefined> {
  const row = await db
    .selectFrom('events')
    .select('actor')
    .where('agent_id', '=', agentId)
    .where(sql<boolean>`type = 'agent.registered'`)
    .orderBy('seq')
    .limit(1)
    .executeTakeFirst();
  return row?.actor;
}
