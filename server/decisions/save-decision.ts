import type { Transaction } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { Decision } from './decision.ts';
import { rowOfDecision } from './row.ts';

/** Writes the decision's row as of the event at `seq`, inserting or replacing it. */
export async function saveDecision(trx: Transaction<Database>, decision: Decision, seq: number): Promise<void> {
  const row = rowOfDecision(decision, seq);
  const { id: _id, ...changes } = row;
  await trx.insertInto('decisions').values(row).onConflict((oc) => oc.column('id').doUpdateSet(changes)).execute();
}
