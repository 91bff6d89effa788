/** One dispatched Server-Sent Events frame. */
export interface SseFrame {
  /** The last `id:` seen so far (it carries over frames, as the spec says). */
  id: string | undefined;
  event: string;
  data: string;
}

const lineFeed = 10;
const space = 32;

/**
 * Splits a text/event-stream into frames as the HTML spec's parsing rules say: lines end in
 * CRLF, LF or CR (also across chunks), `:` starts a comment, one space after the colon is
 * dropped, `data:` lines join with LF, a blank line dispatches, and `retry:` takes only digits.
 * It scans for line ends rather than splitting the text, and cuts out only the values it keeps: a
 * replay of a long log is one frame after another, parsed as fast as the event's JSON.
 */
export class SseFrameParser {
  /** The reconnection time the server asked for with `retry:`, if any. */
  retryMs: number | undefined;
  /** The start of a line whose end has not come yet. */
  private buffer = '';
  private lastId: string | undefined;
  private event = '';
  private data: string | undefined;
  private sawCarriageReturn = false;

  /** Feeds decoded text; returns the frames it completed. */
  push(text: string): SseFrame[] {
    let chunk = text;
    // A CR that ended the previous chunk already ended its line; an LF right after it is not a new line.
    if (this.sawCarriageReturn && chunk.charCodeAt(0) === lineFeed) chunk = chunk.slice(1);
    this.sawCarriageReturn = chunk.endsWith('\r');
    const buffer = this.buffer + chunk;
    const frames: SseFrame[] = [];
    let start = 0;
    let lf = buffer.indexOf('\n');
    let cr = buffer.indexOf('\r');
    for (;;) {
      if (lf !== -1 && lf < start) lf = buffer.indexOf('\n', start);
      if (cr !== -1 && cr < start) cr = buffer.indexOf('\r', start);
      let end: number;
      let next: number;
      if (cr !== -1 && (lf === -1 || cr < lf)) {
        end = cr;
        next = buffer.charCodeAt(cr + 1) === lineFeed ? cr + 2 : cr + 1;
      } else if (lf !== -1) {
        end = lf;
        next = lf + 1;
      } else break;
      const frame = this.line(buffer, start, end);
      if (frame) frames.push(frame);
      start = next;
    }
    this.buffer = buffer.slice(start);
    return frames;
  }

  /** The line `buffer[start, end)`. */
  private line(buffer: string, start: number, end: number): SseFrame | undefined {
    if (start === end) return this.dispatch();
    const colon = buffer.indexOf(':', start);
    if (colon === start) return undefined;
    const fieldEnd = colon === -1 || colon > end ? end : colon;
    let valueStart = fieldEnd === end ? end : fieldEnd + 1;
    if (valueStart < end && buffer.charCodeAt(valueStart) === space) valueStart += 1;
    const length = fieldEnd - start;
    if (length === 4 && buffer.startsWith('data', start)) {
      const value = buffer.slice(valueStart, end);
      this.data = this.data === undefined ? value : `${this.data}\n${value}`;
    } else if (length === 5 && buffer.startsWith('event', start)) this.event = buffer.slice(valueStart, end);
    else if (length === 2 && buffer.startsWith('id', start)) {
      const value = buffer.slice(valueStart, end);
      if (!value.includes('\u0000')) this.lastId = value;
    } else if (length === 5 && buffer.startsWith('retry', start)) {
      const value = buffer.slice(valueStart, end);
      if (/^\d+$/.test(value)) this.retryMs = Number(value);
    }
    return undefined;
  }

  private dispatch(): SseFrame | undefined {
    const frame = this.data === undefined ? undefined : { id: this.lastId, event: this.event || 'message', data: this.data };
    this.event = '';
    this.data = undefined;
    return frame;
  }
}
