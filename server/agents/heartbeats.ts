import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';

/** Records that the agent was heard from at `at` (the hub's clock), keeping the latest time. */
export async function recordHeartbeat(db: Kysely<Database>, agentId: string, at: Date): Promise<void> {
  await db
    .insertInto('agent_heartbeats')
    .values({ agent_id: agentId, last_seen_at: at })
    .onConflict((oc) => oc.column('agent_id').doUpdateSet((eb) => ({ last_seen_at: eb.fn('greatest', ['agent_heartbeats.last_seen_at', 'excluded.last_seen_at']) })))
    .execute();
}

/** The agent's last heartbeat as ISO time (null: it never sent one). */
export async function lastHeartbeat(db: Kysely<Database>, agentId: string): Promise<string | null> {
  const row = await db.selectFrom('agent_heartbeats').select('last_seen_at').where('agent_id', '=', agentId).executeTakeFirst();
  return row?.last_seen_at.toISOString() ?? null;
}
