import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { EventFrame } from '../log/event.ts';
import type { EventFanout, FanoutSubscriber } from '../stream/fanout.ts';
import type { Decision } from './model.ts';
import { loadDecision } from './store.ts';

const endings = new Set(['decision.resolved', 'decision.expired', 'decision.cancelled']);

/** Hears, through the hub's fan-out, the event that ends one decision's wait. */
class DecisionWatcher implements FanoutSubscriber {
  position: number;
  readonly ended: Promise<void>;
  private readonly decisionId: string;
  private end!: () => void;

  constructor(decisionId: string, position: number) {
    this.decisionId = decisionId;
    this.position = position;
    this.ended = new Promise((resolve) => (this.end = resolve));
  }

  deliver(frames: readonly EventFrame[]): void {
    for (const frame of frames) {
      if (endings.has(frame.type) && frame.wire.includes(this.decisionId) && (JSON.parse(frame.wire) as { decisionId?: string }).decisionId === this.decisionId) {
        this.end();
      }
    }
    if (frames.length > 0) this.position = frames.at(-1)!.seq;
  }

  /** The hub is closing: answer now, the client asks again elsewhere. */
  close(): void {
    this.end();
  }
}

/**
 * Waits until a pending decision is answered, expires or is cancelled, or `timeoutMs` passes, or
 * the client goes: it listens first and reads the view after, so an answer between the caller's
 * read and the listening is not missed. Holds no database connection while it waits.
 */
export async function awaitDecision(db: Kysely<Database>, fanout: EventFanout, pending: Decision, timeoutMs: number, signal: AbortSignal): Promise<Decision> {
  const watcher = new DecisionWatcher(pending.id, fanout.head);
  const unsubscribe = fanout.subscribe(watcher);
  let timer: NodeJS.Timeout | undefined;
  let stop: (() => void) | undefined;
  try {
    const now = (await loadDecision(db, pending.id)) ?? pending;
    if (now.status !== 'pending') return now;
    await new Promise<void>((resolve) => {
      stop = () => resolve();
      timer = setTimeout(stop, timeoutMs);
      signal.addEventListener('abort', stop, { once: true });
      if (signal.aborted) stop();
      void watcher.ended.then(stop);
    });
    if (signal.aborted) return now;
    return (await loadDecision(db, pending.id)) ?? now;
  } finally {
    clearTimeout(timer);
    if (stop) signal.removeEventListener('abort', stop);
    unsubscribe();
  }
}
