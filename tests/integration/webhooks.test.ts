import assert from 'node:assert/strict';
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, describe, test } from 'node:test';
import type { ConfigOverrides } from '../../server/config.ts';
import { webhookKey, webhookRefusal } from '../../server/webhooks/signature.ts';
import { type TestHub, bearer, testHub } from '../helpers/hub.ts';
import { hubSuite } from '../helpers/hub-suite.ts';
import { assertProblem, send } from '../helpers/problem.ts';
import { until } from '../helpers/until.ts';

/** One request a receiver took, with whether its signature held under the webhook's secret. */
interface Received {
  id: string;
  type: string;
  seq: number;
  body: any;
  refusal: string | undefined;
}

/** A webhook receiver on 127.0.0.1: answers each request with what `answer` says, after `delayMs`, and only once `held` (if set) settles. */
class Receiver {
  readonly received: Received[] = [];
  answer = 204;
  delayMs = 0;
  held: Promise<void> | undefined;
  secret = '';
  private server: Server | undefined;

  /** Listens on `port` (0: any free one) and returns its URL. */
  async listen(port = 0): Promise<string> {
    this.server = createServer((req, res) => {
      let body = '';
      req.setEncoding('utf8');
      req.on('data', (chunk: string) => (body += chunk));
      req.on('end', () => {
        const headers = { id: req.headers['webhook-id'] as string, timestamp: req.headers['webhook-timestamp'] as string, signature: req.headers['webhook-signature'] as string };
        const event = JSON.parse(body) as { type: string; seq: number };
        this.received.push({ id: headers.id, type: event.type, seq: event.seq, body: event, refusal: webhookRefusal(webhookKey(this.secret), headers, body, Math.floor(Date.now() / 1000)) });
        const status = this.answer;
        const answer = () => setTimeout(() => res.writeHead(status).end(), this.delayMs);
        if (this.held) void this.held.then(answer);
        else answer();
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(port, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hooks?token=receiver-own`;
  }

  async close(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  /** The distinct `webhook-id`s taken. */
  get ids(): Set<string> {
    return new Set(this.received.map((r) => r.id));
  }
}

const receivers: Receiver[] = [];
after(() => Promise.all(receivers.map((r) => r.close())));

async function receiver(): Promise<{ receiver: Receiver; url: string }> {
  const r = new Receiver();
  receivers.push(r);
  return { receiver: r, url: await r.listen() };
}

const quick: ConfigOverrides = { webhooks: { pollMs: 50, maxBackoffMs: 200, timeoutMs: 5000 } };

/** Subscribes `url` to `types` as the admin, and gives the receiver the secret it verifies with. */
async function subscribe(hub: TestHub, r: Receiver, url: string, types: string[]): Promise<{ id: string; secret: string }> {
  const res = await hub.post('/webhooks', { url, types, description: 'a test receiver' }, bearer(hub.adminToken));
  assert.equal(res.status, 201, JSON.stringify(res.body));
  r.secret = res.body.secret;
  return res.body;
}

async function appendX(hub: TestHub, type: string, count = 1): Promise<void> {
  const res = await hub.post('/events', { events: Array.from({ length: count }, (_, i) => ({ type, data: { i } })) }, bearer(hub.adminToken));
  assert.equal(res.status, 201, JSON.stringify(res.body));
}

async function deliveries(hub: TestHub, webhookId: string): Promise<any[]> {
  const res = await hub.get(`/webhooks/${webhookId}/deliveries?limit=500`, bearer(hub.adminToken));
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body.deliveries;
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('outbound webhooks, on a hub that retries fast', () => {
  const suite = hubSuite(quick);
  const admin = () => bearer(suite.hub.adminToken);

  test('a decision.* subscription gets the decision events of a decision asked and resolved, signed, in seq order, and no other type', async () => {
    const { receiver: r, url } = await receiver();
    const { secret } = await subscribe(suite.hub, r, url, ['decision.*']);
    await appendX(suite.hub, 'x.noise');
    const asked = await suite.hub.post('/decisions', { title: 'Ship it?', risk: 'medium' });
    assert.equal(asked.status, 201, JSON.stringify(asked.body));
    assert.equal((await suite.hub.post(`/decisions/${asked.body.id}/resolve`, { outcome: 'approve' })).status, 200);
    await until('the decision events', () => (r.received.some((x) => x.type === 'decision.resolved') ? true : undefined));
    assert.deepEqual(r.received.map((x) => x.type), ['decision.requested', 'decision.resolved']);
    assert.ok(r.received.every((x) => x.body.decisionId === asked.body.id));
    assert.deepEqual(r.received.map((x) => x.refusal), [undefined, undefined]);
    assert.ok(r.received[0]!.seq < r.received[1]!.seq);
    assert.ok(r.received.every((x) => /^dlv_/.test(x.id)));

    const list = await send(`${suite.hub.url}/webhooks`, { headers: admin() });
    assert.equal(list.status, 200);
    assert.ok(!list.text.includes(secret) && !list.text.includes('whsec_'), 'GET /webhooks never shows a secret');
    assert.match(secret, /^whsec_[A-Za-z0-9+/]{32}$/);
  });

  test('a receiver that is down and comes back gets every delivery exactly once', async () => {
    const down = new Receiver();
    receivers.push(down);
    const url = await down.listen();
    const port = Number(new URL(url).port);
    await down.close();
    const { id } = await subscribe(suite.hub, down, url, ['x.outage']);
    await appendX(suite.hub, 'x.outage', 5);
    await until('failed attempts while it is down', async () => ((await deliveries(suite.hub, id)).every((d) => d.attempts >= 1 && d.lastStatus === null && d.lastError) ? true : undefined));
    await down.listen(port);
    await until('all five, once it is back', () => (down.ids.size === 5 ? true : undefined));
    await until('each recorded as delivered', async () => ((await deliveries(suite.hub, id)).every((d) => d.status === 'delivered') ? true : undefined));
    await pause(300);
    assert.equal(down.received.length, 5, 'no delivery came twice');
    assert.ok(down.received.every((x) => x.refusal === undefined));
  });

  test('two hubs on the same database never send one delivery twice', async () => {
    const other = await testHub(suite.database.url, quick);
    try {
      const { receiver: r, url } = await receiver();
      await subscribe(suite.hub, r, url, ['x.burst']);
      await Promise.all(Array.from({ length: 10 }, (_, i) => appendX(i % 2 ? other : suite.hub, 'x.burst', 5)));
      await until('the 50 events', () => (r.ids.size === 50 ? true : undefined));
      await pause(500);
      assert.equal(r.received.length, 50, `${r.received.length} requests for 50 deliveries`);
    } finally {
      await other.close();
    }
  });

  test("a slow receiver does not delay another webhook's deliveries", async () => {
    const slow = await receiver();
    let release: () => void = () => undefined;
    // The slow receiver holds its first answer until the fast one has both: no clock decides.
    slow.receiver.held = new Promise<void>((resolve) => (release = resolve));
    const fast = await receiver();
    await subscribe(suite.hub, slow.receiver, slow.url, ['x.race']);
    await subscribe(suite.hub, fast.receiver, fast.url, ['x.race']);
    await appendX(suite.hub, 'x.race');
    await until('the slow receiver took its first', () => (slow.receiver.received.length === 1 ? true : undefined));
    await appendX(suite.hub, 'x.race');
    try {
      await until('the fast receiver took both', () => (fast.receiver.received.length === 2 ? true : undefined));
      assert.equal(slow.receiver.received.length, 1, 'the slow receiver still holds its first');
    } finally {
      release();
    }
    await until('the slow receiver took its second', () => (slow.receiver.received.length === 2 ? true : undefined));
  });

  test('DELETE /webhooks/:id stops its deliveries', async () => {
    const { receiver: r, url } = await receiver();
    const { id } = await subscribe(suite.hub, r, url, ['x.gone']);
    await appendX(suite.hub, 'x.gone');
    await until('the first', () => (r.received.length === 1 ? true : undefined));
    const deleted = await send(`${suite.hub.url}/webhooks/${id}`, { method: 'DELETE', headers: admin() });
    assert.equal(deleted.status, 200, deleted.text);
    assert.ok(deleted.body.deletedAt);
    await appendX(suite.hub, 'x.gone', 3);
    await pause(400);
    assert.equal(r.received.length, 1);
    assert.ok(!(await suite.hub.get('/webhooks', admin())).body.webhooks.some((w: { id: string }) => w.id === id));
    assertProblem(await send(`${suite.hub.url}/webhooks/${id}`, { method: 'DELETE', headers: admin() }), 404, 'not_found', /no webhook/);
  });

  test('bad input is a 400 naming the field; an unknown webhook is a 404 on each of its routes', async () => {
    const post = (body: unknown) => send(`${suite.hub.url}/webhooks`, { method: 'POST', headers: { ...admin(), 'content-type': 'application/json' }, body: JSON.stringify(body) });
    assertProblem(await post({ url: 'ftp://x', types: ['x.*'] }), 400, 'validation_failed', /\/url/);
    assertProblem(await post({ url: 'not a url', types: ['x.*'] }), 400, 'validation_failed', /\/url/);
    assertProblem(await post({ url: 'http://127.0.0.1:9/', types: [] }), 400, 'validation_failed', /\/types/);
    assertProblem(await post({ url: 'http://127.0.0.1:9/', types: ['nope.*'] }), 400, 'validation_failed', /\/types\/0/);
    assertProblem(await post({ url: 'http://127.0.0.1:9/', types: ['agent.failed', 'nope'] }), 400, 'validation_failed', /\/types\/1/);
    assertProblem(await post({ url: 'http://127.0.0.1:9/', types: ['x.*'], secret: 'mine' }), 400, 'validation_failed', /secret/);
    for (const [method, path] of [
      ['DELETE', '/webhooks/whk_nobody'],
      ['GET', '/webhooks/whk_nobody/deliveries'],
      ['POST', '/webhooks/whk_nobody/deliveries/dlv_nobody/retry'],
      ['POST', '/webhooks/whk_nobody/resume'],
    ] as const) {
      assertProblem(await send(`${suite.hub.url}${path}`, { method, headers: admin() }), 404, 'not_found', /no webhook "whk_nobody"/);
    }
    assertProblem(await send(`${suite.hub.url}/webhooks`, { headers: suite.hub.auth }), 403, 'forbidden', /operator/);
  });
});

describe('outbound webhooks, on a hub that waits long between attempts', () => {
  const suite = hubSuite({ webhooks: { pollMs: 50, maxBackoffMs: 60_000, timeoutMs: 5000 } });
  const admin = () => bearer(suite.hub.adminToken);

  test('a receiver answering 500: the delivery shows its attempt and waits; retry makes it due at once', async () => {
    const { receiver: r, url } = await receiver();
    r.answer = 500;
    const { id } = await subscribe(suite.hub, r, url, ['x.flaky']);
    await appendX(suite.hub, 'x.flaky');
    // The first retry comes within a second (full jitter): more than one attempt may be seen here.
    const [failed] = await until('the first attempt', async () => {
      const list = await deliveries(suite.hub, id);
      return list[0]?.attempts >= 1 && list[0].lastStatus === 500 ? list : undefined;
    });
    assert.equal(failed.status, 'pending');
    assert.match(failed.lastError, /500/);
    assert.equal(typeof failed.lastDurationMs, 'number');
    assert.ok(failed.lastAttemptAt);
    assert.ok(failed.nextAttemptAt);
    assert.equal(failed.seq, r.received[0]!.seq);
    const metrics = await send(`${suite.hub.url}/metrics`, { headers: admin() });
    assert.match(metrics.text, /^mc_webhook_outbox_pending [1-9]/m);
    assert.match(metrics.text, /^mc_webhook_outbox_oldest_pending_seconds /m);

    r.answer = 200;
    const retried = await suite.hub.post(`/webhooks/${id}/deliveries/${failed.id}/retry`, {}, admin());
    assert.equal(retried.status, 200, JSON.stringify(retried.body));
    assert.ok(Date.parse(retried.body.nextAttemptAt) <= Date.now() + 1000, 'due at once');
    const [done] = await until('delivered', async () => ((await deliveries(suite.hub, id))[0]?.status === 'delivered' ? await deliveries(suite.hub, id) : undefined));
    assert.deepEqual([...r.ids], [failed.id], 'the retry carries the same webhook-id');
    assert.deepEqual([done.attempts, done.lastStatus, done.nextAttemptAt], [r.received.length, 200, null]);
    assertProblem(await send(`${suite.hub.url}/webhooks/${id}/deliveries/${failed.id}/retry`, { method: 'POST', headers: admin() }), 409, 'conflict', /delivered already/);
    assertProblem(await send(`${suite.hub.url}/webhooks/${id}/deliveries/dlv_nobody/retry`, { method: 'POST', headers: admin() }), 404, 'not_found', /dlv_nobody/);
  });

  test('a receiver answering 410 pauses the webhook; nothing more is sent until it is resumed, then the pending ones arrive', async () => {
    const { receiver: r, url } = await receiver();
    r.answer = 410;
    const { id } = await subscribe(suite.hub, r, url, ['x.moved']);
    await appendX(suite.hub, 'x.moved');
    await until('the 410', () => (r.received.length === 1 ? true : undefined));
    const paused = await until('the pause', async () => (await suite.hub.get('/webhooks', admin())).body.webhooks.find((w: any) => w.id === id && w.pausedAt));
    assert.equal(paused.pausedReason, 'the receiver answered 410 Gone');
    await appendX(suite.hub, 'x.moved', 2);
    await pause(400);
    assert.equal(r.received.length, 1, 'nothing is sent to a paused webhook');
    assert.equal((await deliveries(suite.hub, id)).length, 3, 'but its deliveries are enqueued');

    r.answer = 200;
    const resumed = await suite.hub.post(`/webhooks/${id}/resume`, {}, admin());
    assert.equal(resumed.status, 200, JSON.stringify(resumed.body));
    assert.deepEqual([resumed.body.pausedAt, resumed.body.consecutiveFailures], [null, 0]);
    await until('the three', () => (r.ids.size === 3 ? true : undefined));
    assert.deepEqual(r.received.slice(1).map((x) => x.seq), [...r.received.slice(1).map((x) => x.seq)].sort((a, b) => a - b));
  });
});
