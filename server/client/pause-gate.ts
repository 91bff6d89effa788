import type { EventEnvelope } from './views.ts';

type Listener = (event: EventEnvelope) => void;

/** Whether an agent is paused, who wants to hear when that changes, and who waits for a resume. */
export class PauseGate {
  paused = false;
  private readonly listeners = { pause: new Set<Listener>(), resume: new Set<Listener>() };
  private waiters: Array<{ resolve(): void; reject(error: unknown): void }> = [];
  private failure: unknown;

  on(change: 'pause' | 'resume', fn: Listener): () => void {
    this.listeners[change].add(fn);
    return () => this.listeners[change].delete(fn);
  }

  /** Applies an `agent.paused` / `agent.resumed` event; listeners hear only real changes. */
  set(paused: boolean, event: EventEnvelope): void {
    if (paused === this.paused) return;
    this.paused = paused;
    // Called outside the stream's loop: a listener that throws must not stop the stream.
    for (const fn of this.listeners[paused ? 'pause' : 'resume']) queueMicrotask(() => fn(event));
    if (!paused) this.settle();
  }

  /** Resolves at once unless paused, else at the resume; rejects once the gate has failed. */
  pass(): Promise<void> {
    if (!this.paused) return Promise.resolve();
    if (this.failure !== undefined) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => this.waiters.push({ resolve, reject }));
  }

  /** No resume can come any more (the agent closed, its stream failed): whoever waits hears why. */
  fail(error: unknown): void {
    this.failure = error;
    this.settle(error);
  }

  private settle(error?: unknown): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const waiter of waiters) error === undefined ? waiter.resolve() : waiter.reject(error);
  }
}
