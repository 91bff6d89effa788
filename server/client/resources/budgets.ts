import type { BudgetView } from '../views.ts';
import { type CallOptions, HubResource } from './resource.ts';

/** Spend against limits. */
export class Budgets extends HubResource {
  /** Every budget with spend or a limit of its own. */
  async list(options: CallOptions = {}): Promise<BudgetView[]> {
    return (await this.send<{ budgets: BudgetView[] }>({ method: 'GET', path: '/budgets', idempotent: true }, options)).budgets;
  }
}
