import { type Kysely, sql } from 'kysely';

// Frozen: this file must not import application code.

// Coders: the token a machine's or a person's coding agents (Claude Code sessions) send their hooks with.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`ALTER TABLE tokens DROP CONSTRAINT tokens_role_check`.execute(db);
  await sql`ALTER TABLE tokens ADD CONSTRAINT tokens_role_check CHECK (role IN ('admin', 'operator', 'agent', 'healer', 'viewer', 'runner', 'coder'))`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`ALTER TABLE tokens DROP CONSTRAINT tokens_role_check`.execute(db);
  await sql`ALTER TABLE tokens ADD CONSTRAINT tokens_role_check CHECK (role IN ('admin', 'operator', 'agent', 'healer', 'viewer', 'runner'))`.execute(db);
}
