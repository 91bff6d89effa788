import type { EventFrame } from '../log/event.ts';
import type { EventFanout, FanoutSubscriber } from './fanout.ts';

/** Hears, through the hub's fan-out, the first frame a waiter wants. */
class FrameWatcher implements FanoutSubscriber {
  position: number;
  readonly heard: Promise<void>;
  private readonly wanted: (frame: EventFrame) => boolean;
  private hear!: () => void;

  constructor(position: number, wanted: (frame: EventFrame) => boolean) {
    this.position = position;
    this.wanted = wanted;
    this.heard = new Promise((resolve) => (this.hear = resolve));
  }

  deliver(frames: readonly EventFrame[]): void {
    if (frames.some(this.wanted)) this.hear();
    if (frames.length > 0) this.position = frames.at(-1)!.seq;
  }

  /** The hub is closing: answer now, the client asks again elsewhere. */
  close(): void {
    this.hear();
  }
}

/**
 * Reads `read` until `done` says so: at once, then once more when the fan-out hands over a frame
 * `wanted` says may change it, or `waitMs` passes, or `signal` aborts (then the first reading is
 * the answer). It listens before the first read, so an event logged in between is not missed, and
 * holds no database connection while it waits.
 */
export async function readWhenHeard<T>(fanout: EventFanout, wanted: (frame: EventFrame) => boolean, read: () => Promise<T>, done: (value: T) => boolean, waitMs: number, signal: AbortSignal): Promise<T> {
  const watcher = new FrameWatcher(fanout.head, wanted);
  const unsubscribe = fanout.subscribe(watcher);
  let timer: NodeJS.Timeout | undefined;
  let stop: (() => void) | undefined;
  try {
    const first = await read();
    if (done(first)) return first;
    await new Promise<void>((resolve) => {
      stop = () => resolve();
      timer = setTimeout(stop, waitMs);
      signal.addEventListener('abort', stop, { once: true });
      if (signal.aborted) stop();
      void watcher.heard.then(stop);
    });
    return signal.aborted ? first : await read();
  } finally {
    clearTimeout(timer);
    if (stop) signal.removeEventListener('abort', stop);
    unsubscribe();
  }
}
