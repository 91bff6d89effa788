import http from 'node:http';
import type { EventEnvelope } from '../../contracts/index.ts';

export interface SseEvent {
  id: string | undefined;
  event: string | undefined;
  data: string;
}

export interface SseConnection {
  events: EventEnvelope[];
  comments: string[];
  /** The `event: log` frame the stream opens with. */
  log: { logId: string; head: number } | undefined;
  retry: number | undefined;
  /** The response's headers. */
  headers: http.IncomingHttpHeaders;
  status: number;
  /** Resolves when the server ends the stream or the socket closes. */
  closed: Promise<void>;
  close(): void;
  /** Resolves once `predicate` holds for the events received so far. */
  until(predicate: (events: EventEnvelope[]) => boolean, timeoutMs?: number): Promise<void>;
}

/** A minimal SSE client over raw HTTP, parsing frames as the spec says, for asserting on the wire. */
export function openSse(url: string, headers: Record<string, string> = {}, onEvent?: (event: EventEnvelope) => void): Promise<SseConnection> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { headers: { accept: 'text/event-stream', ...headers }, agent: false }, (res) => {
      const conn: SseConnection = {
        events: [],
        comments: [],
        log: undefined,
        retry: undefined,
        headers: res.headers,
        status: res.statusCode ?? 0,
        closed: new Promise((done) => {
          res.on('close', done);
          res.on('error', done);
        }),
        close: () => req.destroy(),
        until: (predicate, timeoutMs = 10_000) =>
          new Promise((ok, fail) => {
            if (predicate(conn.events)) return ok();
            const timer = setTimeout(() => {
              res.off('data', check);
              fail(new Error(`SSE condition not met within ${timeoutMs} ms (${conn.events.length} events received)`));
            }, timeoutMs);
            const check = () =>
              setImmediate(() => {
                if (!predicate(conn.events)) return;
                clearTimeout(timer);
                res.off('data', check);
                ok();
              });
            res.on('data', check);
            res.on('close', check);
          }),
      };
      let buffer = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buffer += chunk;
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const frame: SseEvent = { id: undefined, event: undefined, data: '' };
          let hasData = false;
          for (const line of block.split('\n')) {
            if (line.startsWith(':')) conn.comments.push(line.slice(1).trim());
            else if (line.startsWith('retry: ')) conn.retry = Number(line.slice(7));
            else if (line.startsWith('id: ')) frame.id = line.slice(4);
            else if (line.startsWith('event: ')) frame.event = line.slice(7);
            else if (line.startsWith('data: ')) {
              frame.data += line.slice(6);
              hasData = true;
            }
          }
          if (!hasData) continue;
          if (frame.event === 'log' && frame.id === undefined) {
            conn.log = JSON.parse(frame.data) as SseConnection['log'];
            continue;
          }
          const envelope = JSON.parse(frame.data) as EventEnvelope;
          if (String(envelope.seq) !== frame.id || envelope.type !== frame.event) {
            throw new Error(`frame id/event do not match its data: ${block}`);
          }
          conn.events.push(envelope);
          onEvent?.(envelope);
        }
      });
      resolve(conn);
    });
    req.on('error', reject);
  });
}
