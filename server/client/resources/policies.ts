import type { PolicyCheck, PolicyVerdict } from '../views.ts';
import { type CallOptions, HubResource } from './resource.ts';

/** The policy coding agents' tool calls are judged by. */
export class Policies extends HubResource {
  /** Which rule a tool call meets and its verdict, without asking anyone or logging anything. */
  check(call: PolicyCheck, options: CallOptions = {}): Promise<PolicyVerdict> {
    return this.send({ method: 'POST', path: '/policies/check', body: call, idempotent: true }, options);
  }
}
