import type { AgentStartPlan, RunnerReceipt, RunnerRegistration, RunnerView, WorkPage } from '../views.ts';
import { type CallOptions, HubResource, segment } from './resource.ts';

/** The runners: a list for people, and a runner's own calls (with a runner token). */
export class Runners extends HubResource {
  /** Every runner, with its state and load (admin, operator, viewer). */
  async list(options: CallOptions = {}): Promise<RunnerView[]> {
    return (await this.send<{ runners: RunnerView[] }>({ method: 'GET', path: '/runners', idempotent: true }, options)).runners;
  }

  /** Says what this runner is and which agents it runs; again whenever the hub has marked it offline. */
  register(registration: RunnerRegistration, options: CallOptions = {}): Promise<RunnerReceipt> {
    return this.send({ method: 'POST', path: '/runners', body: registration, idempotent: true }, options);
  }

  /** The runner's work after `after` in the log, held open up to `waitMs` when there is none. */
  work(runnerId: string, after: number, waitMs: number, options: CallOptions = {}): Promise<WorkPage> {
    return this.send({ method: 'GET', path: `/runners/${segment(runnerId)}/work?after=${after}&wait=${waitMs}`, idempotent: true, timeoutMs: waitMs + 10_000 }, options);
  }

  /** Tells the hub the runner starts an agent it was assigned, and takes the agent's token. */
  start(runnerId: string, agentId: string, options: CallOptions = {}): Promise<AgentStartPlan> {
    return this.send({ method: 'POST', path: `/runners/${segment(runnerId)}/agents/${segment(agentId)}/start`, idempotent: true }, options);
  }
}
