import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { sql } from 'kysely';
import { HubClientError } from '../../server/client/errors.ts';
import { subscribe } from '../../server/client/event-stream.ts';
import { hubSuite } from '../helpers/hub-suite.ts';
import { assertProblem, send } from '../helpers/problem.ts';

// Every stream and page names the log it is of, and a cursor past the end of the log is refused
// at once: a client pointed at a fresh database must not wait, silently, for a seq it never reaches.

describe('the log identity on GET /events', () => {
  const suite = hubSuite();
  const logId = async () => (await suite.hub.get('/versionz')).body.logId as string;
  const append = async (type = 'x.identity') => {
    const res = await suite.hub.post('/events', { type, data: {} });
    assert.equal(res.status, 201);
    return res.body.seq as number;
  };
  const get = (query: string, headers: Record<string, string> = {}) =>
    send(`${suite.hub.url}/events${query}`, { headers: { ...suite.hub.auth, accept: 'application/json', ...headers } });
  const open = (query: string, headers: Record<string, string> = {}) =>
    send(`${suite.hub.url}/events${query}`, { headers: { ...suite.hub.auth, accept: 'text/event-stream', ...headers } });

  test('a JSON page names its log and the head, in the body and the Mc-Log-Id header', async () => {
    const seq = await append();
    const res = await fetch(`${suite.hub.url}/events?after=0&limit=1`, { headers: { ...suite.hub.auth, accept: 'application/json' } });
    const page = (await res.json()) as { logId: string; head: number; next: number };
    assert.equal(res.headers.get('mc-log-id'), await logId());
    assert.equal(page.logId, await logId());
    assert.ok(page.head >= seq, `head ${page.head} is at least the seq just appended, ${seq}`);
  });

  test('a stream opens with an `event: log` frame naming its log and head, and the Mc-Log-Id header', async () => {
    const seq = await append();
    const sse = await suite.hub.sse(`/events?after=${seq - 1}&types=x.identity`);
    await sse.until((events) => events.length === 1);
    sse.close();
    assert.equal(sse.headers['mc-log-id'], await logId());
    assert.equal(sse.log?.logId, await logId());
    assert.ok(sse.log!.head >= seq);
  });

  test('the log frame has no id, so an EventSource keeps resuming from its last event', async () => {
    const controller = new AbortController();
    const res = await fetch(`${suite.hub.url}/events?after=0`, { headers: { ...suite.hub.auth, accept: 'text/event-stream' }, signal: controller.signal });
    const reader = res.body!.getReader();
    let text = '';
    while (!text.includes('event: log')) text += new TextDecoder().decode((await reader.read()).value);
    controller.abort();
    const frame = text.split('\n\n').find((block) => block.includes('event: log'))!;
    assert.doesNotMatch(frame, /^id:/m);
    assert.equal(JSON.parse(frame.split('data: ')[1]!).logId, await logId());
  });

  for (const [kind, request] of [['JSON page', get], ['stream', open]] as const) {
    test(`a cursor past the head is a 409 cursor_past_head naming both and the log (${kind})`, async () => {
      const head = await append();
      const id = await logId();
      const detail = new RegExp(`the log ends at seq ${head}, before your cursor ${head + 7}; this log is ${id}: start again from 0`);
      assertProblem(await request(`?after=${head + 7}`), 409, 'cursor_past_head', detail);
      assertProblem(await request('', { 'last-event-id': String(head + 7) }), 409, 'cursor_past_head', detail);
    });
  }

  test('a cursor at the head is no error: the stream waits for what comes next', async () => {
    const head = await append();
    const page = await get(`?after=${head}`);
    assert.equal(page.status, 200);
    assert.deepEqual(page.body.events, []);
    const sse = await suite.hub.sse(`/events?after=${head}&types=x.identity`);
    const next = await append();
    await sse.until((events) => events.length === 1);
    sse.close();
    assert.equal(sse.events[0]!.seq, next);
  });

  test('a cursor another writer committed, which this hub has not read yet, is served, not refused', async () => {
    // A row that no NOTIFY announces: this hub's fan-out has not seen it, the database has.
    const { rows } = await sql<{ seq: string }>`
      INSERT INTO events (id, type, actor, idempotency_key, payload_hash, data)
      VALUES ('evt_elsewhere', 'x.elsewhere', 'anonymous', 'elsewhere:1', 'h', '{}') RETURNING seq`.execute(suite.hub.db);
    const seq = Number(rows[0]!.seq);
    assert.ok(suite.hub.fanout.head < seq, 'the fan-out has not read it');
    assert.equal((await get(`?after=${seq}`)).status, 200);
    const sse = await suite.hub.sse(`/events?after=${seq}`);
    assert.equal(sse.status, 200);
    sse.close();
  });

  test('the client ends a subscription with the past-head problem instead of waiting', async () => {
    const head = await append();
    const events = subscribe({ url: suite.hub.url, token: suite.hub.auth.authorization!.slice('Bearer '.length), after: head + 100 });
    await assert.rejects(events.next(), (error: unknown) => error instanceof HubClientError && error.code === 'cursor_past_head' && /the log ends at seq/.test(error.message));
  });

  test("the client ends a subscription whose stream is of another log than its cursor's", async () => {
    const events = subscribe({ url: suite.hub.url, token: suite.hub.auth.authorization!.slice('Bearer '.length), after: 0, logId: 'log_of_another_hub' });
    await assert.rejects(events.next(), (error: unknown) => error instanceof HubClientError && error.code === 'log_changed' && /not log log_of_another_hub/.test(error.message));
  });
});
