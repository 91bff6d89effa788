import http from 'node:http';
import pg from 'pg';
import { type Tokens, authHeader } from './auth.ts';
import { HubClient } from '../../server/client/hub-client.ts';
import { type CpuShare, type CpuSnapshot, cpuShare } from './cpu.ts';

export interface ReplayResult {
  events: number;
  after: number;
  head: number;
  /** Request sent to the `count`-th event received (NaN if it never came). */
  seconds: number;
  firstEventMs: number;
  cpu: CpuShare;
}

/** How many events the log holds, and the cursor after which exactly `count` events follow up to the head. */
export async function replayCursor(databaseUrl: string, count: number): Promise<{ total: number; after: number; head: number }> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ total: string; head: string | null }>('SELECT count(*) AS total, max(seq) AS head FROM events');
    const total = Number(rows[0]!.total);
    const head = Number(rows[0]!.head ?? 0);
    if (total <= count) return { total, after: 0, head };
    // The (count+1)-th newest event: exactly `count` events have a larger seq.
    const cursor = await client.query<{ seq: string }>('SELECT seq FROM events ORDER BY seq DESC OFFSET $1 LIMIT 1', [count]);
    return { total, after: Number(cursor.rows[0]!.seq), head };
  } finally {
    await client.end();
  }
}

/** One SSE client replays from `after`; times the request to the receipt of the `count`-th event. */
export function runReplay(hubUrl: string, tokens: Tokens, after: number, head: number, count: number, timeoutMs: number, sampleCpu: () => CpuSnapshot): Promise<ReplayResult> {
  return new Promise((resolve, reject) => {
    const cpuFrom = sampleCpu();
    const start = performance.now();
    let firstEventMs = Number.NaN;
    let received = 0;
    let lastId = 0;
    let finished = false;
    const finish = (error?: Error) => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      const seconds = received >= count ? (performance.now() - start) / 1000 : Number.NaN;
      const cpu = cpuShare(cpuFrom, sampleCpu());
      req.destroy();
      if (error) reject(error);
      else if (received >= count && lastId !== head) reject(new Error(`received ${received} events but the last was seq ${lastId}, not the head ${head}`));
      else resolve({ events: received, after, head, seconds, firstEventMs, cpu });
    };
    const timer = setTimeout(() => finish(new Error(`only ${received} of ${count} events within ${timeoutMs} ms`)), timeoutMs);
    const idLine = /(?:^|\n)id: (\d+)\n/g;
    const req = http.get(`${hubUrl}/events?after=${after}`, { agent: false, headers: { accept: 'text/event-stream', ...authHeader(tokens, 0) } }, (res) => {
      if (res.statusCode !== 200) return finish(new Error(`GET /events answered ${res.statusCode}`));
      res.setEncoding('utf8');
      let buffer = '';
      res.on('data', (chunk: string) => {
        buffer += chunk;
        const end = buffer.lastIndexOf('\n\n');
        if (end < 0) return;
        const complete = buffer.slice(0, end + 2);
        buffer = buffer.slice(end + 2);
        idLine.lastIndex = 0;
        for (let m = idLine.exec(complete); m !== null; m = idLine.exec(complete)) {
          received += 1;
          lastId = Number(m[1]);
          if (received === 1) firstEventMs = performance.now() - start;
        }
        if (received >= count) finish();
      });
      res.on('close', () => finish(received >= count ? undefined : new Error(`the stream closed after ${received} of ${count} events`)));
    });
    req.on('error', (error) => finish(error));
  });
}

/** The same replay through the SDK's own `subscribe()`: SSE parsing and JSON.parse of every event included. */
export async function runSdkReplay(hubUrl: string, token: string, after: number, head: number, count: number, timeoutMs: number, sampleCpu: () => CpuSnapshot): Promise<ReplayResult> {
  const stop = AbortSignal.timeout(timeoutMs);
  const cpuFrom = sampleCpu();
  const start = performance.now();
  let firstEventMs = Number.NaN;
  let received = 0;
  let last = 0;
  const hub = new HubClient({ url: hubUrl, token });
  for await (const event of hub.events.subscribe({ after, signal: stop })) {
    received += 1;
    last = event.seq;
    if (received === 1) firstEventMs = performance.now() - start;
    if (received >= count) break;
  }
  const seconds = (performance.now() - start) / 1000;
  if (received < count) throw new Error(`only ${received} of ${count} events within ${timeoutMs} ms`);
  if (last !== head) throw new Error(`received ${received} events but the last was seq ${last}, not the head ${head}`);
  return { events: received, after, head, seconds, firstEventMs, cpu: cpuShare(cpuFrom, sampleCpu()) };
}
