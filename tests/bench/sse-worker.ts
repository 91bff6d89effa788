import http from 'node:http';
import { parentPort, workerData } from 'node:worker_threads';
import { authHeader } from './auth.ts';
import type { SseWorkerInput, SseWorkerMessage, SseWorkerCommand } from './sse-delivery.ts';

// Holds `connections` live SSE streams and records, per (stream, event), receipt time - data.sentAt.
// The parser is minimal on purpose (this thread may see 50k frames/s): complete frames end in
// "\n\n"; the send time is taken out of the text with a regex, no JSON parsing.

const input = workerData as SseWorkerInput;
const port = parentPort!;
const post = (message: SseWorkerMessage, transfer: ArrayBuffer[] = []) => port.postMessage(message, transfer);

const latencies = new Float64Array(input.capacity);
let receipts = 0;
let closedEarly = 0;
let finishing = false;
const requests: http.ClientRequest[] = [];
// jsonb prints `"sentAt": 1731...`; the space is optional so either form matches.
const sentAtPattern = /"sentAt": ?([0-9.]+)/g;

function open(n: number): Promise<void> {
  return new Promise((resolve, reject) => {
    let ready = false;
    const req = http.get(input.url, { agent: false, headers: { accept: 'text/event-stream', ...authHeader(input.tokens, n) } }, (res) => {
      if (res.statusCode !== 200) {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => reject(new Error(`GET /events answered ${res.statusCode} ${text.slice(0, 200)}`)));
        return;
      }
      res.setEncoding('utf8');
      let buffer = '';
      res.on('data', (chunk: string) => {
        const now = performance.timeOrigin + performance.now();
        buffer += chunk;
        const end = buffer.lastIndexOf('\n\n');
        if (end < 0) return;
        const complete = end + 2 === buffer.length ? buffer : buffer.slice(0, end + 2);
        buffer = buffer.slice(end + 2);
        if (!ready && complete.includes('retry:')) {
          ready = true;
          resolve();
        }
        sentAtPattern.lastIndex = 0;
        for (let m = sentAtPattern.exec(complete); m !== null; m = sentAtPattern.exec(complete)) {
          if (receipts < latencies.length) latencies[receipts] = now - Number(m[1]);
          receipts += 1;
        }
      });
      res.on('close', () => {
        if (!finishing) closedEarly += 1;
        if (!ready) reject(new Error('the stream closed before its retry: frame'));
      });
    });
    req.on('error', (error) => {
      if (!ready) reject(error);
    });
    requests.push(req);
  });
}

async function openAll(): Promise<void> {
  let next = 0;
  let failed = 0;
  let firstError: string | undefined;
  const opener = async () => {
    while (next < input.connections) {
      const n = next;
      next += 1;
      try {
        await open(n);
      } catch (error) {
        failed += 1;
        firstError ??= (error as Error).message;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(input.openConcurrency, input.connections) }, opener));
  post({ kind: 'ready', connected: input.connections - failed, failed, ...(firstError ? { firstError } : {}) });
}

const progress = setInterval(() => post({ kind: 'progress', receipts }), 200);

port.on('message', (command: SseWorkerCommand) => {
  if (command.kind !== 'finish') return;
  finishing = true;
  clearInterval(progress);
  for (const req of requests) req.destroy();
  const kept = latencies.slice(0, Math.min(receipts, latencies.length));
  post({ kind: 'done', receipts, closedEarly, latencies: kept.buffer as ArrayBuffer }, [kept.buffer as ArrayBuffer]);
  port.close();
});

void openAll();
