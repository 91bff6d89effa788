import { nanoid } from 'nanoid';
import { type RetryPolicy, backoffDelay, defaultRetry, sleep } from './backoff.ts';
import { HubClientError } from './errors.ts';
import { type HubConnection, type HubRequest, hubBaseUrl, sendToHub } from './hub-request.ts';
import {
  type ActorView,
  type AgentView,
  type AppendReceipt,
  type BudgetView,
  type DecisionAsk,
  type DecisionView,
  type EventAppend,
  type EventPage,
  type EventSelection,
  type InjectReceipt,
  type SpawnOptions,
  type SpawnReceipt,
  type TaskStatus,
  type TaskView,
  type TokenReceipt,
  type TokenRequest,
  type TokenView,
  type WhoAmI,
  selectionQuery,
} from './views.ts';

export { HubClientError } from './errors.ts';

export interface HubClientOptions {
  url: string;
  token: string;
  fetch?: typeof fetch;
  retry?: Partial<RetryPolicy>;
}

export interface RequestDecisionOptions {
  signal?: AbortSignal;
  /** The idempotency key of the ask (default: a new one, reused by its retries). */
  key?: string;
  /** Called once the hub has the decision, before the wait: e.g. to show its id. */
  onAsked?(decision: DecisionView): void;
}

// While the hub is unreachable, a decision's wait keeps trying this long past the deadline.
const outageGraceMs = 120_000;
const waitSec = 30;

/** A new idempotency key: one per logical call, reused by every retry of it. */
export const newIdempotencyKey = (): string => `sdk:${nanoid()}`;

/** The hub's HTTP API, typed; the one way the CLI, the healer, agents and tests talk to a hub. */
export class HubClient {
  readonly url: string;
  readonly token: string;
  private readonly connection: HubConnection;

  constructor(options: HubClientOptions) {
    this.url = hubBaseUrl(options.url);
    this.token = options.token;
    this.connection = { url: this.url, token: options.token, fetch: options.fetch ?? fetch, retry: { ...defaultRetry, ...options.retry } };
  }

  /** Appends one event or a batch; events without a key get one, so a retry is stored once. */
  append(event: EventAppend): Promise<AppendReceipt>;
  append(events: EventAppend[]): Promise<AppendReceipt[]>;
  async append(input: EventAppend | EventAppend[]): Promise<AppendReceipt | AppendReceipt[]> {
    const keyed = (e: EventAppend): EventAppend => ({ ...e, idempotencyKey: e.idempotencyKey ?? newIdempotencyKey() });
    if (!Array.isArray(input)) return this.send<AppendReceipt>({ method: 'POST', path: '/events', body: keyed(input), idempotent: true });
    const answer = await this.send<{ events: AppendReceipt[] }>({ method: 'POST', path: '/events', body: { events: input.map(keyed) }, idempotent: true });
    return answer.events;
  }

  /** One page of the log (JSON, not a stream): after `after`, oldest first; or before `before` (or the head, with `order: 'desc'`), newest first. */
  page(options: EventSelection & { after?: number; before?: number; order?: 'asc' | 'desc'; limit?: number } = {}): Promise<EventPage> {
    const { after, before, order, limit } = options;
    return this.send({ method: 'GET', path: `/events${selectionQuery(options, { after, before, order, limit })}`, idempotent: true });
  }

  /** Who the actors of events are (`GET /actors`): every token holder, or those among `ids` (at most 100). */
  async actors(ids?: readonly string[]): Promise<ActorView[]> {
    const query = ids === undefined ? '' : `?ids=${enc(ids.join(','))}`;
    return (await this.send<{ actors: ActorView[] }>({ method: 'GET', path: `/actors${query}`, idempotent: true })).actors;
  }

  /** Tells the hub this agent is alive (an agent token, for its own agent); registers an agent the hub did not start. */
  heartbeat(agentId: string, name?: string): Promise<AgentView> {
    return this.send({ method: 'POST', path: `/agents/${enc(agentId)}/heartbeat`, body: name === undefined ? {} : { name }, idempotent: true });
  }

  /**
   * Asks a human and waits for the answer: the final view (resolved, expired or cancelled,
   * following an escalation to its end). The ask carries an idempotency key, so a retry after a
   * hub restart does not ask twice; the wait outlives restarts and network errors.
   */
  async requestDecision(ask: DecisionAsk, options: RequestDecisionOptions = {}): Promise<DecisionView> {
    const key = options.key ?? newIdempotencyKey();
    const asked = await this.send<DecisionView>({ method: 'POST', path: '/decisions', body: ask, headers: { 'idempotency-key': key }, idempotent: true, signal: options.signal });
    options.onAsked?.(asked);
    return this.awaitDecision(asked, options.signal);
  }

  /** Long-polls until the decision is no longer pending (an escalation is followed to its own end). */
  async awaitDecision(decision: DecisionView, signal?: AbortSignal): Promise<DecisionView> {
    let view = decision;
    const once = { ...this.connection.retry, attempts: 1 };
    for (let failures = 0; ; ) {
      const escalatedTo = view.status === 'expired' ? view.escalatedTo : undefined;
      if (view.status !== 'pending' && !escalatedTo) return view;
      try {
        const path = escalatedTo ? `/decisions/${enc(escalatedTo)}` : `/decisions/${enc(view.id)}/wait?timeout=${waitSec}`;
        view = await this.send<DecisionView>({ method: 'GET', path, idempotent: true, timeoutMs: (waitSec + 15) * 1000, signal, retry: once });
        failures = 0;
      } catch (error) {
        const outageOver = Date.now() > Date.parse(view.expiresAt) + outageGraceMs;
        if (signal?.aborted || !(error instanceof HubClientError) || !error.transient || outageOver) throw error;
        await sleep(backoffDelay(++failures, this.connection.retry), signal);
      }
    }
  }

  /** The inbox: every decision, or those with `status`. */
  async decisions(status?: DecisionView['status']): Promise<DecisionView[]> {
    const query = status ? `?status=${enc(status)}` : '';
    return (await this.send<{ decisions: DecisionView[] }>({ method: 'GET', path: `/decisions${query}`, idempotent: true })).decisions;
  }

  decision(id: string): Promise<DecisionView> {
    return this.send({ method: 'GET', path: `/decisions/${enc(id)}`, idempotent: true });
  }

  /** Answers a decision (`approve`, `deny` or one of its options); the same answer again is harmless. */
  resolve(id: string, outcome: string, comment?: string): Promise<DecisionView> {
    const body = { outcome, ...(comment !== undefined ? { comment } : {}) };
    return this.send({ method: 'POST', path: `/decisions/${enc(id)}/resolve`, body, idempotent: true });
  }

  /** Withdraws a pending decision (one the caller asked, or any as an operator); a settled one is a 409. */
  cancelDecision(id: string, reason?: string): Promise<DecisionView> {
    return this.send({ method: 'POST', path: `/decisions/${enc(id)}/cancel`, body: reason !== undefined ? { reason } : {}, idempotent: false });
  }

  async agents(): Promise<AgentView[]> {
    return (await this.send<{ agents: AgentView[] }>({ method: 'GET', path: '/agents', idempotent: true })).agents;
  }

  agent(id: string): Promise<AgentView> {
    return this.send({ method: 'GET', path: `/agents/${enc(id)}`, idempotent: true });
  }

  /** Starts an agent from a configured template; the answer holds its token, shown this once. */
  spawn(template: string, options: SpawnOptions = {}): Promise<SpawnReceipt> {
    return this.send({ method: 'POST', path: '/spawn', body: { template, ...options }, idempotent: false });
  }

  /** Hands a running agent a message. */
  inject(agentId: string, message: string): Promise<InjectReceipt> {
    return this.send({ method: 'POST', path: '/inject', body: { agentId, message }, idempotent: false });
  }

  pause(agentId: string, reason?: string): Promise<AgentView> {
    return this.send({ method: 'POST', path: `/agents/${enc(agentId)}/pause`, body: reason ? { reason } : {}, idempotent: false });
  }

  resume(agentId: string, reason?: string): Promise<AgentView> {
    return this.send({ method: 'POST', path: `/agents/${enc(agentId)}/resume`, body: reason ? { reason } : {}, idempotent: false });
  }

  /** The task board: every task, or those with `status`. */
  async tasks(status?: TaskStatus): Promise<TaskView[]> {
    const query = status ? `?status=${enc(status)}` : '';
    return (await this.send<{ tasks: TaskView[] }>({ method: 'GET', path: `/tasks${query}`, idempotent: true })).tasks;
  }

  /** Spend and limits: every budget with spend or a limit of its own. */
  async budgets(): Promise<BudgetView[]> {
    return (await this.send<{ budgets: BudgetView[] }>({ method: 'GET', path: '/budgets', idempotent: true })).budgets;
  }

  /** Mints a token (admin only); the answer holds the secret, shown this once. */
  mintToken(request: TokenRequest): Promise<TokenReceipt> {
    return this.send({ method: 'POST', path: '/tokens', body: request, idempotent: false });
  }

  /** Every token, revoked ones too (admin only); never a secret. */
  async tokens(): Promise<TokenView[]> {
    return (await this.send<{ tokens: TokenView[] }>({ method: 'GET', path: '/tokens', idempotent: true })).tokens;
  }

  /** Revokes a token (admin only): every hub refuses it within its cache time. */
  revokeToken(id: string): Promise<TokenView> {
    return this.send({ method: 'DELETE', path: `/tokens/${enc(id)}`, idempotent: true });
  }

  /** The caller behind this client's token. */
  whoami(): Promise<WhoAmI> {
    return this.send({ method: 'GET', path: '/whoami', idempotent: true });
  }

  private send<T>(request: HubRequest): Promise<T> {
    return sendToHub<T>(this.connection, request);
  }
}

const enc = encodeURIComponent;
