import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { pino } from 'pino';
import { defaultConfig } from '../../server/config.ts';
import { type RunningHub, startHub } from '../../server/hub.ts';
import { features } from '../../server/installed-features.ts';
import { type TestDatabase, testDatabase } from '../helpers/database.ts';
import { type Answer, getJson, postJson } from '../helpers/hub.ts';
import { openSse } from '../helpers/sse.ts';
import { bearer } from '../helpers/hub.ts';

let database: TestDatabase;
let hub: RunningHub;
const adminToken = `mc_test_admin_${randomBytes(12).toString('hex')}`;
/** Everything the hub logged, as written. */
const written: string[] = [];
let operator: { id: string; token: string };

const logText = () => written.join('');
const logLines = () => logText().split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as Record<string, unknown>);
const requestLines = (requestId: string) => logLines().filter((l) => l.msg === 'request' && l.requestId === requestId);

async function mint(role: string, agentId?: string): Promise<{ id: string; token: string }> {
  const res = await postJson(`${hub.url}/tokens`, { role, ...(agentId ? { agentId } : {}) }, bearer(adminToken));
  assert.equal(res.status, 201);
  return res.body;
}

before(async () => {
  database = await testDatabase();
  const stream = new Writable({
    decodeStrings: false,
    write(chunk, _encoding, done) {
      written.push(String(chunk));
      done();
    },
  });
  const logger = pino({ level: 'info' }, stream);
  hub = await startHub({ databaseUrl: database.url, adminToken, port: 0, host: '127.0.0.1', config: defaultConfig, logger, features, build: { version: 'test', commit: 'test' } });
  operator = await mint('operator');
});
after(async () => {
  await hub?.close();
  await database?.drop();
});

const asOperator = (headers: Record<string, string> = {}) => ({ ...bearer(operator.token), ...headers });
const append = (body: unknown, headers: Record<string, string> = {}): Promise<Answer> => postJson(`${hub.url}/events`, body, asOperator(headers));

async function readBack(seq: number): Promise<any> {
  const page = await getJson(`${hub.url}/events?after=${seq - 1}&limit=1`, asOperator());
  return page.body.events[0];
}

describe('request log lines', () => {
  test('each request logs one "request" line with requestId, method, route, status, ms and actor', async () => {
    const res = await getJson(`${hub.url}/events?limit=1`, asOperator({ 'x-request-id': 'log-line-1' }));
    assert.equal(res.status, 200);
    const lines = requestLines('log-line-1');
    assert.equal(lines.length, 1);
    const [line] = lines;
    assert.deepEqual({ method: line!.method, route: line!.route, status: line!.status, actor: line!.actor }, { method: 'GET', route: '/events', status: 200, actor: `operator:${operator.id}` });
    assert.equal(typeof line!.ms, 'number');
  });

  test('the x-request-id response header is the id that was logged', async () => {
    const res = await getJson(`${hub.url}/healthz`);
    const id = res.headers.get('x-request-id');
    assert.ok(id, 'x-request-id is set');
    assert.equal(requestLines(id).length, 1);
  });

  test('a sane client X-Request-Id is kept', async () => {
    const res = await getJson(`${hub.url}/healthz`, { 'x-request-id': 'my-req-1' });
    assert.equal(res.headers.get('x-request-id'), 'my-req-1');
    assert.equal(requestLines('my-req-1').length, 1);
  });

  test('a garbage client X-Request-Id is replaced by one of the hub', async () => {
    const garbage = 'bad id with spaces';
    const res = await getJson(`${hub.url}/healthz`, { 'x-request-id': garbage });
    const id = res.headers.get('x-request-id');
    assert.ok(id && id !== garbage, `x-request-id: ${id}`);
    assert.match(id, /^[A-Za-z0-9_-]+$/);
    assert.equal(requestLines(id).length, 1);
    assert.equal(requestLines(garbage).length, 0);
  });
});

describe('correlation by request id', () => {
  test('an event without correlationId gets the request id as correlationId', async () => {
    const res = await append({ type: 'x.correlated', data: {} }, { 'x-request-id': 'corr-req-1' });
    assert.equal(res.status, 201);
    assert.equal((await readBack(res.body.seq)).correlationId, 'corr-req-1');
  });

  test('an event with its own correlationId keeps it', async () => {
    const res = await append({ type: 'x.correlated', data: {}, correlationId: 'flow-42' }, { 'x-request-id': 'corr-req-2' });
    assert.equal(res.status, 201);
    assert.equal((await readBack(res.body.seq)).correlationId, 'flow-42');
  });

  test('a retry under the same idempotency key with another request id is still deduped', async () => {
    const event = { type: 'x.correlated', data: { n: 1 }, idempotencyKey: `retry-${randomBytes(6).toString('hex')}` };
    const first = await append(event, { 'x-request-id': 'retry-req-1' });
    const retry = await append(event, { 'x-request-id': 'retry-req-2' });
    assert.equal(first.status, 201);
    assert.equal(retry.status, 200);
    assert.deepEqual(retry.body, { id: first.body.id, seq: first.body.seq, deduped: true });
  });
});

describe('secrets in the log', () => {
  test('no token secret is ever logged: admin, bearer header, ?access_token=, a minted one, a wrong one', async () => {
    const minted = await mint('viewer');
    assert.equal((await append({ type: 'x.secret_check', data: {} })).status, 201);
    const viewer = await mint('viewer');
    const sse = await openSse(`${hub.url}/events?access_token=${encodeURIComponent(viewer.token)}`);
    assert.equal(sse.status, 200);
    sse.close();
    await sse.closed;
    const wrong = `mc_${randomBytes(32).toString('base64url')}`;
    assert.equal((await getJson(`${hub.url}/events?limit=1`, bearer(wrong))).status, 401);
    assert.equal((await getJson(`${hub.url}/events?access_token=${wrong}`, { accept: 'text/event-stream' })).status, 401);

    const text = logText();
    assert.ok(logLines().filter((l) => l.msg === 'request').length >= 6, 'the requests were logged');
    for (const [what, secret] of Object.entries({ admin: adminToken, operator: operator.token, minted: minted.token, 'access_token': viewer.token, wrong })) {
      assert.ok(!text.includes(secret), `the ${what} token appears in the log`);
    }
  });

  test('a request that fails with a 500 logs the failure but not its token', async () => {
    const fresh = await mint('operator'); // never used, so not cached: verifying it needs the tokens table
    const before = written.length;
    await sql`ALTER TABLE tokens RENAME TO tokens_hidden`.execute(hub.db);
    let res: Answer;
    try {
      res = await getJson(`${hub.url}/events?limit=1`, bearer(fresh.token));
    } finally {
      await sql`ALTER TABLE tokens_hidden RENAME TO tokens`.execute(hub.db);
    }
    assert.equal(res.status, 500);
    assert.equal(res.body.code, 'internal');
    const text = written.slice(before).join('');
    assert.match(text, /request failed/);
    assert.ok(!text.includes(fresh.token), 'the token appears in the log of the failure');
    assert.ok(!JSON.stringify(res.body).includes('tokens'), 'internal details stay out of the answer');
  });
});
