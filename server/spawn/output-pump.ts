import type { NewEvent } from '../log/event.ts';
import { newEvent } from '../log/new-event.ts';
import { storableText } from '../log/storable.ts';
import { SecretRedactor } from './redact.ts';

export interface OutputLimits {
  /** Sustained lines per second logged per agent, and the burst it may save up; the rest is counted and dropped. */
  linesPerSecond: number;
  burst: number;
  /** Longer lines are cut here and marked `truncated`. */
  maxLineChars: number;
  /** Lines of stderr kept for `agent.failed`. */
  stderrTail: number;
}

// A secret cut in two by the line limit must still be recognised: redact a little past the cut.
const redactionMargin = 1024;

/**
 * Turns an agent's output lines into `agent.output` events, flushed in batches, under a rate cap;
 * when lines were dropped, one more event says how many. Secrets are redacted and characters the
 * log cannot store replaced (each marked on its event) before anything is kept; a batch the log
 * refuses is retried line by line, so one line never costs the others.
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
  private readonly redactors = { stdout: new SecretRedactor(), stderr: new SecretRedactor() };

  constructor(agentId: string, limits: OutputLimits, append: (events: NewEvent[]) => Promise<unknown>) {
    this.agentId = agentId;
    this.limits = limits;
    this.append = append;
    this.tokens = limits.burst;
  }

  line(stream: 'stdout' | 'stderr', raw: string): void {
    this.timer ??= setTimeout(() => void this.flush(), 50);
    const now = performance.now();
    this.tokens = Math.min(this.limits.burst, this.tokens + ((now - this.refilledAt) / 1000) * this.limits.linesPerSecond);
    this.refilledAt = now;
    const kept = this.tokens >= 1;
    if (kept) this.tokens -= 1;
    else this.dropped += 1;
    // A flood's dropped stdout lines cost no redaction: only whether a private key block opens or closes.
    if (!kept && stream === 'stdout') return this.redactors.stdout.follow(raw);
    const { line, marks } = this.loggable(stream, raw);
    if (stream === 'stderr') {
      this.stderrTail.push(line);
      if (this.stderrTail.length > this.limits.stderrTail) this.stderrTail.shift();
    }
    if (kept) this.pending.push(this.event({ stream, line, ...marks }));
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
    if (batch.length > 0) this.flushing = this.flushing.then(() => this.append(batch).catch(() => this.appendOneByOne(batch)));
    return this.flushing;
  }

  private async appendOneByOne(batch: NewEvent[]): Promise<void> {
    for (const event of batch) await this.append([event]).catch(() => undefined);
  }

  /** The line as the log may keep it: secrets redacted, cut to the limit, unstorable characters replaced; and marks for each. */
  private loggable(stream: 'stdout' | 'stderr', raw: string): { line: string; marks: Record<string, true> } {
    const max = this.limits.maxLineChars;
    const redaction = this.redactors[stream].redact(raw.slice(0, max + redactionMargin));
    const cut = redaction.line.slice(0, max);
    const line = storableText(cut);
    const marks: Record<string, true> = {};
    if (redaction.line.length > max || raw.length > max + redactionMargin) marks.truncated = true;
    if (redaction.redacted) marks.redacted = true;
    if (line !== cut) marks.replacedCharacters = true;
    return { line, marks };
  }

  private event(data: Record<string, unknown>): NewEvent {
    return newEvent({ type: 'agent.output', data, actor: 'hub', agentId: this.agentId });
  }
}
