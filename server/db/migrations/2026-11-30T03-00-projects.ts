import { type Kysely, sql } from 'kysely';

// Frozen: this file must not import application code.

// Projects: the agents, tasks and decisions views say which project each belongs to.
export async function up(db: Kysely<any>): Promise<void> {
  for (const table of ['agents', 'tasks', 'decisions']) {
    await sql`ALTER TABLE ${sql.table(table)} ADD COLUMN project_id text NOT NULL DEFAULT 'default'`.execute(db);
    await db.schema.createIndex(`${table}_project_id`).on(table).column('project_id').execute();
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['agents', 'tasks', 'decisions']) await sql`ALTER TABLE ${sql.table(table)} DROP COLUMN project_id`.execute(db);
}
