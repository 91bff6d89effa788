import { type TraceContext, parseTraceparent } from '../../contracts/trace-context.ts';
import type { RetryPolicy } from './backoff.ts';
import { findAgentStart } from './agent-start.ts';
import { HubClient } from './hub-client.ts';
import { PauseGate } from './pause-gate.ts';
import type { AppendReceipt, DecisionAsk, DecisionView, EventAppend, EventEnvelope, InjectedMessage } from './views.ts';

export interface AgentOptions {
  url: string;
  agentId: string;
  /** The agent's own token: it speaks only for this agent. */
  token: string;
  /** Shown in `/agents` when this agent registers itself (the hub did not start it). */
  name?: string;
  fetch?: typeof fetch;
  retry?: Partial<RetryPolicy>;
  /** The W3C trace span of this agent's work: the hub keeps it on every event the agent appends. */
  trace?: TraceContext;
}

/**
 * The SDK for code running as an agent: report events and progress, stay alive with heartbeats,
 * ask for decisions, take injected messages, and stop at checkpoints while an operator pauses it.
 */
export class Agent {
  readonly id: string;
  readonly hub: HubClient;
  private readonly options: AgentOptions;
  private readonly closing = new AbortController();
  private heartbeat: NodeJS.Timeout | undefined;
  private started: Promise<void> | undefined;
  private registered: Promise<unknown> | undefined;
  private failure: unknown;
  private readonly gate = new PauseGate();
  private readonly inbox: InjectedMessage[] = [];
  private wake: (() => void) | undefined;

  constructor(options: AgentOptions) {
    this.id = options.agentId;
    this.options = options;
    this.hub = new HubClient({ url: options.url, token: options.token, fetch: options.fetch, retry: options.retry, ...(options.trace ? { trace: options.trace } : {}) });
  }

  /**
   * The agent the hub started: `MC_HUB_URL`, `MC_AGENT_ID`, `MC_AGENT_TOKEN`, `MC_AGENT_NAME` and
   * the W3C `TRACEPARENT` of its span (the one place the SDK reads the environment).
   */
  static fromEnvironment(env: Readonly<Record<string, string | undefined>> = process.env): Agent {
    const missing = ['MC_HUB_URL', 'MC_AGENT_ID', 'MC_AGENT_TOKEN'].filter((name) => !env[name]);
    if (missing.length > 0) throw new Error(`${missing.join(', ')} not set: an agent gets them when the hub spawns it (POST /spawn)`);
    const name = env.MC_AGENT_NAME || undefined;
    const trace = parseTraceparent(env.TRACEPARENT);
    return new Agent({ url: env.MC_HUB_URL!, agentId: env.MC_AGENT_ID!, token: env.MC_AGENT_TOKEN!, ...(name !== undefined ? { name } : {}), ...(trace ? { trace } : {}) });
  }

  /** Appends an event about this agent (an agent token may append `x.*`, `agent.output`, `run.*`, ...). */
  async emit(type: string, data: Record<string, unknown>, extra: Omit<EventAppend, 'type' | 'data' | 'agentId'> = {}): Promise<AppendReceipt> {
    await this.register();
    return this.hub.events.append({ ...extra, type, data, agentId: this.id });
  }

  /** Reports progress in words, as an `x.progress` event. */
  progress(text: string): Promise<AppendReceipt> {
    return this.emit('x.progress', { text });
  }

  /** Sends a heartbeat now and every `everyMs`; a failed one is simply tried again at the next beat. */
  startHeartbeat(everyMs = 10_000): void {
    this.stopHeartbeat();
    const beat = () => void this.hub.agents.heartbeat(this.id, this.options.name).catch(() => undefined);
    beat();
    // Unref'd: a finished agent exits without having to stop its heartbeat first.
    this.heartbeat = setInterval(beat, everyMs).unref();
  }

  stopHeartbeat(): void {
    clearInterval(this.heartbeat);
    this.heartbeat = undefined;
  }

  /** Asks a human and waits for the final answer (see Decisions.request). */
  async requestDecision(ask: DecisionAsk): Promise<DecisionView> {
    await this.register();
    return this.hub.decisions.request(ask, { signal: this.closing.signal });
  }

  /** The messages operators inject, from the start of this agent's run, one reader at a time; ends on close(). */
  async *messages(): AsyncGenerator<InjectedMessage, void, undefined> {
    await this.start();
    while (!this.closing.signal.aborted) {
      const next = this.inbox.shift();
      if (next) {
        yield next;
        continue;
      }
      if (this.failure !== undefined) throw this.failure;
      await new Promise<void>((resolve) => (this.wake = resolve));
    }
  }

  /** Calls `fn` with the `agent.paused` event whenever an operator (or the budget, or pause-all) pauses this agent. */
  onPause(fn: (event: EventEnvelope) => void): () => void {
    void this.start().catch(() => undefined);
    return this.gate.on('pause', fn);
  }

  onResume(fn: (event: EventEnvelope) => void): () => void {
    void this.start().catch(() => undefined);
    return this.gate.on('resume', fn);
  }

  /** A safe point to stop: resolves at once unless the agent is paused, else when it is resumed. */
  async checkpoint(): Promise<void> {
    await this.start();
    return this.gate.pass();
  }

  /** Stops the heartbeat and the streams; pending checkpoints reject and messages() ends. */
  close(): void {
    this.stopHeartbeat();
    this.closing.abort(new Error('the agent was closed'));
    this.gate.fail(this.closing.signal.reason);
    this.wake?.();
  }

  /** A named agent, once (again after a failure): a heartbeat with its name before it speaks, since an agent registered by an event or a decision has none. */
  private register(): Promise<unknown> {
    if (this.options.name === undefined) return Promise.resolve();
    this.registered ??= this.hub.agents.heartbeat(this.id, this.options.name).catch((error: unknown) => {
      this.registered = undefined;
      throw error;
    });
    return this.registered;
  }

  /** Once: finds where this run starts, then follows its messages and pauses from there. */
  private start(): Promise<void> {
    this.started ??= (async () => {
      const { startedAt, paused, readTo } = await findAgentStart(this.hub, this.id);
      this.gate.paused = paused;
      void this.follow(startedAt, readTo);
    })();
    return this.started;
  }

  private async follow(startedAt: number, readTo: number): Promise<void> {
    const types = ['agent.message_injected', 'agent.paused', 'agent.resumed'];
    try {
      for await (const event of this.hub.events.subscribe({ types, agent: this.id, after: startedAt, signal: this.closing.signal })) {
        if (event.type === 'agent.message_injected') {
          this.inbox.push({ id: event.id, seq: event.seq, message: String(event.data.message), from: String(event.data.from) });
          this.wake?.();
        } else if (event.seq > readTo) {
          this.gate.set(event.type === 'agent.paused', event);
        }
      }
    } catch (error) {
      // A refused token, say: nothing more will arrive, so waiting readers hear why.
      this.failure = error;
      this.gate.fail(error);
      this.wake?.();
    }
  }
}
