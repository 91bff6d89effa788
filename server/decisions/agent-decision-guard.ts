import type { Transaction } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { NewEvent } from '../log/event.ts';
import { loadDecision } from './load-decision.ts';
import { refuseForeignDecision } from './rules.ts';

/** Refuses (403) an agent's report that names a decision it did not ask. */
export async function guardAgentDecision(trx: Transaction<Database>, event: NewEvent): Promise<void> {
  const refusal = refuseForeignDecision(event.agentId!, event.decisionId!, await loadDecision(trx, event.decisionId!));
  if (refusal !== undefined) throw refusal;
}
