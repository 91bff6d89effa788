import type { AgentView, DecisionView, InjectReceipt, SpawnReceipt, SpawnRequest } from '../views.ts';
import { type CallOptions, HubResource, segment } from './resource.ts';

export interface SpawnCallOptions extends CallOptions {
  /** Makes the spawn safe to retry: the same key always answers the same agent. */
  idempotencyKey?: string;
}

/** Which agents `list` reads: every one, or one project's. */
export interface AgentQuery {
  project?: string;
}

/** The agents: read them, keep one alive, pause, resume and stop, start one, hand one a message. */
export class Agents extends HubResource {
  /** Every agent the hub knows, or those of `query.project`. */
  async list(query: AgentQuery = {}, options: CallOptions = {}): Promise<AgentView[]> {
    const search = query.project ? `?project=${segment(query.project)}` : '';
    return (await this.send<{ agents: AgentView[] }>({ method: 'GET', path: `/agents${search}`, idempotent: true }, options)).agents;
  }

  /** One agent by its id. */
  get(id: string, options: CallOptions = {}): Promise<AgentView> {
    return this.send({ method: 'GET', path: `/agents/${segment(id)}`, idempotent: true }, options);
  }

  /** Tells the hub this agent is alive (an agent token, for its own agent); registers an agent the hub did not start. */
  heartbeat(id: string, name?: string, options: CallOptions = {}): Promise<AgentView> {
    return this.send({ method: 'POST', path: `/agents/${segment(id)}/heartbeat`, body: name === undefined ? {} : { name }, idempotent: true }, options);
  }

  /** Pauses the agent at its next checkpoint; 409 when it is paused already or has ended. */
  pause(id: string, reason?: string, options: CallOptions = {}): Promise<AgentView> {
    return this.send({ method: 'POST', path: `/agents/${segment(id)}/pause`, body: reason ? { reason } : {}, idempotent: false }, options);
  }

  /** Resumes a paused agent; 409 when it is not paused. */
  resume(id: string, reason?: string, options: CallOptions = {}): Promise<AgentView> {
    return this.send({ method: 'POST', path: `/agents/${segment(id)}/resume`, body: reason ? { reason } : {}, idempotent: false }, options);
  }

  /** Stops an agent the hub started (SIGTERM, then SIGKILL after the grace period); its end is logged as `agent.exited` with `stoppedBy`. */
  stop(id: string, reason?: string, options: CallOptions = {}): Promise<AgentView> {
    return this.send({ method: 'POST', path: `/agents/${segment(id)}/stop`, body: reason ? { reason } : {}, idempotent: false }, options);
  }

  /** Puts an ended agent's workspace branch up for a merge: the decision that settles it (its runner applies an approved one). */
  merge(id: string, reason?: string, options: CallOptions = {}): Promise<DecisionView> {
    return this.send({ method: 'POST', path: `/agents/${segment(id)}/merge`, body: reason ? { reason } : {}, idempotent: false }, options);
  }

  /** Pauses every live agent, and spawning, until resumeAll. */
  pauseAll(options: CallOptions = {}): Promise<{ paused: string[] }> {
    return this.send({ method: 'POST', path: '/pause-all', body: {}, idempotent: false }, options);
  }

  /** Lifts pauseAll. */
  resumeAll(options: CallOptions = {}): Promise<{ resumed: string[] }> {
    return this.send({ method: 'POST', path: '/resume-all', body: {}, idempotent: false }, options);
  }

  /** Starts an agent from a configured template (or again from a failed one's request); the answer holds its token, shown this once. */
  spawn(request: SpawnRequest, options: SpawnCallOptions = {}): Promise<SpawnReceipt> {
    const { idempotencyKey } = options;
    const headers = idempotencyKey !== undefined ? { headers: { 'idempotency-key': idempotencyKey } } : {};
    return this.send({ method: 'POST', path: '/spawn', body: request, ...headers, idempotent: idempotencyKey !== undefined }, options);
  }

  /** Hands a running agent a message. */
  inject(id: string, message: string, options: CallOptions = {}): Promise<InjectReceipt> {
    return this.send({ method: 'POST', path: '/inject', body: { agentId: id, message }, idempotent: false }, options);
  }
}
