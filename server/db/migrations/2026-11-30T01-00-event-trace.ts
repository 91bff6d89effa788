import { type Kysely, sql } from 'kysely';

// Frozen: this file must not import application code.

// The W3C trace an event belongs to (its trace id) and the span of the request that appended it,
// so a trace that crosses agents, the hub and the healer can be followed through the log.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`ALTER TABLE events ADD COLUMN trace_id text, ADD COLUMN span_id text`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`ALTER TABLE events DROP COLUMN trace_id, DROP COLUMN span_id`.execute(db);
}
