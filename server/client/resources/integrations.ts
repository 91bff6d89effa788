import { type CallOptions, HubResource, segment } from './resource.ts';

/** How long a hook may wait on its decision, and then some: the hub answers by `codingAgents.decisionWaitSec`. */
const hookTimeoutMs = 3_600_000;

/** Coding agents' hooks (a coder token), sent as the coding agent sends them. */
export class Integrations extends HubResource {
  /** One hook's input, as `vendor` sends it; the answer is in the vendor's own format. Never retried: a tool call may open a decision. */
  hook(vendor: string, payload: unknown, options: CallOptions = {}): Promise<unknown> {
    return this.send({ method: 'POST', path: `/integrations/${segment(vendor)}/hooks`, body: payload, idempotent: false, timeoutMs: hookTimeoutMs }, options);
  }
}
