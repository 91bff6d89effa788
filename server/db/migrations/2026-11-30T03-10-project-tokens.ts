import { sql, type Kysely } from 'kysely';

// Frozen: this file must not import application code.

// A token may be scoped to one project: it sees and acts only there.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`ALTER TABLE tokens ADD COLUMN project_id text`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`ALTER TABLE tokens DROP COLUMN project_id`.execute(db);
}
