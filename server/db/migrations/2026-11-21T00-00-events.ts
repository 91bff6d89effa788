import { type Kysely, sql } from 'kysely';

// Frozen: this file must not import application code.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('events')
    .addColumn('seq', 'bigserial', (c) => c.primaryKey())
    .addColumn('id', 'text', (c) => c.notNull().unique())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('actor', 'text', (c) => c.notNull())
    .addColumn('agent_id', 'text')
    .addColumn('task_id', 'text')
    .addColumn('decision_id', 'text')
    .addColumn('idempotency_key', 'text', (c) => c.notNull().unique())
    .addColumn('payload_hash', 'text', (c) => c.notNull())
    .addColumn('data', 'jsonb', (c) => c.notNull())
    .addColumn('correlation_id', 'text')
    .addColumn('causation_id', 'text')
    .addColumn('recorded_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('events_agent_seq').on('events').columns(['agent_id', 'seq']).where('agent_id', 'is not', null).execute();
  await db.schema.createIndex('events_task_seq').on('events').columns(['task_id', 'seq']).where('task_id', 'is not', null).execute();
  await db.schema.createIndex('events_decision_seq').on('events').columns(['decision_id', 'seq']).where('decision_id', 'is not', null).execute();
  await db.schema.createIndex('events_type_seq').on('events').columns(['type', 'seq']).execute();

  // The log is append-only, and the database itself says so.
  await sql`
    CREATE FUNCTION events_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      RAISE EXCEPTION 'the event log is append-only: % is refused', TG_OP
        USING ERRCODE = 'restrict_violation';
    END $$`.execute(db);
  await sql`
    CREATE TRIGGER events_append_only BEFORE UPDATE OR DELETE ON events
    FOR EACH ROW EXECUTE FUNCTION events_refuse_change()`.execute(db);
  await sql`
    CREATE TRIGGER events_no_truncate BEFORE TRUNCATE ON events
    FOR EACH STATEMENT EXECUTE FUNCTION events_refuse_change()`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('events').execute();
  await sql`DROP FUNCTION events_refuse_change()`.execute(db);
}
