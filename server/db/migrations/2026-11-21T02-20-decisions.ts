import { type Kysely, sql } from 'kysely';

// Frozen once released: this file must not import application code.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('decisions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('context', 'text', (c) => c.notNull())
    .addColumn('options', 'jsonb', (c) => c.notNull())
    .addColumn('risk', 'text', (c) => c.notNull().check(sql`risk IN ('low', 'medium', 'high', 'red')`))
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status IN ('pending', 'resolved', 'expired', 'cancelled')`))
    .addColumn('outcome', 'text')
    .addColumn('approvals', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn('resolved_by', 'text')
    .addColumn('comment', 'text')
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .addColumn('on_timeout', 'text', (c) => c.notNull().check(sql`on_timeout IN ('deny', 'approve', 'escalate')`))
    .addColumn('agent_id', 'text')
    .addColumn('task_id', 'text')
    .addColumn('requested_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('resolved_at', 'timestamptz')
    .addColumn('escalated_to', 'text')
    .addColumn('last_seq', 'bigint', (c) => c.notNull())
    .execute();
  // The inbox: pending by deadline (also what the expiry timer scans), the rest newest first.
  await db.schema.createIndex('decisions_pending_deadline').on('decisions').columns(['expires_at']).where(sql.ref('status'), '=', 'pending').execute();
  await db.schema.createIndex('decisions_status_created').on('decisions').columns(['status', 'created_at']).execute();
  await db.schema.createIndex('decisions_agent').on('decisions').columns(['agent_id']).where('agent_id', 'is not', null).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('decisions').execute();
}
