import { type Kysely, sql } from 'kysely';

// Frozen: this file must not import application code.

/**
 * The identity of this log, made once with the database: one row, never changed. Whatever
 * the hub signs or hands out (healer callbacks, later cursors) names it, so what belongs to one
 * log is never taken for another's.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('hub_identity')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await sql`CREATE UNIQUE INDEX hub_identity_one_row ON hub_identity ((true))`.execute(db);
  await sql`INSERT INTO hub_identity (id) VALUES ('log_' || replace(gen_random_uuid()::text, '-', ''))`.execute(db);
  await sql`
    CREATE FUNCTION hub_identity_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      RAISE EXCEPTION 'the hub identity is made once: % is refused', TG_OP
        USING ERRCODE = 'restrict_violation';
    END $$`.execute(db);
  await sql`
    CREATE TRIGGER hub_identity_fixed BEFORE UPDATE OR DELETE ON hub_identity
    FOR EACH ROW EXECUTE FUNCTION hub_identity_refuse_change()`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('hub_identity').execute();
  await sql`DROP FUNCTION hub_identity_refuse_change()`.execute(db);
}
