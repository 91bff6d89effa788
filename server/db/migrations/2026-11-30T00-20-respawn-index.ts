import { type Kysely, sql } from 'kysely';

// Frozen: this file must not import application code.

// A respawn checks, under the log lock, whether the failed agent was respawned already: an index
// probe instead of a scan of every spawn request in the log.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`CREATE INDEX events_respawn_of ON events ((data->>'respawnOf')) WHERE type = 'agent.spawn_requested'`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP INDEX events_respawn_of`.execute(db);
}
