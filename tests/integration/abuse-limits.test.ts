import assert from 'node:assert/strict';
import net from 'node:net';
import { after, before, describe, test } from 'node:test';
import type { ConfigOverrides } from '../../server/config.ts';
import { type TestDatabase, testDatabase } from '../helpers/database.ts';
import { testHub } from '../helpers/hub.ts';
import { type Answer, assertProblem } from '../helpers/problem.ts';
import type { SseConnection } from '../helpers/sse.ts';
import { until } from '../helpers/until.ts';
import { ask, call } from '../helpers/decisions.ts';
import { bearer } from '../helpers/hub.ts';

type Hub = Awaited<ReturnType<typeof testHub>>;

let database: TestDatabase;
before(async () => {
  database = await testDatabase();
});
after(async () => {
  await database?.drop();
});

/** A hub of its own for one describe block, closed after it. */
function hubWith(overrides: ConfigOverrides): () => Hub {
  let hub: Hub | undefined;
  before(async () => {
    hub = await testHub(database.url, overrides);
  });
  after(async () => {
    await hub?.close();
  });
  return () => hub!;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Sends `request` until it is refused with a 429, at most `limit` times; the 429 and how many went through before it. */
async function untilRefused(request: () => Promise<Answer & { retryAfter: string | null }>, limit: number) {
  for (let passed = 0; passed < limit; passed++) {
    const answer = await request();
    if (answer.status === 429) return { answer, passed };
    assert.equal(answer.status, 200, `expected 200 until refused, got ${answer.status}: ${answer.text.slice(0, 200)}`);
  }
  assert.fail(`still not refused after ${limit} requests`);
}

async function get(hub: Hub, path: string, headers: Record<string, string> = {}): Promise<Answer & { retryAfter: string | null }> {
  const res = await fetch(`${hub.url}${path}`, { headers: { accept: 'application/json', ...headers }, signal: AbortSignal.timeout(10_000) });
  const text = await res.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  return { status: res.status, contentType: res.headers.get('content-type') ?? '', text, body, retryAfter: res.headers.get('retry-after') };
}

describe('rate limit per token', () => {
  const burst = 5;
  const hub = hubWith({ rateLimits: { perTokenPerSecond: 1, perTokenBurst: burst, perAddressPerSecond: 1000, perAddressBurst: 1000 } });

  test('after its burst, a token is refused with a 429 rate_limited and Retry-After, while another token gets through', async () => {
    const [busy, other] = [await hub().mint('viewer'), await hub().mint('viewer')];
    const started = performance.now();
    const { answer, passed } = await untilRefused(() => get(hub(), '/events?limit=1', bearer(busy)), burst + 20);
    // One request a second refills the bucket: a slow machine may let a few more through, never fewer.
    const refilled = Math.ceil((performance.now() - started) / 1000);
    assert.ok(passed >= burst && passed <= burst + refilled, `${passed} requests went through in ${refilled} s with a burst of ${burst}`);
    assertProblem(answer, 429, 'rate_limited', /token/);
    assert.ok(Number(answer.retryAfter) >= 1, `Retry-After: ${answer.retryAfter}`);
    assert.equal((await get(hub(), '/events?limit=1', bearer(other))).status, 200);
  });
});

describe('rate limit per address', () => {
  const burst = 5;
  const hub = hubWith({ rateLimits: { perAddressPerSecond: 1, perAddressBurst: burst, perTokenPerSecond: 1000, perTokenBurst: 1000 } });

  test('public routes are limited by address: /healthz without a token runs out after the burst', async () => {
    const started = performance.now();
    const { answer, passed } = await untilRefused(() => get(hub(), '/healthz'), burst + 20);
    const refilled = Math.ceil((performance.now() - started) / 1000);
    // The hub's own start-up requests from this address may have taken part of the burst already.
    assert.ok(passed <= burst + refilled, `${passed} requests went through in ${refilled} s with a burst of ${burst}`);
    const problem = assertProblem(answer, 429, 'rate_limited', /address/);
    assert.ok(Number(answer.retryAfter) >= 1, `Retry-After: ${answer.retryAfter}`);
    assert.equal(problem.instance, '/healthz');
    const counted = await hub().metrics.registry.getSingleMetricAsString('mc_http_requests_total');
    assert.match(counted, /^mc_http_requests_total\{method="GET",route="\/healthz",status="429"\} [1-9]/m);
  });

  test('a valid token does not lift the address limit', async () => {
    const { answer } = await untilRefused(() => get(hub(), '/events?limit=1', hub().auth), burst + 20);
    assertProblem(answer, 429, 'rate_limited', /address/);
  });
});

describe('open streams per token', () => {
  const hub = hubWith({ stream: { maxStreamsPerToken: 2 } });
  const streamHeaders = (token: string) => ({ ...bearer(token), accept: 'text/event-stream' });

  async function openTwo(token: string): Promise<SseConnection[]> {
    const streams = [await hub().sse('/events', bearer(token)), await hub().sse('/events', bearer(token))];
    assert.deepEqual(streams.map((s) => s.status), [200, 200]);
    return streams;
  }

  test('a third stream with the same token is a 429 too_many_streams; another token still opens one', async () => {
    const token = await hub().mint('viewer');
    const streams = await openTwo(token);
    const refused = await get(hub(), '/events', streamHeaders(token));
    const problem = assertProblem(refused, 429, 'too_many_streams', /close one/);
    assert.equal(refused.retryAfter, '5');
    assert.equal(problem.instance, '/events');
    const other = await hub().sse('/events', bearer(await hub().mint('viewer')));
    assert.equal(other.status, 200);
    for (const s of [...streams, other]) s.close();
  });

  test('once a stream is closed, the token may open a new one', async () => {
    const token = await hub().mint('viewer');
    const [first, second] = await openTwo(token);
    first!.close();
    let reopened: SseConnection | undefined;
    // The hub frees the slot when it sees the socket close, which takes a moment.
    for (const deadline = Date.now() + 5000; Date.now() < deadline; await sleep(20)) {
      reopened = await hub().sse('/events', bearer(token));
      if (reopened.status === 200) break;
      reopened.close();
    }
    assert.equal(reopened?.status, 200);
    reopened!.close();
    second!.close();
  });
});

describe('decision waits per token', () => {
  const hub = hubWith({ stream: { maxStreamsPerToken: 2 } });

  // A held wait or stream listens to the hub's fan-out: its subscriber count says when the hub holds one.
  const subscribers = () => hub().fanout.subscriberCount;
  const subscribersReach = (n: number) => until(`${n} fan-out subscribers`, () => (subscribers() === n ? true : undefined));

  /** Opens a long-poll on `decisionId` with `token` and resolves once the hub holds it; call the answer to end it. */
  async function holdWait(decisionId: string, token: string): Promise<() => void> {
    const before = subscribers();
    const controller = new AbortController();
    fetch(`${hub().url}/decisions/${decisionId}/wait?timeout=120`, { headers: bearer(token), signal: controller.signal }).catch(() => undefined);
    await subscribersReach(before + 1);
    return () => controller.abort();
  }

  test('a wait counts with the streams: a token holding one of each gets 429 too_many_streams for another of either', async () => {
    const idle = subscribers();
    const token = await hub().mint('operator');
    const decision = await ask(hub(), {}, bearer(token));
    const stream = await hub().sse('/events', bearer(token));
    await subscribersReach(idle + 1);
    const stopWaiting = await holdWait(decision.id, token);
    const refused = await hub().sse('/events', bearer(token));
    refused.close();
    assert.equal(refused.status, 429);
    assertProblem(await call(hub(), 'GET', `/decisions/${decision.id}/wait?timeout=1`, undefined, bearer(token)), 429, 'too_many_streams', /decision waits/);
    stopWaiting();
    stream.close();
    await subscribersReach(idle);
  });

  test('waits alone are capped too, and another token still waits', async () => {
    const idle = subscribers();
    const token = await hub().mint('operator');
    const decision = await ask(hub(), {}, bearer(token));
    const stops = [await holdWait(decision.id, token), await holdWait(decision.id, token)];
    const refused = await get(hub(), `/decisions/${decision.id}/wait?timeout=1`, bearer(token));
    assertProblem(refused, 429, 'too_many_streams', /decision waits/);
    assert.equal(refused.retryAfter, '5');
    const other = await call(hub(), 'GET', `/decisions/${decision.id}/wait?timeout=1`, undefined, bearer(await hub().mint('operator')));
    assert.equal(other.status, 200);
    for (const stop of stops) stop();
    await subscribersReach(idle);
  });

  test('a wait that ends gives its place back', async () => {
    const token = await hub().mint('operator');
    const decision = await ask(hub(), {}, bearer(token));
    for (let i = 0; i < 3; i++) assert.equal((await call(hub(), 'GET', `/decisions/${decision.id}/wait?timeout=1`, undefined, bearer(token))).status, 200);
  });
});

describe('slow clients', () => {
  const hub = hubWith({ http: { headersTimeoutMs: 500, requestTimeoutMs: 1000 } });

  /**
   * Writes `raw` on a socket of its own and waits up to `ms` for the hub to close it. Node answers an
   * expired request with "408 Request Timeout" and closes the connection (server.requestTimeout).
   */
  async function sendAndWait(raw: string, ms: number): Promise<{ reply: string; closed: boolean; afterMs: number }> {
    const socket = net.connect(Number(new URL(hub().url).port), '127.0.0.1');
    await new Promise<void>((r) => socket.once('connect', () => r()));
    const started = Date.now();
    let reply = '';
    socket.on('data', (chunk) => (reply += String(chunk)));
    socket.on('error', () => undefined);
    const closed = new Promise<boolean>((r) => socket.once('close', () => r(true)));
    socket.write(raw);
    const outcome = await Promise.race([closed, sleep(ms).then(() => false)]);
    socket.destroy();
    return { reply, closed: outcome, afterMs: Date.now() - started };
  }

  test('a body that stops arriving gets a 408 and the connection closed within the request timeout', async () => {
    const head = `POST /events HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 100\r\nAuthorization: ${hub().auth.authorization}\r\n\r\n`;
    const { reply, closed, afterMs } = await sendAndWait(`${head}{"type":"x`, 3000);
    assert.ok(closed, `the connection was still open after ${afterMs} ms (requestTimeout is 1000 ms); reply so far: ${JSON.stringify(reply)}`);
    assert.match(reply, /^HTTP\/1\.1 408 /);
  });

  test('headers that stop arriving get a 408 and the connection closed within the headers timeout', async () => {
    const { reply, closed, afterMs } = await sendAndWait('GET /healthz HTTP/1.1\r\nHost: localhost\r\n', 3000);
    assert.ok(closed, `the connection was still open after ${afterMs} ms (headersTimeout is 500 ms); reply so far: ${JSON.stringify(reply)}`);
    assert.match(reply, /^HTTP\/1\.1 408 /);
  });
});

describe('security headers', () => {
  const hub = hubWith({});

  for (const path of ['/healthz', '/contractz']) {
    test(`${path} carries a strict Content-Security-Policy, nosniff and a frame policy`, async () => {
      const res = await fetch(`${hub().url}${path}`);
      await res.arrayBuffer();
      assert.equal(res.status, 200);
      const csp = res.headers.get('content-security-policy');
      assert.ok(csp, 'content-security-policy is set');
      assert.match(csp, /default-src 'self'/);
      assert.doesNotMatch(csp, /unsafe-eval/);
      assert.doesNotMatch(csp, /unsafe-inline/);
      assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
      assert.ok(res.headers.get('x-frame-options'), 'x-frame-options is set');
    });
  }

  test('an SSE stream, written to the socket by the route, carries the same security headers and its request id', async () => {
    const plain = await fetch(`${hub().url}/healthz`);
    await plain.arrayBuffer();
    const stream = await hub().sse('/events', { ...hub().auth, 'x-request-id': 'sse-headers-1' });
    stream.close();
    assert.equal(stream.status, 200);
    assert.equal(stream.headers['content-type'], 'text/event-stream; charset=utf-8');
    assert.equal(stream.headers['x-request-id'], 'sse-headers-1');
    const security = [...plain.headers.keys()].filter((name) => !['content-type', 'content-length', 'date', 'connection', 'keep-alive', 'x-request-id'].includes(name));
    assert.ok(security.length >= 10, `security headers on /healthz: ${security.join(', ')}`);
    for (const name of security) assert.equal(stream.headers[name], plain.headers.get(name), name);
  });
});
