import { type Kysely, sql } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { DecisionStatus } from '../../contracts/vocabulary.ts';
import type { Decision } from './decision.ts';
import { decisionOfRow } from './row.ts';

/** The inbox: pending decisions first, soonest deadline first, then the rest newest first. */
export async function listDecisions(db: Kysely<Database>, status: DecisionStatus | undefined, limit: number): Promise<Decision[]> {
  let query = db.selectFrom('decisions').selectAll();
  if (status !== undefined) query = query.where('status', '=', status);
  const rows = await query
    .orderBy(sql`status = 'pending'`, 'desc')
    .orderBy(sql`CASE WHEN status = 'pending' THEN expires_at END`, 'asc')
    .orderBy('created_at', 'desc')
    .orderBy('last_seq', 'desc')
    .limit(limit)
    .execute();
  return rows.map(decisionOfRow);
}
