import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { Decision } from './decision.ts';
import { decisionOfRow } from './row.ts';

/** One decision by id, or undefined. */
export async function loadDecision(db: Kysely<Database>, id: string): Promise<Decision | undefined> {
  const row = await db.selectFrom('decisions').selectAll().where('id', '=', id).executeTakeFirst();
  return row === undefined ? undefined : decisionOfRow(row);
}
