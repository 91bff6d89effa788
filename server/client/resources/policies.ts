import type { PolicyRules } from '../../../contracts/api-views.ts';
import type { PolicyCheck, PolicyVerdict } from '../views.ts';
import { type CallOptions, HubResource } from './resource.ts';

/** A policy rule as `GET /policies` lists it. */
export type PolicyRuleView = PolicyRules['rules'][number];

/** The policy coding agents' tool calls are judged by. */
export class Policies extends HubResource {
  /** Every rule, in the order they are checked: learned, the config file's, the shipped set (admin only). */
  async list(options: CallOptions = {}): Promise<PolicyRuleView[]> {
    return (await this.send<PolicyRules>({ method: 'GET', path: '/policies', idempotent: true }, options)).rules;
  }

  /** Which rule a tool call meets and its verdict, without asking anyone or logging anything. */
  check(call: PolicyCheck, options: CallOptions = {}): Promise<PolicyVerdict> {
    return this.send({ method: 'POST', path: '/policies/check', body: call, idempotent: true }, options);
  }
}
