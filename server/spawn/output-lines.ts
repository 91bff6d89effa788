import type { Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';

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
