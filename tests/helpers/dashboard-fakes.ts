import type { PageQuery } from '../../server/client/pagination.ts';
import type { EventPage } from '../../server/client/views.ts';
import type { DashboardHub } from '../../dashboard/src/state/dashboard-hub.ts';
import type { EventSourceLike, Timers } from '../../dashboard/src/state/live-connection.ts';
import type { AgentView, DecisionView, EventEnvelope, TaskView } from '../../dashboard/src/state/types.ts';

/** An event envelope with defaults. */
export function envelope(seq: number, type = 'x.test', extra: Partial<EventEnvelope> = {}): EventEnvelope {
  return { seq, id: `evt_${seq}`, type, actor: 'hub', recordedAt: new Date(Date.UTC(2026, 0, 1, 0, 0, seq)).toISOString(), data: {}, ...extra };
}

export function agent(id: string, extra: Partial<AgentView> = {}): AgentView {
  return { id, name: id, template: null, status: 'running', lastSeenAt: '2026-01-01T00:00:00.000Z', spentUsd: 0, budgetUsd: 10, pendingDecisionId: null, taskId: null, pausedReason: null, runnerId: null, projectId: 'default', ...extra };
}

export function task(id: string, extra: Partial<TaskView> = {}): TaskView {
  return { id, title: id, description: null, priority: 'normal', labels: [], status: 'todo', agentId: null, blockedReason: null, createdAt: '2026-01-01T00:00:00.000Z', updatedAt: '2026-01-01T00:00:00.000Z', projectId: 'default', ...extra };
}

export function decision(id: string, extra: Partial<DecisionView> = {}): DecisionView {
  return {
    id, title: id, context: '', options: ['approve', 'deny'], risk: 'high', status: 'pending', outcome: null, approvals: [], resolvedBy: null, comment: null,
    expiresAt: '2026-01-01T01:00:00.000Z', onTimeout: 'deny', agentId: null, taskId: null, requestedBy: 'agent:a', createdAt: '2026-01-01T00:00:00.000Z', resolvedAt: null, escalatedTo: null, projectId: 'default', tool: null, ...extra,
  };
}

const logId = 'log_test';

/**
 * Pages of a log held in memory, as `GET /events` answers them (filters: types, `x.*` too, agent; `before`
 * or `order: 'desc'`: newest first). `cut` stops a page after that many events whatever its limit, as the hub's byte
 * budget may.
 */
export function logPages(log: readonly EventEnvelope[], reads: PageQuery[] = [], cut = Number.POSITIVE_INFINITY): (q: PageQuery) => Promise<EventPage> {
  return async (q) => {
    reads.push(q);
    const types = typeof q.types === 'string' ? q.types.split(',') : q.types;
    const head = log.at(-1)?.seq ?? 0;
    const selected = log.filter((e) => (!types || types.some((t) => t === e.type || (t.endsWith('.*') && e.type.startsWith(t.slice(0, -1))))) && (!q.agent || e.agentId === q.agent));
    const size = Math.min(q.limit ?? 100, cut);
    if (q.before !== undefined || q.order === 'desc') {
      const before = q.before ?? head + 1;
      const events = selected.filter((e) => e.seq < before).reverse().slice(0, size);
      return { events, next: events.at(-1)?.seq ?? before, head, logId };
    }
    const after = q.after ?? 0;
    const events = selected.filter((e) => e.seq > after).slice(0, size);
    return { events, next: events.at(-1)?.seq ?? after, head, logId };
  };
}

/** Some of the client's calls, by resource, as a test gives them. */
export type FakeCalls = { [R in keyof DashboardHub]?: Partial<DashboardHub[R]> };

const calls: { [R in keyof DashboardHub]: Array<keyof DashboardHub[R]> } = {
  events: ['page', 'get'],
  agents: ['list', 'get', 'pause', 'resume', 'stop', 'merge', 'pauseAll', 'resumeAll', 'spawn', 'inject'],
  tasks: ['list', 'get', 'transition'],
  decisions: ['list', 'get', 'resolve'],
  actors: ['list'],
  templates: ['list'],
  projects: ['list'],
  overview: ['get'],
  brief: ['get'],
};

/** A client whose every call fails unless the test gives it; a later layer's calls win. */
export function fakeHub(...layers: FakeCalls[]): DashboardHub {
  const missing = (name: string) => () => Promise.reject(new Error(`the test gave no ${name}`));
  const resource = (name: keyof DashboardHub) => {
    const given: Record<string, unknown> = Object.assign({}, ...layers.map((layer) => layer[name]));
    return Object.fromEntries(calls[name].map((call) => [call, given[call as string] ?? missing(`${name}.${String(call)}`)]));
  };
  return Object.fromEntries(Object.keys(calls).map((name) => [name, resource(name as keyof DashboardHub)])) as unknown as DashboardHub;
}

/** An EventSource the test drives: open, send frames by name, fail. */
export class FakeSource implements EventSourceLike {
  readyState = 0;
  onopen: ((event: never) => void) | null = null;
  onerror: ((event: never) => void) | null = null;
  onmessage: ((message: never) => void) | null = null;
  closed = false;
  readonly listeners = new Map<string, Array<(message: { data: string }) => void>>();
  readonly url: string;

  constructor(url: string) {
    this.url = url;
  }

  addEventListener(type: string, listener: (message: { data: string }) => void): void {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), listener]);
  }

  close(): void {
    this.closed = true;
    this.readyState = 2;
  }

  open(): void {
    this.readyState = 1;
    this.onopen?.(undefined as never);
  }

  /** A frame `event: <type>`: only listeners of that name hear it, as in a browser. */
  send(event: EventEnvelope): void {
    for (const listener of this.listeners.get(event.type) ?? []) listener({ data: JSON.stringify(event) });
  }

  /** An unnamed frame (`eventNames=off`): it goes to `onmessage`, whatever its type. */
  sendUnnamed(event: EventEnvelope): void {
    (this.onmessage as ((message: { data: string }) => void) | null)?.({ data: JSON.stringify(event) });
  }

  /** An error: `closed` when the browser gave up (an HTTP error), else it retries by itself. */
  fail(closed: boolean): void {
    this.readyState = closed ? 2 : 0;
    this.onerror?.(undefined as never);
  }
}

/** Timers the test moves by hand. */
export class ManualTimers implements Timers {
  now = 0;
  #next = 1;
  readonly #due = new Map<number, { at: number; run: () => void }>();

  setTimeout(run: () => void, ms: number): unknown {
    const id = this.#next++;
    this.#due.set(id, { at: this.now + ms, run });
    return id;
  }

  clearTimeout(handle: unknown): void {
    this.#due.delete(handle as number);
  }

  /** Moves the clock and runs what fell due, in order. */
  advance(ms: number): void {
    this.now += ms;
    for (;;) {
      const next = [...this.#due.entries()].filter(([, t]) => t.at <= this.now).sort((a, b) => a[1].at - b[1].at)[0];
      if (!next) return;
      this.#due.delete(next[0]);
      next[1].run();
    }
  }

  get pending(): number[] {
    return [...this.#due.values()].map((t) => t.at - this.now);
  }
}
