import type { Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import type { NewEvent } from '../log/event.ts';
import { newEvent } from '../log/new-event.ts';
import { storableText } from '../log/storable.ts';

/** The most of one output line the hub holds while it waits for the line's end (`spawn.maxLineChars` is at most this). */
export const maxHeldLineChars = 65_536;

/**
 * Calls `onLine` with each line of `input` (a trailing CR dropped), holding at most `maxChars` of
 * any line: an agent that never ends its line cannot grow the hub's memory. A longer line is
 * passed on cut to `maxChars + 1` characters, so it reads as over the cut, and the rest of it, up
 * to its newline, is dropped.
 */
export function eachLine(input: Readable, onLine: (line: string) => void, maxChars = maxHeldLineChars): void {
  const decoder = new StringDecoder('utf8');
  let held = '';
  let dropping = false;
  const take = (text: string) => {
    for (let start = 0; ; ) {
      const end = text.indexOf('\n', start);
      if (!dropping) {
        held += text.slice(start, end < 0 ? undefined : end);
        if (held.length > maxChars) {
          onLine(held.slice(0, maxChars + 1));
          held = '';
          dropping = true;
        }
      }
      if (end < 0) return;
      if (!dropping) onLine(held.endsWith('\r') ? held.slice(0, -1) : held);
      held = '';
      dropping = false;
      start = end + 1;
    }
  };
  input.on('data', (chunk: Buffer) => take(decoder.write(chunk)));
  input.on('end', () => {
    take(decoder.end());
    if (held !== '' && !dropping) onLine(held.endsWith('\r') ? held.slice(0, -1) : held);
  });
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
