import type { Transaction } from 'kysely';
import type { Database } from '../db/schema.ts';
import { countEvents } from '../log/event-query.ts';

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
  const same: Record<string, string> = q.signature !== undefined ? { signature: q.signature } : { error: q.error };
  return countEvents(trx, { type: 'agent.failed', agentId: q.agentId, afterSeq: q.afterSeq, uptoSeq: q.uptoSeq, since: q.since, data: same });
}
