import { randomBytes } from 'node:crypto';
import http from 'node:http';
import { type Tokens, authHeader } from './auth.ts';
import { postJson, refusal } from './http-post.ts';
import { type LoadWindow, type ThroughputResult, closedLoop } from './load.ts';

const pad = 'x'.repeat(64);

async function withAgent<T>(connections: number, use: (agent: http.Agent) => Promise<T>): Promise<T> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
  try {
    return await use(agent);
  } finally {
    agent.destroy();
  }
}

/** `connections` keep-alive connections, each looping `POST /events` of one small event with its own key. */
export function runSingleIngest(hubUrl: string, tokens: Tokens, connections: number, window: LoadWindow): Promise<ThroughputResult> {
  const base = new URL(hubUrl);
  const run = randomBytes(4).toString('hex');
  return withAgent(connections, (agent) =>
    closedLoop(connections, window, async (w, i) => {
      const body = `{"type":"x.bench.single","data":{"n":${i},"pad":"${pad}"}}`;
      const result = await postJson(agent, base, '/events', body, { 'idempotency-key': `single:${run}:${w}:${i}`, ...authHeader(tokens, w) });
      return result.status === 201 ? { events: 1 } : { error: refusal(result) };
    }),
  );
}

/**
 * `connections` keep-alive connections, each looping `POST /events` of `{ events: [...] }` with
 * `batchSize` keyed events of `type`; with `namingAgents`, every event of a connection names that
 * connection's own agent (as a runner sends an agent's output lines), so the agents view folds each.
 */
export function runBatchIngest(hubUrl: string, tokens: Tokens, connections: number, batchSize: number, window: LoadWindow, type: string, namingAgents = false): Promise<ThroughputResult> {
  const base = new URL(hubUrl);
  const run = randomBytes(4).toString('hex');
  return withAgent(connections, (agent) =>
    closedLoop(connections, window, async (w, i) => {
      const about = namingAgents ? `"agentId":"bench-${run}-${w}",` : '';
      const parts: string[] = [];
      for (let j = 0; j < batchSize; j++) {
        parts.push(`{"type":"${type}",${about}"idempotencyKey":"batch:${run}:${w}:${i}:${j}","data":{"n":${j},"pad":"${pad}"}}`);
      }
      const result = await postJson(agent, base, '/events', `{"events":[${parts.join(',')}]}`, authHeader(tokens, w));
      return result.status === 201 ? { events: batchSize } : { error: refusal(result) };
    }),
  );
}

/** Appends `count` events in batches of up to 1000 (no keys), for the replay scenario's log. */
export async function appendFiller(hubUrl: string, tokens: Tokens, count: number): Promise<void> {
  const base = new URL(hubUrl);
  await withAgent(4, async (agent) => {
    let left = count;
    while (left > 0) {
      const requests: Promise<void>[] = [];
      for (let c = 0; c < 4 && left > 0; c++) {
        const n = Math.min(1000, left);
        left -= n;
        const body = `{"events":[${Array.from({ length: n }, (_, j) => `{"type":"x.bench.fill","data":{"n":${j},"pad":"${pad}"}}`).join(',')}]}`;
        requests.push(
          postJson(agent, base, '/events', body, authHeader(tokens, c)).then((result) => {
            if (result.status !== 201) throw new Error(`filling the log failed: ${refusal(result)}`);
          }),
        );
      }
      await Promise.all(requests);
    }
  });
}
