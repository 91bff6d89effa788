import { type Kysely, sql } from 'kysely';

// Frozen once released: this file must not import application code.

export async function up(db: Kysely<any>): Promise<void> {
  // The agents view, folded from the log (emptied and refilled by a rebuild).
  await db.schema
    .createTable('agents')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('template', 'text')
    .addColumn('status', 'text', (c) =>
      c.notNull().check(sql`status IN ('spawning', 'running', 'awaiting_decision', 'paused', 'stale', 'exited', 'failed')`),
    )
    .addColumn('task_id', 'text')
    .addColumn('pending_decision_id', 'text')
    .addColumn('paused_reason', 'text')
    .addColumn('last_event_at', 'timestamptz')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('last_seq', 'bigint', (c) => c.notNull())
    .addColumn('status_seq', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('agents_status').on('agents').column('status').execute();
  await db.schema.createIndex('agents_task_id').on('agents').column('task_id').where('task_id', 'is not', null).execute();
  await db.schema.createIndex('agents_pending_decision_id').on('agents').column('pending_decision_id').where('pending_decision_id', 'is not', null).execute();

  // Liveness, not a view: heartbeats are not events, so a rebuild leaves this table alone.
  await db.schema
    .createTable('agent_heartbeats')
    .addColumn('agent_id', 'text', (c) => c.primaryKey())
    .addColumn('last_seen_at', 'timestamptz', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('agent_heartbeats').execute();
  await db.schema.dropTable('agents').execute();
}
