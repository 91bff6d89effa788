import { backoffDelay, sleep } from '../backoff.ts';
import { HubClientError } from '../errors.ts';
import { newIdempotencyKey } from '../idempotency.ts';
import type { DecisionAsk, DecisionStatus, DecisionView } from '../views.ts';
import { type CallOptions, HubResource, segment } from './resource.ts';

export interface RequestDecisionOptions extends CallOptions {
  /** The idempotency key of the ask (default: a new one, reused by its retries). */
  key?: string;
  /** Called once the hub has the decision, before the wait: e.g. to show its id. */
  onAsked?(decision: DecisionView): void;
}

/** Which decisions `list` reads: every one, or those with `status`, of `project`; at most `limit`. */
export interface DecisionQuery {
  status?: DecisionStatus;
  project?: string;
  limit?: number;
}

export interface ResolveOptions extends CallOptions {
  /** For an approval of a coding agent's tool call: allow the same call from now on for the asking agent, its project, or everyone. */
  allowFromNow?: 'agent' | 'project' | 'everyone';
}

// While the hub is unreachable, a decision's wait keeps trying this long past the deadline.
const outageGraceMs = 120_000;
const waitSec = 30;

/** The decision inbox: ask and wait, answer, withdraw, read. */
export class Decisions extends HubResource {
  /**
   * Asks a human and waits for the answer: the final view (resolved, expired or cancelled,
   * following an escalation to its end). The ask carries an idempotency key, so a retry after a
   * hub restart does not ask twice; the wait outlives restarts and network errors.
   */
  async request(ask: DecisionAsk, options: RequestDecisionOptions = {}): Promise<DecisionView> {
    const key = options.key ?? newIdempotencyKey();
    const asked = await this.send<DecisionView>({ method: 'POST', path: '/decisions', body: ask, headers: { 'idempotency-key': key }, idempotent: true }, options);
    options.onAsked?.(asked);
    return this.wait(asked, options);
  }

  /** Long-polls until the decision is no longer pending (an escalation is followed to its own end). */
  async wait(decision: DecisionView, options: CallOptions = {}): Promise<DecisionView> {
    const { signal } = options;
    let view = decision;
    const once = { ...this.connection.retry, attempts: 1 };
    for (let failures = 0; ; ) {
      const escalatedTo = view.status === 'expired' ? view.escalatedTo : undefined;
      if (view.status !== 'pending' && !escalatedTo) return view;
      try {
        const path = escalatedTo ? `/decisions/${segment(escalatedTo)}` : `/decisions/${segment(view.id)}/wait?timeout=${waitSec}`;
        view = await this.send<DecisionView>({ method: 'GET', path, idempotent: true, timeoutMs: (waitSec + 15) * 1000, retry: once }, options);
        failures = 0;
      } catch (error) {
        const outageOver = Date.now() > Date.parse(view.expiresAt) + outageGraceMs;
        if (signal?.aborted || !(error instanceof HubClientError) || !error.transient || outageOver) throw error;
        await sleep(backoffDelay(++failures, this.connection.retry), signal);
      }
    }
  }

  /**
   * Answers a decision (`approve`, `deny` or one of its options); the same answer again is
   * harmless. With `allowFromNow`, an approval of a tool call also allows the same call from now on.
   */
  resolve(id: string, outcome: string, comment?: string, options: ResolveOptions = {}): Promise<DecisionView> {
    const { allowFromNow } = options;
    const body = { outcome, ...(comment !== undefined ? { comment } : {}), ...(allowFromNow !== undefined ? { allowFromNow } : {}) };
    return this.send({ method: 'POST', path: `/decisions/${segment(id)}/resolve`, body, idempotent: true }, options);
  }

  /** Withdraws a pending decision (one the caller asked, or any as an operator); a settled one is a 409. */
  cancel(id: string, reason?: string, options: CallOptions = {}): Promise<DecisionView> {
    return this.send({ method: 'POST', path: `/decisions/${segment(id)}/cancel`, body: reason !== undefined ? { reason } : {}, idempotent: false }, options);
  }

  /** One decision by its id. */
  get(id: string, options: CallOptions = {}): Promise<DecisionView> {
    return this.send({ method: 'GET', path: `/decisions/${segment(id)}`, idempotent: true }, options);
  }

  /** The inbox: every decision, or those with `status`. */
  async list(query: DecisionQuery = {}, options: CallOptions = {}): Promise<DecisionView[]> {
    const params = new URLSearchParams();
    if (query.status) params.set('status', query.status);
    if (query.project) params.set('project', query.project);
    if (query.limit !== undefined) params.set('limit', String(query.limit));
    const search = params.size === 0 ? '' : `?${params}`;
    return (await this.send<{ decisions: DecisionView[] }>({ method: 'GET', path: `/decisions${search}`, idempotent: true }, options)).decisions;
  }
}
