import { type Kysely, sql } from 'kysely';

// Frozen: this file must not import application code.

// Runners: a role of their own, the runners view, and which runner each agent is placed on.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`ALTER TABLE tokens DROP CONSTRAINT tokens_role_check`.execute(db);
  await sql`ALTER TABLE tokens ADD CONSTRAINT tokens_role_check CHECK (role IN ('admin', 'operator', 'agent', 'healer', 'viewer', 'runner'))`.execute(db);
  await sql`ALTER TABLE agents DROP CONSTRAINT agents_status_check`.execute(db);
  await sql`ALTER TABLE agents ADD CONSTRAINT agents_status_check CHECK (status IN ('spawning', 'running', 'awaiting_decision', 'paused', 'stale', 'lost', 'exited', 'failed'))`.execute(db);
  await sql`ALTER TABLE agents ADD COLUMN runner_id text`.execute(db);
  await db.schema.createIndex('agents_runner_id').on('agents').column('runner_id').where('runner_id', 'is not', null).execute();

  // The runners view, folded from the log (emptied and refilled by a rebuild).
  await db.schema
    .createTable('runners')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('labels', 'jsonb', (c) => c.notNull())
    .addColumn('capacity', 'integer', (c) => c.notNull())
    .addColumn('templates', 'jsonb', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status IN ('online', 'offline')`))
    .addColumn('registered_at', 'timestamptz', (c) => c.notNull())
    .addColumn('last_seq', 'bigint', (c) => c.notNull())
    .execute();

  // Liveness, not a view: a runner's polls are not events, so a rebuild leaves this table alone.
  await db.schema
    .createTable('runner_contacts')
    .addColumn('runner_id', 'text', (c) => c.primaryKey())
    .addColumn('last_seen_at', 'timestamptz', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('runner_contacts').execute();
  await db.schema.dropTable('runners').execute();
  await sql`ALTER TABLE agents DROP COLUMN runner_id`.execute(db);
}
