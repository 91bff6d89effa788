import { type Kysely, sql } from 'kysely';

// Frozen once released: this file must not import application code.

export async function up(db: Kysely<any>): Promise<void> {
  // Spend and limits per agent, per task and per UTC day (scope_id 'YYYY-MM-DD' for global).
  await db.schema
    .createTable('budgets')
    .addColumn('scope', 'text', (c) => c.notNull().check(sql`scope IN ('agent', 'task', 'global')`))
    .addColumn('scope_id', 'text', (c) => c.notNull())
    .addColumn('spent_usd', 'numeric', (c) => c.notNull().defaultTo(0))
    // Null: the configured default for the scope applies.
    .addColumn('limit_usd', 'numeric')
    .addColumn('warned', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('exceeded', 'boolean', (c) => c.notNull().defaultTo(false))
    // An operator resumed the agent past its limit: runs are allowed until the limit changes.
    .addColumn('overridden', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('last_seq', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('budgets_pkey', ['scope', 'scope_id'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('budgets').execute();
}
