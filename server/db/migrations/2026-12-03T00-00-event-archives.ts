import { type Kysely, sql } from 'kysely';

// Frozen: this file must not import application code.

// Retention: aged events of high-volume types leave the hot log for compressed archives, one type
// and one run of seqs each (gzipped NDJSON of the events as `GET /events` serves them). The log
// stays append-only but for this one way out: a DELETE is refused unless an archive of the row's
// type covers its seq, and the retention job writes that archive in the same transaction.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('event_archives')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('first_seq', 'bigint', (c) => c.notNull())
    .addColumn('last_seq', 'bigint', (c) => c.notNull())
    .addColumn('first_at', 'timestamptz', (c) => c.notNull())
    .addColumn('last_at', 'timestamptz', (c) => c.notNull())
    .addColumn('events', 'integer', (c) => c.notNull())
    .addColumn('raw_bytes', 'bigint', (c) => c.notNull())
    .addColumn('ndjson_gz', 'bytea', (c) => c.notNull())
    .addColumn('archived_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await sql`ALTER TABLE event_archives ALTER COLUMN ndjson_gz SET STORAGE EXTERNAL`.execute(db);
  await db.schema.createIndex('event_archives_type_seq').on('event_archives').columns(['type', 'last_seq']).execute();
  await db.schema.createIndex('event_archives_seq').on('event_archives').columns(['last_seq']).execute();
  await sql`
    CREATE OR REPLACE FUNCTION events_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF TG_OP = 'DELETE' THEN
        IF EXISTS (SELECT 1 FROM event_archives a WHERE a.type = OLD.type AND OLD.seq BETWEEN a.first_seq AND a.last_seq) THEN
          RETURN OLD;
        END IF;
      END IF;
      RAISE EXCEPTION 'the event log is append-only: % is refused', TG_OP
        USING ERRCODE = 'restrict_violation';
    END $$`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE OR REPLACE FUNCTION events_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      RAISE EXCEPTION 'the event log is append-only: % is refused', TG_OP
        USING ERRCODE = 'restrict_violation';
    END $$`.execute(db);
  await db.schema.dropTable('event_archives').execute();
}
