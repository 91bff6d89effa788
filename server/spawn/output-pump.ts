import type { NewEvent } from '../log/event.ts';
import { newEvent } from '../log/new-event.ts';

export interface OutputLimits {
  /** Sustained lines per second logged per agent, and the burst it may save up; the rest is counted and dropped. */
  linesPerSecond: number;
  burst: number;
  /** Longer lines are cut here and marked `truncated`. */
  maxLineChars: number;
  /** Lines of stderr kept for `agent.failed`. */
  stderrTail: number;
}

/**
 * Turns an agent's output lines into `agent.output` events, flushed in batches, under a rate cap;
 * when lines were dropped, one more event says how many.
 */
export class OutputPump {
  readonly stderrTail: string[] = [];
  private readonly agentId: string;
  private readonly limits: OutputLimits;
  private readonly append: (events: NewEvent[]) => Promise<unknown>;
  private pending: NewEvent[] = [];
  private tokens: number;
  private refilledAt = performance.now();
  private dropped = 0;
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<unknown> = Promise.resolve();

  constructor(agentId: string, limits: OutputLimits, append: (events: NewEvent[]) => Promise<unknown>) {
    this.agentId = agentId;
    this.limits = limits;
    this.append = append;
    this.tokens = limits.burst;
  }

  line(stream: 'stdout' | 'stderr', line: string): void {
    if (stream === 'stderr') {
      this.stderrTail.push(line.slice(0, this.limits.maxLineChars));
      if (this.stderrTail.length > this.limits.stderrTail) this.stderrTail.shift();
    }
    const now = performance.now();
    this.tokens = Math.min(this.limits.burst, this.tokens + ((now - this.refilledAt) / 1000) * this.limits.linesPerSecond);
    this.refilledAt = now;
    if (this.tokens < 1) {
      this.dropped += 1;
    } else {
      this.tokens -= 1;
      const truncated = line.length > this.limits.maxLineChars;
      this.pending.push(this.event({ stream, line: truncated ? line.slice(0, this.limits.maxLineChars) : line, ...(truncated ? { truncated } : {}) }));
    }
    this.timer ??= setTimeout(() => void this.flush(), 50);
  }

  /** Appends what is buffered (and the count of dropped lines); resolves when it is in the log. */
  flush(): Promise<unknown> {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.dropped > 0) {
      this.pending.push(this.event({ stream: 'stderr', line: `[mission-control] ${this.dropped} output lines dropped (over ${this.limits.linesPerSecond} lines/s)` }));
      this.dropped = 0;
    }
    const batch = this.pending;
    this.pending = [];
    if (batch.length > 0) this.flushing = this.flushing.then(() => this.append(batch)).catch(() => undefined);
    return this.flushing;
  }

  private event(data: Record<string, unknown>): NewEvent {
    return newEvent({ type: 'agent.output', data, actor: 'hub', agentId: this.agentId });
  }
}
