import { randomBytes } from 'node:crypto';
import { type Kysely, sql } from 'kysely';

// Frozen: this file must not import application code.

// Notifications: a token may belong to a person of the config file; a person's contact point is
// a receiver of the one outbox, beside the admins' webhooks; one-tap answer links are signed
// with a key made once with the database (every hub on it signs and checks alike) and each is
// used once.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`ALTER TABLE tokens ADD COLUMN person text`.execute(db);

  await sql`ALTER TABLE webhooks ADD COLUMN channel text NOT NULL DEFAULT 'webhook' CHECK (channel IN ('webhook', 'email', 'slack', 'ntfy'))`.execute(db);
  // Null: an admin's subscription; else the person whose contact point this is.
  await sql`ALTER TABLE webhooks ADD COLUMN person text`.execute(db);
  await sql`CREATE UNIQUE INDEX webhooks_contact_point ON webhooks (person, channel) WHERE person IS NOT NULL AND deleted_at IS NULL`.execute(db);

  await db.schema
    .createTable('answer_link_key')
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await sql`CREATE UNIQUE INDEX answer_link_key_one_row ON answer_link_key ((true))`.execute(db);
  await db.insertInto('answer_link_key').values({ key: randomBytes(32).toString('base64url') }).execute();

  await db.schema
    .createTable('answer_links_used')
    .addColumn('nonce', 'text', (c) => c.primaryKey())
    .addColumn('decision_id', 'text', (c) => c.notNull())
    .addColumn('person', 'text', (c) => c.notNull())
    .addColumn('outcome', 'text', (c) => c.notNull())
    .addColumn('used_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('answer_links_used').execute();
  await db.schema.dropTable('answer_link_key').execute();
  await sql`DROP INDEX webhooks_contact_point`.execute(db);
  await sql`ALTER TABLE webhooks DROP COLUMN person, DROP COLUMN channel`.execute(db);
  await sql`ALTER TABLE tokens DROP COLUMN person`.execute(db);
}
