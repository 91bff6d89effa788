import { type Kysely, sql } from 'kysely';

// Frozen: this file must not import application code.

// The log's event id and idempotency key compare byte by byte (COLLATE "C") rather than by the
// database's language rules: they are opaque keys, only ever compared for equality, and their two
// unique indexes are on every append's path. Byte order lets PostgreSQL compare with memcmp and
// abbreviated keys instead of strcoll: about a sixth less of its time per appended event (timed
// alone, the bench's rows). Equality is the same in either collation, so no stored key changes
// meaning. Webhook deliveries, which name events by id and are joined to them, follow; the table
// is not rewritten, its indexes on these columns are rebuilt (appends wait while they are).
export async function up(db: Kysely<any>): Promise<void> {
  await sql`ALTER TABLE events ALTER COLUMN id TYPE text COLLATE "C", ALTER COLUMN idempotency_key TYPE text COLLATE "C"`.execute(db);
  await sql`ALTER TABLE webhook_deliveries ALTER COLUMN event_id TYPE text COLLATE "C"`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`ALTER TABLE webhook_deliveries ALTER COLUMN event_id TYPE text COLLATE "default"`.execute(db);
  await sql`ALTER TABLE events ALTER COLUMN id TYPE text COLLATE "default", ALTER COLUMN idempotency_key TYPE text COLLATE "default"`.execute(db);
}
