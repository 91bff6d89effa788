import type { Transaction } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { Budget } from './budget.ts';

/** Writes budgets' rows in one statement, inserting those seen for the first time. */
export async function saveBudgets(trx: Transaction<Database>, budgets: readonly Budget[]): Promise<void> {
  if (budgets.length === 0) return;
  await trx
    .insertInto('budgets')
    .values(
      budgets.map((b) => ({
        scope: b.scope,
        scope_id: b.scopeId,
        spent_usd: b.spentUsd,
        limit_usd: b.limitUsd,
        warned: b.warned,
        exceeded: b.exceeded,
        overridden: b.overridden,
        last_seq: b.lastSeq,
      })),
    )
    .onConflict((oc) =>
      oc.columns(['scope', 'scope_id']).doUpdateSet((eb) => ({
        spent_usd: eb.ref('excluded.spent_usd'),
        limit_usd: eb.ref('excluded.limit_usd'),
        warned: eb.ref('excluded.warned'),
        exceeded: eb.ref('excluded.exceeded'),
        overridden: eb.ref('excluded.overridden'),
        last_seq: eb.ref('excluded.last_seq'),
      })),
    )
    .execute();
}
