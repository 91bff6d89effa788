import type { Kysely } from 'kysely';

// Frozen once released: this file must not import application code.

export async function up(_db: Kysely<any>): Promise<void> {}

export async function down(_db: Kysely<any>): Promise<void> {}
