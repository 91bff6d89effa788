import { type Kysely, sql } from 'kysely';

// Frozen: this file must not import application code.

// Policy rules operators added by approving a tool call "from now on", folded from the log.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('policy_rules')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('rule', 'jsonb', (c) => c.notNull())
    .addColumn('seq', 'bigint', (c) => c.notNull())
    .execute();
  await sql`CREATE INDEX policy_rules_seq ON policy_rules (seq DESC)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('policy_rules').execute();
}
