import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { type TestDatabase, testDatabase } from '../helpers/database.ts';
import { bearer, testHub } from '../helpers/hub.ts';
import { type Answer, assertRefusedWithoutAppend, postRaw, send } from '../helpers/problem.ts';

let database: TestDatabase;
let hub: Awaited<ReturnType<typeof testHub>>;
let smallHub: Awaited<ReturnType<typeof testHub>>;

before(async () => {
  database = await testDatabase();
  hub = await testHub(database.url);
  smallHub = await testHub(database.url, { limits: { bodyBytes: 2048 } });
  const seeded = await send(`${hub.url}/events`, { method: 'POST', headers: { 'content-type': 'application/json', ...hub.auth }, body: JSON.stringify({ type: 'x.seed', data: {} }) });
  assert.equal(seeded.status, 201, 'the log has an event to read');
});
after(async () => {
  await smallHub?.close();
  await hub?.close();
  await database?.drop();
});

const decision = JSON.parse(readFileSync(new URL('../fixtures/events/decision.requested.json', import.meta.url), 'utf8'));
const json = { 'content-type': 'application/json' };
const authOf = (base: string) => (base === smallHub.url ? smallHub.auth : hub.auth);
const postTo = (base: string, body: BodyInit, headers: Record<string, string> = json) => send(`${base}/events`, { method: 'POST', headers: { ...authOf(base), ...headers }, body });
const postEvent = (event: unknown, headers: Record<string, string> = {}) => postTo(hub.url, JSON.stringify(event), { ...json, ...headers });
const refused = (request: () => Promise<Answer>, status: number, code: string, detail: RegExp) =>
  assertRefusedWithoutAppend(hub.db, request, { status, code, detail });
/** A valid single-event body of about `bytes` bytes. */
const bodyOfSize = (bytes: number) => JSON.stringify({ type: 'x.big', data: { filler: 'a'.repeat(bytes) } });

describe('POST /events refuses a body it cannot read', () => {
  test('malformed JSON is a 400 invalid_json', async () => {
    await refused(() => postTo(hub.url, '{"type": "x.a", "data": {'), 400, 'invalid_json', /not valid JSON/);
  });

  test('a body without a content type is a 415 that asks for application/json', async () => {
    await refused(() => postTo(hub.url, Buffer.from(bodyOfSize(10)), {}), 415, 'unsupported_media_type', /Content-Type: application\/json.*got none/);
  });

  test('a text/plain body is a 415 that asks for application/json', async () => {
    await refused(() => postTo(hub.url, bodyOfSize(10), { 'content-type': 'text/plain' }), 415, 'unsupported_media_type', /Content-Type: application\/json.*text\/plain/);
  });

  // Over its own connection: the hub may drop a connection whose body it did not read (see below).
  test('a body over the default 1 MiB is a 413', async () => {
    await refused(() => postRaw(`${hub.url}/events`, bodyOfSize(1024 * 1024 + 10), { 'content-type': 'application/json', ...hub.auth }), 413, 'payload_too_large', /larger than 1048576 bytes/);
  });

  // @hono/node-server drains an unread body for at most 500 ms, then destroys the socket; a client
  // told "keep-alive" reuses it and its next request fails with "other side closed".
  test('a 413 for a body the hub did not read tells the client to close the connection', async () => {
    const answer = await postRaw(`${hub.url}/events`, bodyOfSize(1024 * 1024 + 10), { 'content-type': 'application/json', ...hub.auth });
    assert.equal(answer.status, 413);
    assert.equal(answer.connection, 'close');
  });

  test('a body over a smaller configured limit is a 413 that names that limit', async () => {
    await refused(() => postTo(smallHub.url, bodyOfSize(3000)), 413, 'payload_too_large', /larger than 2048 bytes/);
  });

  test('a chunked body without Content-Length over the configured limit is a 413', async () => {
    const body = bodyOfSize(6000);
    const chunks = [body.slice(0, 1000), body.slice(1000, 3000), body.slice(3000)];
    await refused(() => postRaw(`${smallHub.url}/events`, chunks, { 'content-type': 'application/json', ...smallHub.auth }), 413, 'payload_too_large', /larger than 2048 bytes/);
  });

  test('a chunked body without Content-Length over the default 1 MiB is a 413', async () => {
    const body = bodyOfSize(1024 * 1024 + 10);
    const chunks = Array.from({ length: Math.ceil(body.length / 65536) }, (_, i) => body.slice(i * 65536, (i + 1) * 65536));
    await refused(() => postRaw(`${hub.url}/events`, chunks, { 'content-type': 'application/json', ...hub.auth }), 413, 'payload_too_large', /larger than 1048576 bytes/);
  });

  test('a chunked body under the limit is read whole and accepted', async () => {
    const body = bodyOfSize(1000);
    const answer = await postRaw(`${smallHub.url}/events`, [body.slice(0, 500), body.slice(500)], { 'content-type': 'application/json', ...smallHub.auth });
    assert.equal(answer.status, 201, answer.text);
  });
});

describe('POST /events refuses a body that breaks the schema, naming the path', () => {
  const cases: Array<[string, unknown, RegExp, (e: { path: string; message: string }) => boolean]> = [
    ['a missing data', { type: 'x.a' }, /required property 'data'/, (e) => /data/.test(e.message)],
    ['data that is not an object', { type: 'x.a', data: 'hello' }, /\/data must be object/, (e) => e.path === '/data'],
    ['an unknown top-level property', { type: 'x.a', data: {}, colour: 'red' }, /unknown property "colour"/, (e) => /colour/.test(e.message)],
    ['a decision.requested with a bad risk', { type: 'decision.requested', data: { ...decision, risk: 'extreme' } }, /\/data\/risk must be one of: low, medium, high, red/, (e) => e.path === '/data/risk'],
  ];
  for (const [what, event, detail, names] of cases) {
    test(`${what} is a 400 validation_failed`, async () => {
      const problem = await refused(() => postEvent(event), 400, 'validation_failed', detail);
      assert.ok(Array.isArray(problem.errors) && problem.errors.some(names), `errors name it: ${JSON.stringify(problem.errors)}`);
    });
  }

  for (const field of ['type', 'agentId', 'taskId', 'idempotencyKey'] as const) {
    for (const [name, ch] of [['CR', '\r'], ['LF', '\n']] as const) {
      test(`a ${name} inside ${field} is a 400 validation_failed`, async () => {
        const event = { type: 'x.a', data: {}, [field]: field === 'type' ? `x.line${ch}break` : `abc${ch}def` };
        const problem = await refused(() => postEvent(event), 400, 'validation_failed', new RegExp(`^/${field} `));
        assert.ok(problem.errors.some((e: { path: string }) => e.path === `/${field}`));
      });
    }
  }

  for (const field of ['agentId', 'taskId', 'decisionId'] as const) {
    for (const id of ['toString', 'constructor', 'hasOwnProperty', '__proto__']) {
      test(`${field} "${id}", a name every object inherits, is a 400 validation_failed`, async () => {
        const problem = await refused(() => postEvent({ type: 'x.a', data: {}, [field]: id }), 400, 'validation_failed', new RegExp(`^/${field} `));
        assert.ok(problem.errors.some((e: { path: string }) => e.path === `/${field}`));
      });
    }
  }

  test('a token for an agent named like a property every object inherits is a 400 validation_failed', async () => {
    for (const agentId of ['toString', 'constructor', 'valueOf']) {
      const answer = await send(`${hub.url}/tokens`, { method: 'POST', headers: { ...json, ...bearer(hub.adminToken) }, body: JSON.stringify({ role: 'agent', agentId }) });
      assert.equal(answer.status, 400, `${agentId}: ${answer.text}`);
      assert.match(answer.body.detail, /^\/agentId is not allowed: .*inherits/);
    }
  });

  test('an Idempotency-Key header with a space is a 400 validation_failed', async () => {
    await refused(() => postEvent({ type: 'x.a', data: {} }, { 'idempotency-key': 'a b' }), 400, 'validation_failed', /Idempotency-Key header/);
  });

  test('a NUL character in a data value is a 400, not a 500', async () => {
    await refused(() => postEvent({ type: 'x.a', data: { s: 'a\u0000b' } }), 400, 'validation_failed', /NUL character/);
  });

  test('a NUL character in a data key is a 400, not a 500', async () => {
    await refused(() => postEvent({ type: 'x.a', data: { 'k\u0000': 1 } }), 400, 'validation_failed', /NUL character/);
  });

  test('a lone UTF-16 surrogate (\\ud800) in data is a 400, not a 500', async () => {
    await refused(() => postEvent({ type: 'x.a', data: { s: 'a\ud800b' } }), 400, 'validation_failed', /\/data/);
  });

  test('data over the per-event size limit is a 400 that names the limit', async () => {
    const limit = hub.config.limits.eventDataBytes;
    await refused(() => postEvent({ type: 'x.a', data: { s: 'a'.repeat(limit) } }), 400, 'validation_failed', new RegExp(`/data is larger than ${limit} bytes`));
  });
});

describe('POST /events answers any body up to the size limit quickly, listing at most 20 problems', () => {
  const MiB = 1024 * 1024;
  /** `unit` repeated, comma-separated, inside `wrap`, as many times as fit in 1 MiB. */
  const filled = (unit: string, wrap: (items: string) => string) => wrap(Array(Math.floor((MiB - wrap('').length) / (unit.length + 1))).fill(unit).join(','));
  const manyProperties = (n: number) => `{${Array.from({ length: n }, (_, i) => `"k${i}":1`).join(',')}}`;
  // The slowest bodies found: each answered well within a second on a quiet machine.
  const bodies: Array<[string, string]> = [
    ['16,000 empty events (48 KiB)', `{"events":[${Array(16_000).fill('{}').join(',')}]}`],
    ['1 MiB of empty events', filled('{}', (items) => `{"events":[${items}]}`)],
    ['1000 events with 60 unknown properties each', `{"events":[${Array(1000).fill(manyProperties(60)).join(',')}]}`],
    ['1000 decision.requested events with 60 unknown data properties each', `{"events":[${Array(1000).fill(`{"type":"decision.requested","data":${manyProperties(60)}}`).join(',')}]}`],
    ['1 MiB of nested arrays', `${'['.repeat(MiB / 2)}${']'.repeat(MiB / 2)}`],
    ['data with 80,000 properties', `{"type":"x.a","data":${manyProperties(80_000)}}`],
    ['data with a 1 MiB array', filled('1', (items) => `{"type":"x.a","data":{"a":[${items}]}}`)],
  ];
  let agent: Record<string, string>;
  before(async () => {
    agent = bearer(await hub.mint('agent', 'hostile-agent'));
  });

  for (const [what, body] of bodies) {
    test(`${what} is refused within 3 s with a small answer`, async (t) => {
      assert.ok(Buffer.byteLength(body) <= MiB, 'the body is within the size limit');
      const started = performance.now();
      const problem = await assertRefusedWithoutAppend(hub.db, () => postTo(hub.url, body, { ...json, ...agent }), { status: 400, code: 'validation_failed', detail: /./ });
      const seconds = (performance.now() - started) / 1000;
      t.diagnostic(`answered in ${seconds.toFixed(2)} s`);
      assert.ok(seconds < 3, `answered in ${seconds.toFixed(2)} s`);
      assert.ok(JSON.stringify(problem).length < 16 * 1024, `the answer is ${JSON.stringify(problem).length} characters`);
    });
  }

  test('a batch of 1000 bad events lists the first 20 problems and counts the rest', async () => {
    const problem = await refused(() => postEvent({ events: Array(1000).fill({}) }), 400, 'validation_failed', /^\/events\/0 .*\(and 999 more problems\)/);
    assert.equal(problem.errors.length, 20);
    assert.equal(problem.errors[19].path, '/events/19');
    assert.equal(problem.unlistedErrors, 980);
  });

  test('a batch of more than 1000 events is refused by its count alone', async () => {
    await refused(() => postEvent({ events: Array(1001).fill({ type: 'x.a', data: {} }) }), 400, 'validation_failed', /^\/events holds 1001 events; send at most 1000 per request/);
  });
});

describe('GET /events refuses a bad position or page size', () => {
  for (const accept of ['application/json', 'text/event-stream']) {
    const get = (query: string, headers: Record<string, string> = {}) => () => send(`${hub.url}/events${query}`, { headers: { accept, ...hub.auth, ...headers } });

    test(`a non-numeric Last-Event-ID header is a 400 invalid_cursor (${accept})`, async () => {
      await refused(get('', { 'last-event-id': 'abc' }), 400, 'invalid_cursor', /Last-Event-ID header must be an event seq/);
    });

    test(`?after=abc is a 400 invalid_cursor (${accept})`, async () => {
      await refused(get('?after=abc'), 400, 'invalid_cursor', /after must be an event seq/);
    });

    test(`?after=-1 is a 400 invalid_cursor (${accept})`, async () => {
      await refused(get('?after=-1'), 400, 'invalid_cursor', /after must be an event seq \(a non-negative integer\)/);
    });

    test(`?lastEventID=1.5 is a 400 invalid_cursor (${accept})`, async () => {
      await refused(get('?lastEventID=1.5'), 400, 'invalid_cursor', /lastEventID must be an event seq/);
    });
  }

  // `limit` is a JSON-pages parameter only (contracts/openapi.yaml); a stream has no page size.
  for (const limit of ['0', '5000']) {
    test(`?limit=${limit} on a JSON page is a 400 validation_failed`, async () => {
      const get = () => send(`${hub.url}/events?limit=${limit}`, { headers: { accept: 'application/json', ...hub.auth } });
      await refused(get, 400, 'validation_failed', /limit must be an integer from 1 to 1000/);
    });
  }

  test('Accept: text/html only is a 406 that names the media types on offer', async () => {
    await refused(() => send(`${hub.url}/events`, { headers: { accept: 'text/html', ...hub.auth } }), 406, 'not_acceptable', /text\/event-stream.*application\/json/);
  });
});

test('an unknown path is a 404 problem that points to /contractz', async () => {
  await refused(() => send(`${hub.url}/no-such-thing`), 404, 'not_found', /\/contractz/);
});
