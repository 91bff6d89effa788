import { type Kysely, sql } from 'kysely';

// Frozen: this file must not import application code.

// A decision about a coding agent's tool call says which tool, so a person may allow the call from now on.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`ALTER TABLE decisions ADD COLUMN tool text`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`ALTER TABLE decisions DROP COLUMN tool`.execute(db);
}
