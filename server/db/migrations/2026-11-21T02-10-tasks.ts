import { type Kysely, sql } from 'kysely';

// Frozen once released: this file must not import application code.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('tasks')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('description', 'text')
    .addColumn('priority', 'text', (c) => c.notNull().check(sql`priority IN ('low', 'normal', 'high', 'urgent')`))
    .addColumn('labels', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'`))
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status IN ('todo', 'in_progress', 'review', 'done', 'blocked', 'cancelled')`))
    .addColumn('agent_id', 'text')
    .addColumn('blocked_reason', 'text')
    .addColumn('status_before_block', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
    .addColumn('created_seq', 'bigint', (c) => c.notNull())
    .addColumn('last_seq', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('tasks_created_seq').on('tasks').column('created_seq').execute();
  await db.schema.createIndex('tasks_status_created_seq').on('tasks').columns(['status', 'created_seq']).execute();
  await db.schema.createIndex('tasks_agent_created_seq').on('tasks').columns(['agent_id', 'created_seq']).where('agent_id', 'is not', null).execute();
  await db.schema.createIndex('tasks_labels').on('tasks').using('gin').column('labels').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('tasks').execute();
}
