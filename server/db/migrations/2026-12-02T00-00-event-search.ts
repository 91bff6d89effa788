import { type Kysely, sql } from 'kysely';

// Frozen: this file must not import application code.

// Full-text search over the log (`GET /events?q=`): a GIN index of the words of every string value
// in an event's data, parsed by the `simple` configuration (no stemming, no stop words), so ids,
// commands and paths are found as written. Data over 128 KiB of JSON is left out: a tsvector holds
// at most 1 MiB, and an event the index could not hold would fail to append. The reads must use
// this expression word for word (server/log/search.ts). A plain CREATE INDEX: Kysely runs each
// migration in a transaction, where CONCURRENTLY is refused; it locks out appends while it builds.
// fastupdate (GIN's default) queues new entries in a pending list merged in bulk, by autovacuum or
// once the list is full, rather than updating the index tree on every insert.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE INDEX events_search ON events USING gin (
      (CASE WHEN octet_length(data::text) <= 131072 THEN jsonb_to_tsvector('simple', data, '["string"]') ELSE ''::tsvector END)
    ) WITH (fastupdate = on)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP INDEX events_search`.execute(db);
}
