import assert from 'node:assert/strict';
import net from 'node:net';
import { describe, test } from 'node:test';
import { hubSuite } from '../helpers/hub-suite.ts';
import { until } from '../helpers/until.ts';
import { testHub } from '../helpers/hub.ts';

describe('GET /events as Server-Sent Events', () => {
  const suite = hubSuite({ stream: { heartbeatMs: 200, maxBufferedBytes: 256 * 1024 } });

  async function append(type: string, data: object, extra: object = {}): Promise<number> {
    const res = await suite.hub.post(`/events`, { type, data, ...extra });
    assert.equal(res.status, 201);
    return res.body.seq as number;
  }

  test('replays from ?after=, then goes live with no gap and no duplicate at the seam', async () => {
    const first = await append('x.replay', { n: 1 });
    const second = await append('x.replay', { n: 2 });
    const sse = await suite.hub.sse(`/events?after=${first - 1}&types=x.replay`);
    await sse.until((events) => events.length === 2);
    const third = await append('x.replay', { n: 3 });
    await sse.until((events) => events.length === 3);
    assert.deepEqual(sse.events.map((e) => e.seq), [first, second, third]);
    assert.deepEqual(sse.events.map((e) => e.data.n), [1, 2, 3]);
    sse.close();
  });

  test('the Last-Event-ID header wins over ?after= and ?lastEventID=, as an EventSource reconnect needs', async () => {
    const a = await append('x.cursor', { n: 1 });
    const b = await append('x.cursor', { n: 2 });
    const sse = await suite.hub.sse('/events?after=0&types=x.cursor', { ...suite.hub.auth, 'last-event-id': String(a) });
    await sse.until((events) => events.length === 1);
    assert.deepEqual(sse.events.map((e) => e.seq), [b]);
    sse.close();
    const byQuery = await suite.hub.sse(`/events?lastEventID=${a}&types=x.cursor`);
    await byQuery.until((events) => events.length === 1);
    assert.equal(byQuery.events[0]!.seq, b);
    byQuery.close();
  });

  test('without a cursor the stream is live only', async () => {
    await append('x.liveonly', { n: 0 });
    const sse = await suite.hub.sse(`/events?types=x.liveonly`);
    await new Promise((r) => setTimeout(r, 100));
    const fresh = await append('x.liveonly', { n: 1 });
    await sse.until((events) => events.length === 1);
    assert.deepEqual(sse.events.map((e) => e.seq), [fresh]);
    sse.close();
  });

  test('filters by type list with prefix.*, by agent and by task', async () => {
    const sse = await suite.hub.sse(`/events?types=x.pre.*,x.keep&agent=a1`);
    const other = await suite.hub.sse(`/events?task=t9`);
    await append('x.keep', {}, { agentId: 'a2' });
    await append('x.drop', {}, { agentId: 'a1' });
    const kept = await append('x.keep', {}, { agentId: 'a1', taskId: 't9' });
    const decision = await append('x.pre.fixed', { by: 'operator:ann' }, { agentId: 'a1', decisionId: 'd1' });
    await sse.until((events) => events.length === 2);
    assert.deepEqual(sse.events.map((e) => e.seq), [kept, decision]);
    await other.until((events) => events.length === 1);
    assert.deepEqual(other.events.map((e) => e.seq), [kept]);
    sse.close();
    other.close();
  });

  test('with eventNames=off event frames carry no event name, so a browser delivers every type to onmessage', async () => {
    const seq = await append('x.unnamed', { n: 1 });
    const res = await fetch(`${suite.hub.url}/events?after=${seq - 1}&types=x.unnamed&eventNames=off`, { headers: { ...suite.hub.auth, accept: 'text/event-stream' } });
    const reader = res.body!.getReader();
    let text = '';
    while (!/\nid: .*\ndata: .*\n\n/.test(text)) text += new TextDecoder().decode((await reader.read()).value);
    await reader.cancel();
    assert.match(text, new RegExp(`\n\nid: ${seq}\ndata: \{`));
    // Only the opening `event: log` frame is named, so it never reaches onmessage as an event.
    assert.deepEqual(text.match(/event: .*/g), ['event: log']);
  });

  test('sends a retry field first and heartbeat comments while idle', async () => {
    const sse = await suite.hub.sse(`/events?types=x.none`);
    await until('two heartbeats', () => (sse.comments.filter((c) => c === 'heartbeat').length >= 2 ? true : undefined));
    assert.equal(sse.retry, suite.hub.config.stream.retryMs);
    sse.close();
  });

  test('frames carry id, event and the envelope, and the response is an event stream', async () => {
    const sse = await suite.hub.sse(`/events?types=x.frame`);
    assert.equal(sse.status, 200);
    const seq = await append('x.frame', { ok: true }, { agentId: 'a7', correlationId: 'c1' });
    await sse.until((events) => events.length === 1);
    const [event] = sse.events;
    assert.equal(event!.seq, seq);
    assert.equal(event!.agentId, 'a7');
    assert.equal(event!.correlationId, 'c1');
    assert.deepEqual(event!.data, { ok: true });
    assert.equal(event!.taskId, undefined);
    sse.close();
  });

  test('a subscriber that stops reading is disconnected without slowing the others', async () => {
    // A raw socket that sends the request and never reads: its buffer fills and the hub cuts it off.
    const stalled = net.connect(Number(new URL(suite.hub.url).port), '127.0.0.1');
    stalled.pause();
    await new Promise<void>((r) => stalled.once('connect', () => r()));
    stalled.write(`GET /events?types=x.flood HTTP/1.1\r\nHost: localhost\r\nAccept: text/event-stream\r\nAuthorization: ${suite.hub.auth.authorization}\r\n\r\n`);
    const stalledClosed = new Promise<void>((r) => stalled.once('close', () => r()));
    const healthy = await suite.hub.sse(`/events?types=x.flood`);
    await new Promise((r) => setTimeout(r, 100));

    const pad = 'x'.repeat(16_000);
    // Enough to fill the kernel's socket buffers on both ends (several MB on loopback) and then ours.
    const total = 1500;
    for (let i = 0; i < total; i += 50) {
      const events = Array.from({ length: 50 }, (_, j) => ({ type: 'x.flood', data: { i: i + j, pad } }));
      assert.equal((await suite.hub.post(`/events`, { events })).status, 201);
    }
    await healthy.until((events) => events.length === total, 15_000);
    assert.deepEqual(healthy.events.map((e) => e.data.i), Array.from({ length: total }, (_, i) => i));
    for (let waited = 0; suite.hub.fanout.subscriberCount > 1 && waited < 5000; waited += 50) await new Promise((r) => setTimeout(r, 50));
    assert.equal(suite.hub.fanout.subscriberCount, 1, 'the stalled subscriber should have been cut off');
    // The paused socket sees the hub's close once it reads again.
    stalled.resume();
    await stalledClosed;
    healthy.close();
  });

  test('ends streams when the hub closes, so clients resume elsewhere', async () => {
    const other = await testHub(suite.database.url);
    const sse = await other.sse(`/events`);
    await other.close();
    await sse.closed;
    assert.equal(other.fanout.subscriberCount, 0);
  });
});

describe('GET /events as JSON pages', () => {
  const suite = hubSuite();

  test('pages through the log with after, limit and next', async () => {
    const events = Array.from({ length: 25 }, (_, i) => ({ type: 'x.page', data: { i } }));
    assert.equal((await suite.hub.post(`/events`, { events })).status, 201);
    const seen: number[] = [];
    let cursor = 0;
    for (;;) {
      const res = await suite.hub.get(`/events?after=${cursor}&limit=10`);
      assert.equal(res.status, 200);
      const page = res.body as { events: Array<{ seq: number; data: { i: number } }>; next: number };
      if (page.events.length === 0) {
        assert.equal(page.next, cursor);
        break;
      }
      assert.ok(page.events.length <= 10);
      seen.push(...page.events.map((e) => e.data.i));
      cursor = page.next;
    }
    assert.deepEqual(seen, Array.from({ length: 25 }, (_, i) => i));
  });

  test('applies the same filters as the stream', async () => {
    await suite.hub.post(`/events`, { events: [{ type: 'x.a', data: {}, taskId: 'tj' }, { type: 'x.b', data: {}, taskId: 'tj' }, { type: 'x.a', data: {} }] });
    const page = (await suite.hub.get('/events?types=x.a&task=tj')).body as { events: Array<{ type: string; taskId?: string }> };
    assert.deepEqual(page.events.map((e) => [e.type, e.taskId]), [['x.a', 'tj']]);
  });
});
