/** One dispatched Server-Sent Events frame. */
export interface SseFrame {
  /** The last `id:` seen so far (it carries over frames, as the spec says). */
  id: string | undefined;
  event: string;
  data: string;
}

/**
 * Splits a text/event-stream into frames as the HTML spec's parsing rules say: lines end in
 * CRLF, LF or CR (also across chunks), `:` starts a comment, one space after the colon is
 * dropped, `data:` lines join with LF, a blank line dispatches, and `retry:` takes only digits.
 */
export class SseFrameParser {
  /** The reconnection time the server asked for with `retry:`, if any. */
  retryMs: number | undefined;
  private buffer = '';
  private lastId: string | undefined;
  private event = '';
  private data: string[] = [];
  private sawCarriageReturn = false;

  /** Feeds decoded text; returns the frames it completed. */
  push(text: string): SseFrame[] {
    let chunk = text;
    // A CR that ended the previous chunk already ended its line; an LF right after it is not a new line.
    if (this.sawCarriageReturn && chunk.startsWith('\n')) chunk = chunk.slice(1);
    this.sawCarriageReturn = chunk.endsWith('\r');
    this.buffer += chunk;
    const frames: SseFrame[] = [];
    const lines = this.buffer.split(/\r\n|\r|\n/);
    this.buffer = lines.pop() ?? '';
    for (const line of lines) {
      const frame = this.line(line);
      if (frame) frames.push(frame);
    }
    return frames;
  }

  private line(line: string): SseFrame | undefined {
    if (line === '') return this.dispatch();
    if (line.startsWith(':')) return undefined;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'data') this.data.push(value);
    else if (field === 'event') this.event = value;
    else if (field === 'id' && !value.includes('\u0000')) this.lastId = value;
    else if (field === 'retry' && /^\d+$/.test(value)) this.retryMs = Number(value);
    return undefined;
  }

  private dispatch(): SseFrame | undefined {
    const frame = this.data.length > 0 ? { id: this.lastId, event: this.event || 'message', data: this.data.join('\n') } : undefined;
    this.event = '';
    this.data = [];
    return frame;
  }
}
