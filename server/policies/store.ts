import type { ColumnType, Kysely, Transaction } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { PolicyRule } from './model.ts';

/** The rules operators added (`policy.rule_added`), one row each. */
export interface PolicyRulesTable {
  name: string;
  rule: ColumnType<PolicyRule, string, string>;
  seq: ColumnType<string, number, number>;
}

export interface PoliciesTables {
  policy_rules: PolicyRulesTable;
}

/** The added rules, newest first: a later "from now on" is checked before an earlier one. */
export async function addedRules(db: Kysely<Database>): Promise<PolicyRule[]> {
  const rows = await db.selectFrom('policy_rules').select('rule').orderBy('seq', 'desc').execute();
  return rows.map((row) => row.rule);
}

export async function saveRule(trx: Transaction<Database>, rule: PolicyRule, seq: number): Promise<void> {
  await trx
    .insertInto('policy_rules')
    .values({ name: rule.name, rule: JSON.stringify(rule), seq })
    .onConflict((oc) => oc.column('name').doUpdateSet({ rule: JSON.stringify(rule), seq }))
    .execute();
}
