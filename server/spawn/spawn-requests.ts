import { type Kysely, sql } from 'kysely';
import type { EventEnvelope } from '../../contracts/index.ts';
import type { Database } from '../db/schema.ts';
import { envelopeOfRow } from '../log/read-envelopes.ts';

/** The `agent.spawn_requested` that started this agent, or undefined when the hub did not start it. */
export async function findSpawnRequest(db: Kysely<Database>, agentId: string): Promise<EventEnvelope | undefined> {
  const row = await db
    .selectFrom('events')
    .selectAll()
    .where('agent_id', '=', agentId)
    .where('type', '=', 'agent.spawn_requested')
    .orderBy('seq', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row && envelopeOfRow(row);
}

/** The spawn request that respawned this agent, or undefined when none did yet (an index probe: the predicate matches `events_respawn_of`'s). */
export async function findRespawn(db: Kysely<Database>, agentId: string): Promise<EventEnvelope | undefined> {
  const row = await db
    .selectFrom('events')
    .selectAll()
    .where(sql<boolean>`type = 'agent.spawn_requested'`)
    .where(sql`data->>'respawnOf'`, '=', agentId)
    .limit(1)
    .executeTakeFirst();
  return row && envelopeOfRow(row);
}
