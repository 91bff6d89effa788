import http from 'node:http';
import { type Tokens, authHeader } from './auth.ts';
import type { CpuShare, CpuSnapshot } from './cpu.ts';
import { cpuShare } from './cpu.ts';
import { postJson, refusal } from './http-post.ts';
import { percentile } from './report.ts';
import { tsWorker } from './ts-worker.ts';

export interface SseWorkerInput {
  url: string;
  connections: number;
  /** One per connection (empty: the hub needs none). */
  tokens: Tokens;
  /** Most latencies kept (connections x events expected, with room). */
  capacity: number;
  openConcurrency: number;
}

export type SseWorkerCommand = { kind: 'finish' };

export type SseWorkerMessage =
  | { kind: 'ready'; connected: number; failed: number; firstError?: string }
  | { kind: 'progress'; receipts: number }
  | { kind: 'done'; receipts: number; closedEarly: number; latencies: ArrayBuffer };

type ReadyMessage = Extract<SseWorkerMessage, { kind: 'ready' }>;
type DoneMessage = Extract<SseWorkerMessage, { kind: 'done' }>;

export interface SseDeliveryOptions {
  /** The writer's token, then one per subscriber (empty: the hub needs none). */
  writerTokens: Tokens;
  subscriberTokens: Tokens;
  subscribers: number;
  threads: number;
  eventsPerSecond: number;
  durationMs: number;
  /** How long to wait after the last post for the last receipts. */
  graceMs: number;
  sampleCpu(): CpuSnapshot;
}

export interface SseDeliveryResult {
  connected: number;
  posted: number;
  postErrors: number;
  firstPostError?: string;
  receipts: number;
  expected: number;
  closedEarly: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  connectMs: number;
  cpu: CpuShare;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** 1,000 live SSE subscribers in worker threads, a writer at a steady rate, latency per (subscriber, event). */
export async function runSseDelivery(hubUrl: string, options: SseDeliveryOptions): Promise<SseDeliveryResult> {
  const eventsPlanned = Math.round((options.eventsPerSecond * options.durationMs) / 1000);
  const perThread = Array.from({ length: options.threads }, (_, t) =>
    Math.floor(options.subscribers / options.threads) + (t < options.subscribers % options.threads ? 1 : 0),
  );
  // Subscriber k (over all threads) uses token k.
  const firstOf = perThread.map((_, t) => perThread.slice(0, t).reduce((a, b) => a + b, 0));
  const tokensOf = (t: number, connections: number): string[] => {
    const all = options.subscriberTokens;
    return all.length === 0 ? [] : Array.from({ length: connections }, (_, i) => all[(firstOf[t]! + i) % all.length]!);
  };
  const workers = perThread.map((connections, t) => {
    const input: SseWorkerInput = {
      url: `${hubUrl}/events`,
      connections,
      tokens: tokensOf(t, connections),
      capacity: connections * (eventsPlanned + 50),
      openConcurrency: 50,
    };
    return tsWorker(new URL('./sse-worker.ts', import.meta.url), { workerData: input });
  });
  const progress = workers.map(() => 0);
  const done: Array<Promise<DoneMessage>> = [];
  const ready: Array<Promise<ReadyMessage>> = [];
  workers.forEach((worker, t) => {
    // A worker that dies fails the scenario at once instead of at a timeout.
    const died = new Promise<never>((_, reject) => {
      worker.on('error', (error) => reject(new Error(`SSE worker ${t} failed: ${error.message}`)));
      worker.on('exit', (code) => reject(new Error(`SSE worker ${t} exited with code ${code}`)));
    });
    died.catch(() => undefined);
    ready.push(Promise.race([died, new Promise<ReadyMessage>((resolve) => worker.on('message', (m: SseWorkerMessage) => m.kind === 'ready' && resolve(m)))]));
    done.push(Promise.race([died, new Promise<DoneMessage>((resolve) => worker.on('message', (m: SseWorkerMessage) => m.kind === 'done' && resolve(m)))]));
    worker.on('message', (m: SseWorkerMessage) => {
      if (m.kind === 'progress') progress[t] = m.receipts;
    });
  });

  const agent = new http.Agent({ keepAlive: true, maxSockets: 16 });
  try {
    const connectStart = performance.now();
    const readies = await withTimeout(Promise.all(ready), 60_000, 'the SSE subscribers did not all connect within 60 s');
    const connectMs = performance.now() - connectStart;
    const connected = readies.reduce((n, r) => n + r.connected, 0);
    const failedOpen = readies.find((r) => r.firstError)?.firstError;
    if (connected < options.subscribers) throw new Error(`only ${connected} of ${options.subscribers} SSE subscribers connected (${failedOpen})`);
    await sleep(500);

    // The writer: event i is due at start + i / rate, whatever the previous post is doing.
    const base = new URL(hubUrl);
    const cpuFrom = options.sampleCpu();
    const start = performance.now();
    let posted = 0;
    let postErrors = 0;
    let firstPostError: string | undefined;
    const posts: Promise<void>[] = [];
    for (let i = 0; i < eventsPlanned; i++) {
      const due = start + (i * 1000) / options.eventsPerSecond;
      const wait = due - performance.now();
      if (wait > 0) await sleep(wait);
      const sentAt = performance.timeOrigin + performance.now();
      const body = `{"type":"x.bench.sse","data":{"n":${i},"sentAt":${sentAt}}}`;
      posts.push(
        postJson(agent, base, '/events', body, authHeader(options.writerTokens, i)).then(
          (result) => {
            if (result.status === 201) posted += 1;
            else {
              postErrors += 1;
              firstPostError ??= refusal(result);
            }
          },
          (error: Error) => {
            postErrors += 1;
            firstPostError ??= error.message;
          },
        ),
      );
    }
    await Promise.all(posts);
    const expected = posted * options.subscribers;
    const graceUntil = performance.now() + options.graceMs;
    while (progress.reduce((a, b) => a + b, 0) < expected && performance.now() < graceUntil) await sleep(100);
    const cpu = cpuShare(cpuFrom, options.sampleCpu());

    for (const worker of workers) worker.postMessage({ kind: 'finish' } satisfies SseWorkerCommand);
    const results = await withTimeout(Promise.all(done), 20_000, 'the SSE workers did not report within 20 s');
    const all = new Float64Array(results.reduce((n, r) => n + r.latencies.byteLength / 8, 0));
    let offset = 0;
    for (const r of results) {
      const part = new Float64Array(r.latencies);
      all.set(part, offset);
      offset += part.length;
    }
    all.sort();
    return {
      connected,
      posted,
      postErrors,
      ...(firstPostError ? { firstPostError } : {}),
      receipts: results.reduce((n, r) => n + r.receipts, 0),
      expected,
      closedEarly: results.reduce((n, r) => n + r.closedEarly, 0),
      p50Ms: percentile(all, 0.5),
      p99Ms: percentile(all, 0.99),
      maxMs: all.length > 0 ? all[all.length - 1]! : Number.NaN,
      connectMs,
      cpu,
    };
  } finally {
    agent.destroy();
    await Promise.all(workers.map((w) => w.terminate()));
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([promise, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(message)), ms)))]).finally(() =>
    clearTimeout(timer),
  );
}
