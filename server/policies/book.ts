import type { Kysely } from 'kysely';
import type { HubConfig } from '../config.ts';
import type { Database } from '../db/schema.ts';
import { type CompiledRule, type PolicySet, compileRules, configuredRules } from './rules.ts';
import { addedRules } from './store.ts';

/** The rules in force: the config file's (and the shipped set), compiled once, and the ones operators added, read at each check. */
export class PolicyBook {
  readonly configured: readonly CompiledRule[];
  readonly #db: Kysely<Database>;

  /** Throws, naming the rule, when a rule of the config file has a broken regular expression. */
  constructor(db: Kysely<Database>, policies: HubConfig['policies']) {
    this.#db = db;
    this.configured = configuredRules(policies);
  }

  async current(): Promise<PolicySet> {
    return { learned: compileRules(await addedRules(this.#db), 'learned'), configured: this.configured };
  }
}
