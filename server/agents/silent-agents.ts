import { type Kysely, sql } from 'kysely';
import { liveStatuses } from '../../contracts/vocabulary.ts';
import type { Database } from '../db/schema.ts';

/** Ids of running or awaiting agents not heard from (heartbeat or event) since `before`. */
export async function findSilentAgents(db: Kysely<Database>, before: Date): Promise<string[]> {
  const rows = await db
    .selectFrom('agents as a')
    .leftJoin('agent_heartbeats as h', 'h.agent_id', 'a.id')
    .select('a.id')
    .where('a.status', 'in', liveStatuses)
    // greatest() skips nulls: an agent never heard from counts from its first event.
    .where(sql<Date>`greatest(a.last_event_at, a.created_at, h.last_seen_at)`, '<', before)
    .orderBy('a.id')
    .execute();
  return rows.map((r) => r.id);
}
