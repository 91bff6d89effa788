import type { Kysely } from 'kysely';
import type { EventEnvelope } from '../../contracts/index.ts';
import type { Database } from '../db/schema.ts';
import { findEvents } from '../log/event-query.ts';

/** The `agent.spawn_requested` that started this agent, or undefined when the hub did not start it. */
export async function findSpawnRequest(db: Kysely<Database>, agentId: string): Promise<EventEnvelope | undefined> {
  const [request] = await findEvents(db, { type: 'agent.spawn_requested', agentId }, 1);
  return request;
}

/** The spawn request that respawned this agent, or undefined when none did yet (an index probe: the query matches `events_respawn_of`). */
export async function findRespawn(db: Kysely<Database>, agentId: string): Promise<EventEnvelope | undefined> {
  const [respawn] = await findEvents(db, { type: 'agent.spawn_requested', data: { respawnOf: agentId } }, 1);
  return respawn;
}
