import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { Agent } from '../../server/client/agent.ts';
import { subscribe } from '../../server/client/event-stream.ts';
import { HubClient, HubClientError } from '../../server/client/hub-client.ts';
import type { EventEnvelope } from '../../server/client/views.ts';
import { startProcess } from '../helpers/child-process.ts';
import { defaultConfig } from '../../server/config.ts';
import { hubSuite } from '../helpers/hub-suite.ts';
import { until } from '../helpers/until.ts';

let operatorToken: string;
let operator: HubClient;

// The built-in sample template, given so the hub gets a runner to start it.
const suite = hubSuite({ stream: { retryMs: 100 }, templates: { sample: defaultConfig.templates.sample } });
before(async () => {
  await suite.ready();
  operatorToken = suite.hub.auth.authorization!.slice('Bearer '.length);
  operator = new HubClient({ url: suite.hub.url, token: operatorToken });
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const fast = { attempts: 5, baseMs: 20, maxMs: 200 };

/** An HTTP proxy in front of the hub that can lose answers and cut connections, as networks do. */
async function faultyProxy(target: string) {
  const seen: Array<{ method: string; url: string; lastEventId: string | undefined }> = [];
  const open = new Set<http.IncomingMessage>();
  let loseAnswers = 0;
  const server = http.createServer((req, res) => {
    seen.push({ method: req.method!, url: req.url!, lastEventId: req.headers['last-event-id'] as string | undefined });
    open.add(req);
    res.once('close', () => open.delete(req));
    const upstream = http.request(`${target}${req.url}`, { method: req.method, headers: req.headers }, (answer) => {
      if (req.method === 'POST' && loseAnswers > 0) {
        // The hub did the work; the client only hears a 503, as after a lost answer.
        loseAnswers--;
        answer.resume();
        res.writeHead(503, { 'content-type': 'application/problem+json', 'retry-after': '1' });
        res.end(JSON.stringify({ status: 503, code: 'unavailable', detail: 'the proxy lost the answer' }));
        return;
      }
      res.writeHead(answer.statusCode!, answer.headers);
      answer.pipe(res);
    });
    upstream.on('error', () => res.destroy());
    res.once('close', () => upstream.destroy());
    req.pipe(upstream);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen,
    loseNextAnswers: (n: number) => void (loseAnswers = n),
    /** Destroys every open connection from the server's side. */
    cut: () => open.forEach((req) => req.socket.destroy()),
    close: () => new Promise<void>((r) => (server.closeAllConnections(), server.close(() => r()))),
  };
}

async function countOfType(type: string): Promise<number> {
  const { rows } = await sql<{ n: number }>`select count(*)::int as n from events where type = ${type}`.execute(suite.hub.db);
  return rows[0]!.n;
}


describe('hub.events', () => {
  test('list() reads every page for you, oldest first, and stops at the head', async () => {
    const seqs: number[] = [];
    for (let n = 0; n < 5; n++) seqs.push((await operator.events.append({ type: 'x.client.list', data: { n } })).seq);
    const reads: string[] = [];
    const counting = new HubClient({ url: suite.hub.url, token: operatorToken, fetch: (input, init) => (reads.push(String(input)), fetch(input, init)) });
    const listed: number[] = [];
    for await (const event of counting.events.list({ types: ['x.client.list'], limit: 2 })) listed.push(event.seq);
    assert.deepEqual(listed, seqs);
    assert.equal(reads.length, 3, reads.join('\n'));
  });

  test("list({ order: 'desc' }) reads newest first from the head; page({ order: 'desc', limit: 1 }) is the newest event", async () => {
    const seqs: number[] = [];
    for (let n = 0; n < 5; n++) seqs.push((await operator.events.append({ type: 'x.client.desc', data: { n } })).seq);
    const last = await operator.events.append({ type: 'x.client.latest', data: {} });
    const newest: number[] = [];
    for await (const event of operator.events.list({ types: ['x.client.desc'], order: 'desc', limit: 2 })) newest.push(event.seq);
    assert.deepEqual(newest, [...seqs].reverse(), 'all five, across pages of two, newest first');
    const page = await operator.events.page({ order: 'desc', limit: 1 });
    assert.equal(page.events[0]?.id, last.id);
    assert.equal(page.head, last.seq);
  });

  test('get() reads one event by id; an unknown id is a HubClientError 404 not_found', async () => {
    const appended = await operator.events.append({ type: 'x.client.get', data: { colour: 'teal' } });
    const event = await operator.events.get(appended.id);
    assert.deepEqual([event.seq, event.type, event.data], [appended.seq, 'x.client.get', { colour: 'teal' }]);
    const error = await operator.events.get('evt_nobody').catch((e: unknown) => e);
    assert.ok(error instanceof HubClientError);
    assert.deepEqual([error.status, error.code], [404, 'not_found']);
  });
});

describe('HubClient', () => {
  test('append without a key, answered 503 after the hub stored it, is retried after Retry-After and stored once', async () => {
    const proxy = await faultyProxy(suite.hub.url);
    proxy.loseNextAnswers(1);
    const client = new HubClient({ url: proxy.url, token: operatorToken, retry: fast });
    const started = Date.now();
    const receipt = await client.events.append({ type: 'x.client.retry', data: { n: 1 } });
    assert.ok(Date.now() - started >= 950, `retried after ${Date.now() - started} ms, before the 1 s Retry-After`);
    assert.equal(receipt.deduped, true, 'the retry should have found the first attempt');
    assert.equal(proxy.seen.filter((r) => r.method === 'POST').length, 2);
    assert.equal(await countOfType('x.client.retry'), 1);
    await proxy.close();
  });

  test('a 4xx is not retried and carries the status, code and detail', async () => {
    const proxy = await faultyProxy(suite.hub.url);
    const client = new HubClient({ url: proxy.url, token: operatorToken, retry: fast });
    const error = await client.events.append({ type: 'foo.bar', data: {} }).catch((e: unknown) => e);
    assert.ok(error instanceof HubClientError);
    assert.deepEqual([error.status, error.code], [400, 'unknown_event_type']);
    assert.match(error.detail, /foo\.bar/);
    assert.equal(proxy.seen.length, 1);
    await proxy.close();
  });

  test('a hub that does not answer gives an error naming its URL', async () => {
    const client = new HubClient({ url: 'http://127.0.0.1:59998', token: 'x', retry: { attempts: 2, baseMs: 10, maxMs: 10 } });
    const error = await client.agents.list().catch((e: unknown) => e);
    assert.ok(error instanceof HubClientError);
    assert.deepEqual([error.status, error.code], [0, 'unreachable']);
    assert.equal(error.message, 'cannot reach the hub at http://127.0.0.1:59998 (connection refused)');
  });

  test('requestDecision returns the approved view once an operator resolves it', async () => {
    const agentClient = new HubClient({ url: suite.hub.url, token: await suite.hub.mint('agent', 'agt_asker') });
    await agentClient.agents.heartbeat('agt_asker');
    const answer = agentClient.decisions.request({ title: 'Deploy the asker?', risk: 'medium' });
    const pending = await until('the decision', async () => (await operator.decisions.list({ status: 'pending' })).find((d) => d.agentId === 'agt_asker'));
    await operator.decisions.resolve(pending.id, 'approve', 'ship it');
    const view = await answer;
    assert.deepEqual([view.id, view.status, view.outcome, view.comment], [pending.id, 'resolved', 'approve', 'ship it']);
  });

  test('requestDecision asks once when the answer to its ask is lost, and keeps waiting when the wait is cut', async () => {
    const proxy = await faultyProxy(suite.hub.url);
    proxy.loseNextAnswers(1);
    const agentClient = new HubClient({ url: proxy.url, token: await suite.hub.mint('agent', 'agt_patient'), retry: fast });
    const answer = agentClient.decisions.request({ title: 'Survive a drop?', risk: 'high' });
    await until('the wait', async () => proxy.seen.find((r) => r.url.includes('/wait')));
    proxy.cut();
    await until('a second wait', async () => (proxy.seen.filter((r) => r.url.includes('/wait')).length >= 2 ? true : undefined));
    assert.equal(proxy.seen.filter((r) => r.method === 'POST').length, 2);
    const pending = (await operator.decisions.list({ status: 'pending' })).filter((d) => d.agentId === 'agt_patient');
    assert.equal(pending.length, 1);
    await operator.decisions.resolve(pending[0]!.id, 'deny', 'not now');
    const view = await answer;
    assert.deepEqual([view.status, view.outcome, view.comment], ['resolved', 'deny', 'not now']);
    await proxy.close();
  });

  test('cancelDecision withdraws the decision, and the waiting requestDecision ends with the cancelled view', async () => {
    const agentClient = new HubClient({ url: suite.hub.url, token: await suite.hub.mint('agent', 'agt_withdrawn') });
    let asked: string | undefined;
    const answer = agentClient.decisions.request({ title: 'Still needed?', risk: 'medium' }, { onAsked: (d) => (asked = d.id) });
    const id = await until('the ask', async () => asked);
    const cancelled = await agentClient.decisions.cancel(id, 'no longer needed');
    assert.deepEqual([cancelled.status, cancelled.comment], ['cancelled', 'no longer needed']);
    assert.deepEqual([(await answer).status, (await answer).resolvedBy], ['cancelled', 'agent:agt_withdrawn']);
  });
});

describe('subscribe()', () => {
  test('resumes after the connection is cut, with no gap and no duplicate', async () => {
    const proxy = await faultyProxy(suite.hub.url);
    const appended: number[] = [];
    for (let n = 0; n < 3; n++) appended.push((await operator.events.append({ type: 'x.client.cut', data: { n } })).seq);
    const stream = subscribe({ url: proxy.url, token: operatorToken, types: ['x.client.cut'], after: appended[0]! - 1, retry: fast });
    const received: EventEnvelope[] = [];
    for (let i = 0; i < 3; i++) received.push((await stream.next()).value as EventEnvelope);
    proxy.cut();
    for (let n = 3; n < 6; n++) appended.push((await operator.events.append({ type: 'x.client.cut', data: { n } })).seq);
    for (let i = 0; i < 3; i++) received.push((await stream.next()).value as EventEnvelope);
    assert.deepEqual(received.map((e) => e.seq), appended);
    assert.deepEqual(received.map((e) => e.data.n), [0, 1, 2, 3, 4, 5]);
    const streams = proxy.seen.filter((r) => r.url.startsWith('/events'));
    assert.deepEqual(streams.map((r) => r.lastEventId), [String(appended[0]! - 1), String(appended[2])]);
    await stream.return();
    await proxy.close();
  });

  test('without a cursor, an event appended while it reconnects before its first event is not missed', async () => {
    const proxy = await faultyProxy(suite.hub.url);
    let streams = 0;
    let reopen!: () => void;
    const reopened = new Promise<void>((r) => (reopen = r));
    // The second stream waits until the test has appended, as a slow reconnect would.
    const gated: typeof fetch = async (input, init) => {
      if (new Headers(init?.headers).get('accept') === 'text/event-stream' && ++streams === 2) await reopened;
      return fetch(input, init);
    };
    const stream = subscribe({ url: proxy.url, token: operatorToken, types: ['x.client.early'], retry: fast, fetch: gated });
    const first = stream.next();
    await until('the stream', async () => proxy.seen.find((r) => r.url.startsWith('/events?types')));
    proxy.cut();
    await until('the reconnect', async () => (streams === 2 ? true : undefined));
    const appended = await operator.events.append({ type: 'x.client.early', data: { n: 1 } });
    reopen();
    const timeout = new Promise<'missed'>((r) => setTimeout(() => r('missed'), 5000).unref());
    const got = await Promise.race([first, timeout]);
    assert.notEqual(got, 'missed', 'the event appended during the reconnect never came');
    assert.equal((got as IteratorResult<EventEnvelope>).value?.seq, appended.seq);
    await stream.return();
    await proxy.close();
  });

  test('ends with a HubClientError when the token is refused', async () => {
    const error = await subscribe({ url: suite.hub.url, token: 'mc_wrong' }).next().catch((e: unknown) => e);
    assert.ok(error instanceof HubClientError);
    assert.equal(error.status, 401);
    assert.match(error.message, /^the hub refused the token \(401 unauthorized\)/);
  });
});

describe('Agent', () => {
  async function agentNamed(id: string): Promise<Agent> {
    const agent = new Agent({ url: suite.hub.url, agentId: id, token: await suite.hub.mint('agent', id) });
    await agent.hub.agents.heartbeat(id);
    return agent;
  }

  test('messages() yields injected messages, also one sent before it started reading', async () => {
    const agent = await agentNamed('agt_listener');
    await operator.agents.inject('agt_listener', 'hello');
    const messages = agent.messages();
    const first = (await messages.next()).value;
    assert.deepEqual([first?.message, first?.from.startsWith('operator:')], ['hello', true]);
    await operator.agents.inject('agt_listener', 'second');
    assert.equal((await messages.next()).value?.message, 'second');
    agent.close();
    assert.equal((await messages.next()).done, true);
  });

  test('checkpoint() passes while running, blocks while paused, and goes on at agent.resumed', async () => {
    const agent = await agentNamed('agt_pausable');
    await agent.checkpoint();
    const heard: string[] = [];
    agent.onPause((e) => heard.push(e.type));
    agent.onResume((e) => heard.push(e.type));
    await operator.agents.pause('agt_pausable');
    await until('the pause', async () => (heard.length === 1 ? true : undefined));
    let passed = false;
    const checkpoint = agent.checkpoint().then(() => (passed = true));
    await sleep(200);
    assert.equal(passed, false, 'a paused agent must wait at its checkpoint');
    await operator.agents.resume('agt_pausable');
    await checkpoint;
    assert.deepEqual(heard, ['agent.paused', 'agent.resumed']);
    agent.close();
  });

  test('an agent already paused when it starts waits at its first checkpoint', async () => {
    const agent = await agentNamed('agt_late_pause');
    await operator.agents.pause('agt_late_pause');
    let passed = false;
    const checkpoint = agent.checkpoint().then(() => (passed = true));
    await sleep(200);
    assert.equal(passed, false);
    await operator.agents.resume('agt_late_pause');
    await checkpoint;
    agent.close();
  });

  test('the sample agent reports, echoes a message while it waits, and finishes when approved', async () => {
    const { agentId } = await operator.agents.spawn({ template: 'sample', input: { n: 7 } });
    const decision = await until('its decision', async () => (await operator.decisions.list({ status: 'pending' })).find((d) => d.agentId === agentId), 30_000);
    assert.equal(decision.title, 'Proceed with the sample task?');
    await operator.agents.inject(agentId, 'ping');
    const seen: string[] = [];
    for await (const event of subscribe({ url: suite.hub.url, token: operatorToken, agent: agentId, after: 0 })) {
      seen.push(event.type);
      if (event.type === 'x.sample.echo') {
        assert.equal(event.data.message, 'ping');
        await operator.decisions.resolve(decision.id, 'approve');
      }
      if (event.type === 'agent.exited' || event.type === 'agent.failed') break;
    }
    assert.deepEqual(seen.filter((t) => t.startsWith('x.') || t === 'agent.exited'), ['x.progress', 'x.sample.echo', 'x.progress', 'x.sample.done', 'agent.exited']);
  });
});

describe('examples/sdk-agent.ts, the README\'s SDK example', () => {
  test('runs as written: reports, asks, takes messages until told "done", and exits 0', async () => {
    const agentId = 'agt_readme';
    const env = { ...process.env, MC_HUB_URL: suite.hub.url, MC_AGENT_ID: agentId, MC_AGENT_TOKEN: await suite.hub.mint('agent', agentId) };
    const run = startProcess(process.execPath, ['--import', 'tsx', 'examples/sdk-agent.ts'], { env });
    const decision = await until('its decision', async () => (await operator.decisions.list({ status: 'pending' })).find((d) => d.agentId === agentId));
    assert.equal(decision.title, 'Push to main?');
    await operator.decisions.resolve(decision.id, 'approve');
    await until('it to push', async () => (await progressOf(agentId)).includes('pushing to main') || undefined);
    await operator.agents.inject(agentId, 'rebase first');
    await operator.agents.inject(agentId, 'done');
    assert.equal(await run.exited, 0, run.stderr);
    assert.deepEqual(await progressOf(agentId), ['cloning the repo', 'pushing to main', 'told: rebase first', 'told: done']);
  });
});

async function progressOf(agentId: string): Promise<string[]> {
  const page = await operator.events.page({ types: ['x.progress'], agent: agentId, limit: 100 });
  return page.events.map((e) => String(e.data.text));
}

