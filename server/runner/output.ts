import type { EventAppend } from '../../contracts/index.ts';
import { storableText } from '../log/storable.ts';

/** The most bytes of one output line the runner holds while it waits for the line's end (`spawn.maxLineChars` is at most this). */
export const maxHeldLineBytes = 65_536;

/**
 * Splits an agent's output, read from its file in chunks, into lines (a trailing CR dropped), each
 * with the byte offsets where it starts and where the next begins, so a reader that stops can go
 * on from a line's start. Holds at most `maxBytes` of any line: an agent that never ends its line
 * cannot grow the runner's memory. A longer line is passed on cut to `maxBytes + 1` bytes, so it
 * reads as over the cut, and the rest of it, up to its newline, is dropped.
 */
export class LineSplitter {
  /** Where the next chunk starts in the file. */
  offset: number;
  private readonly onLine: (line: string, at: number, next: number) => void;
  private readonly maxBytes: number;
  private held: Buffer[] = [];
  private heldBytes = 0;
  private lineAt: number;
  private dropping = false;

  constructor(offset: number, onLine: (line: string, at: number, next: number) => void, maxBytes = maxHeldLineBytes) {
    this.offset = offset;
    this.lineAt = offset;
    this.onLine = onLine;
    this.maxBytes = maxBytes;
  }

  push(chunk: Buffer): void {
    for (let start = 0; ; ) {
      const newline = chunk.indexOf(10, start);
      const end = newline < 0 ? chunk.length : newline;
      if (!this.dropping && end > start) {
        this.held.push(chunk.subarray(start, end));
        this.heldBytes += end - start;
        if (this.heldBytes > this.maxBytes) {
          this.onLine(Buffer.concat(this.held).subarray(0, this.maxBytes + 1).toString('utf8'), this.lineAt, this.lineAt);
          this.held = [];
          this.heldBytes = 0;
          this.dropping = true;
        }
      }
      if (newline < 0) {
        this.offset += chunk.length - start;
        return;
      }
      this.offset += newline + 1 - start;
      if (!this.dropping) this.emit(this.offset);
      this.reset(this.offset);
      start = newline + 1;
    }
  }

  /** The output has ended: a last line without its newline is a line too. */
  end(): void {
    if (this.heldBytes > 0 && !this.dropping) this.emit(this.offset);
    this.reset(this.offset);
  }

  private emit(next: number): void {
    const text = Buffer.concat(this.held).toString('utf8');
    this.onLine(text.endsWith('\r') ? text.slice(0, -1) : text, this.lineAt, next);
  }

  private reset(at: number): void {
    this.held = [];
    this.heldBytes = 0;
    this.dropping = false;
    this.lineAt = at;
  }
}

/** What stands in for a secret in the log. */
export const redactedMark = '[redacted]';

// Shapes of secrets an agent may print: the hub's own tokens and webhook secrets, passwords in
// URLs (postgres://user:password@host), Authorization headers, and well-known API key formats.
// Every repetition that could rescan the line is bounded, so a line costs linear time.
const secretShapes: Array<[RegExp, string]> = [
  [/\bmc_[A-Za-z0-9_-]{32,}/g, `mc_${redactedMark}`],
  [/\bwhsec_[A-Za-z0-9+/=_-]{8,}/g, `whsec_${redactedMark}`],
  [/\b([a-z][a-z0-9+.-]{0,31}:\/\/[^\s:@/]{0,256}:)[^\s@/]{1,256}@/gi, `$1${redactedMark}@`],
  [/\b(Bearer|Basic|Token)(\s+)[A-Za-z0-9._~+/=-]{8,}/gi, `$1$2${redactedMark}`],
  [/\b(?:gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,}|glpat-[A-Za-z0-9_-]{20,}|xox[abposr]-[A-Za-z0-9-]{10,})/g, redactedMark],
  [/\bsk-[A-Za-z0-9_-]{16,}/g, `sk-${redactedMark}`],
  [/\b(?:AKIA|ASIA)[A-Z0-9]{16}\b/g, redactedMark],
  [/\b((?:aws_)?secret_access_key["']?\s*[=:]\s*["']?)[A-Za-z0-9/+=]{16,}/gi, `$1${redactedMark}`],
];
const keyBegin = /-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----/;
const keyEnd = /-----END [A-Z0-9 ]*PRIVATE KEY-----/;
const wholeKey = /-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----[\s\S]*?(?:-----END [A-Z0-9 ]*PRIVATE KEY-----|$)/g;

/**
 * Redacts the secrets in one stream's lines before the hub logs them. Remembers whether a
 * private key block is open, so its body lines (which look like any base64) are redacted too.
 */
export class SecretRedactor {
  private inPrivateKey = false;

  /** The line with every secret-shaped string replaced, and whether anything was. */
  redact(line: string): { line: string; redacted: boolean } {
    const insideKey = this.inPrivateKey;
    this.follow(line);
    if (insideKey) return { line: redactedMark, redacted: true };
    let result = keyBegin.test(line) ? line.replace(wholeKey, `-----PRIVATE KEY ${redactedMark}-----`) : line;
    for (const [shape, replacement] of secretShapes) result = result.replace(shape, replacement);
    return { line: result, redacted: result !== line };
  }

  /** Follows a line without redacting it (one that is not logged), so an open private key block is still known. */
  follow(line: string): void {
    if (this.inPrivateKey) {
      if (keyEnd.test(line)) this.inPrivateKey = false;
      return;
    }
    const begin = line.search(keyBegin);
    if (begin >= 0) this.inPrivateKey = !keyEnd.test(line.slice(begin));
  }
}

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

/** How far into each output file the log has every line. */
export interface OutputOffsets {
  stdout: number;
  stderr: number;
}

/**
 * Turns an agent's output lines into `agent.output` events, flushed in batches, under a rate cap;
 * when lines were dropped, one more event says how many. Each event's idempotency key is its
 * line's place in its file, so lines read again after a restart are stored once. Secrets are
 * redacted and characters the log cannot store replaced (each marked on its event) before
 * anything is kept; a batch the log refuses is retried line by line, so one line never costs the
 * others. `onDelivered` hears how far each file is in the log after each batch.
 */
export class OutputPump {
  readonly stderrTail: string[] = [];
  private readonly agentId: string;
  private readonly limits: OutputLimits;
  private readonly append: (events: EventAppend[]) => Promise<unknown>;
  private readonly onDelivered: (offsets: OutputOffsets) => void;
  private pending: EventAppend[] = [];
  private readonly read: OutputOffsets;
  private tokens: number;
  private refilledAt = performance.now();
  private dropped = 0;
  private droppedAt = '';
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<unknown> = Promise.resolve();
  private readonly redactors = { stdout: new SecretRedactor(), stderr: new SecretRedactor() };

  constructor(agentId: string, limits: OutputLimits, from: OutputOffsets, append: (events: EventAppend[]) => Promise<unknown>, onDelivered: (offsets: OutputOffsets) => void) {
    this.agentId = agentId;
    this.limits = limits;
    this.read = { ...from };
    this.append = append;
    this.onDelivered = onDelivered;
    this.tokens = limits.burst;
  }

  /** One line of `stream`, starting at byte `at` of its file, the next starting at `next`. */
  line(stream: 'stdout' | 'stderr', raw: string, at: number, next: number): void {
    this.timer ??= setTimeout(() => void this.flush(), 50);
    this.read[stream] = next;
    const now = performance.now();
    this.tokens = Math.min(this.limits.burst, this.tokens + ((now - this.refilledAt) / 1000) * this.limits.linesPerSecond);
    this.refilledAt = now;
    const kept = this.tokens >= 1;
    if (kept) this.tokens -= 1;
    else {
      this.dropped += 1;
      this.droppedAt = `${stream}:${at}`;
    }
    // A flood's dropped stdout lines cost no redaction: only whether a private key block opens or closes.
    if (!kept && stream === 'stdout') return this.redactors.stdout.follow(raw);
    const { line, marks } = this.loggable(stream, raw);
    if (stream === 'stderr') {
      this.stderrTail.push(line);
      if (this.stderrTail.length > this.limits.stderrTail) this.stderrTail.shift();
    }
    if (kept) this.pending.push(this.event({ stream, line, ...marks }, `${stream}:${at}`));
  }

  /** Appends what is buffered (and the count of dropped lines); resolves when it is in the log. */
  flush(): Promise<unknown> {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.dropped > 0) {
      this.pending.push(this.event({ stream: 'stderr', line: `[mission-control] ${this.dropped} output lines dropped (over ${this.limits.linesPerSecond} lines/s)` }, `${this.droppedAt}:dropped`));
      this.dropped = 0;
    }
    const batch = this.pending;
    const reached = { ...this.read };
    this.pending = [];
    this.flushing = this.flushing.then(async () => {
      if (batch.length > 0) await this.append(batch).catch(() => this.appendOneByOne(batch));
      this.onDelivered(reached);
    });
    return this.flushing;
  }
  private async appendOneByOne(batch: EventAppend[]): Promise<void> {
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

  private event(data: Record<string, unknown>, place: string): EventAppend {
    return { type: 'agent.output', data, agentId: this.agentId, idempotencyKey: `agent:${this.agentId}:${place}` };
  }
}
