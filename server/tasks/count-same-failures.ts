import { type Transaction, sql } from 'kysely';
import type { Database } from '../db/schema.ts';

export interface SameFailureQuery {
  agentId: string;
  /** Compared when set; otherwise the error text is. */
  signature: string | undefined;
  error: string;
  /** Only events after this `seq`, up to and including `uptoSeq`, recorded at or after `since`. */
  afterSeq: number;
  uptoSeq: number;
  since: Date;
}

/** How many times the agent logged this failure (`agent.failed`) in the range. */
export async function countSameFailures(trx: Transaction<Database>, q: SameFailureQuery): Promise<number> {
  const same = q.signature !== undefined ? sql`data->>'signature' = ${q.signature}` : sql`data->>'error' = ${q.error}`;
  const { rows } = await sql<{ n: number }>`
    SELECT count(*)::int AS n FROM events
    WHERE agent_id = ${q.agentId} AND seq > ${q.afterSeq} AND seq <= ${q.uptoSeq}
      AND type = 'agent.failed' AND recorded_at >= ${q.since} AND ${same}`.execute(trx);
  return rows[0]?.n ?? 0;
}
