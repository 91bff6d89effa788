import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { sql } from 'kysely';
import { bearer } from '../helpers/hub.ts';
import { hubSuite } from '../helpers/hub-suite.ts';
import { assertProblem, countEvents, send } from '../helpers/problem.ts';

const suite = hubSuite();

const newKey = () => `key-${randomUUID()}`;
const note = (n: number, extra: Record<string, unknown> = {}) => ({ type: 'x.note', data: { n }, ...extra });
const post = (body: unknown, headers: Record<string, string> = {}) => suite.hub.post('/events', body, { ...suite.hub.auth, ...headers });
const asAnswer = (r: Awaited<ReturnType<typeof post>>) => ({ status: r.status, contentType: r.headers.get('content-type') ?? '', text: JSON.stringify(r.body), body: r.body });

// Client keys are stored under their actor (`client:<actor>:<key>`); this gives the key as sent.
const keyAsSent = sql<string>`replace(idempotency_key, 'client:' || actor || ':', '')`;

async function rowsWithKey(key: string): Promise<number> {
  const { rows } = await sql<{ n: number }>`select count(*)::int as n from events where ${keyAsSent} = ${key}`.execute(suite.hub.db);
  return rows[0]!.n;
}

describe('POST /events with one event', () => {
  test('answers 201 with the new id and seq, not deduped', async () => {
    const res = await post(note(1));
    assert.equal(res.status, 201);
    assert.deepEqual(Object.keys(res.body).sort(), ['deduped', 'id', 'seq']);
    assert.equal(typeof res.body.id, 'string');
    assert.ok(Number.isInteger(res.body.seq) && res.body.seq > 0);
    assert.equal(res.body.deduped, false);
  });

  test('the appended event reads back from GET /events with the same id, seq, type and data, plus actor and recordedAt', async () => {
    const appended = await post({ type: 'x.readback', data: { colour: 'teal', n: [1, 2] }, agentId: 'agt_1', taskId: 'tsk_1' });
    const page = await send(`${suite.hub.url}/events?after=${appended.body.seq - 1}&limit=1`, { headers: { accept: 'application/json', ...suite.hub.auth } });
    assert.equal(page.status, 200);
    assert.match(page.contentType, /^application\/json/);
    const [event] = page.body.events;
    assert.equal(event.id, appended.body.id);
    assert.equal(event.seq, appended.body.seq);
    assert.equal(event.type, 'x.readback');
    assert.deepEqual(event.data, { colour: 'teal', n: [1, 2] });
    assert.equal(event.agentId, 'agt_1');
    assert.equal(event.taskId, 'tsk_1');
    assert.equal(typeof event.actor, 'string');
    assert.ok(!Number.isNaN(Date.parse(event.recordedAt)), 'recordedAt is a timestamp');
    assert.equal(page.body.next, appended.body.seq);
  });
});

describe('idempotent append', () => {
  for (const where of ['Idempotency-Key header', 'idempotencyKey field'] as const) {
    test(`a retry with the key in the ${where} answers 200 with the original id and seq, deduped, and stores one row`, async () => {
      const key = newKey();
      const send = () => (where === 'Idempotency-Key header' ? post(note(2), { 'idempotency-key': key }) : post(note(2, { idempotencyKey: key })));
      const first = await send();
      const retry = await send();
      assert.equal(first.status, 201);
      assert.equal(retry.status, 200);
      assert.deepEqual(retry.body, { id: first.body.id, seq: first.body.seq, deduped: true });
      assert.equal(await rowsWithKey(key), 1);
    });
  }

  const changes: Array<[string, Record<string, unknown>]> = [
    ['data', { data: { n: 999 } }],
    ['type', { type: 'x.other' }],
    ['agentId', { agentId: 'agt_someone_else' }],
  ];
  for (const [what, change] of changes) {
    test(`the same key with a different ${what} is a 409 idempotency_conflict and stores nothing`, async () => {
      const key = newKey();
      assert.equal((await post({ ...note(3), agentId: 'agt_1', idempotencyKey: key })).status, 201);
      const before = await countEvents(suite.hub.db);
      const res = await post({ ...note(3), agentId: 'agt_1', idempotencyKey: key, ...change });
      assertProblem(asAnswer(res), 409, 'idempotency_conflict', new RegExp(key));
      assert.equal(await countEvents(suite.hub.db), before);
    });
  }

  test('two callers sending the same key and payload each get an event of their own', async () => {
    const key = newKey();
    const other = bearer(await suite.hub.mint('operator'));
    const mine = await post(note(4, { idempotencyKey: key }));
    const theirs = await post(note(4, { idempotencyKey: key }), other);
    assert.equal(mine.status, 201);
    assert.equal(theirs.status, 201);
    assert.notEqual(theirs.body.id, mine.body.id);
    assert.equal(await rowsWithKey(key), 2);
  });

  test('a key another caller took first is no 409 for a different payload: keys cannot be squatted', async () => {
    const key = newKey();
    const squatter = bearer(await suite.hub.mint('agent', 'agt_squatter'));
    assert.equal((await post(note(5, { idempotencyKey: key }), squatter)).status, 201);
    const res = await post(note(6, { idempotencyKey: key }));
    assert.equal(res.status, 201);
    assert.equal(res.body.deduped, false);
  });

  test('50 concurrent identical requests store one row: one 201, the rest 200 deduped, all with the same id and seq', async () => {
    const key = newKey();
    const answers = await Promise.all(Array.from({ length: 50 }, () => post(note(4), { 'idempotency-key': key })));
    assert.equal(answers.filter((a) => a.status === 201).length, 1);
    assert.equal(answers.filter((a) => a.status === 200).length, 49);
    for (const a of answers) assert.equal(a.body.deduped, a.status === 200);
    assert.equal(new Set(answers.map((a) => `${a.body.id}@${a.body.seq}`)).size, 1);
    assert.equal(await rowsWithKey(key), 1);
  });
});

describe('POST /events with a batch', () => {
  test('answers 201 with one receipt per event, in request order, with increasing seq', async () => {
    const keys = [newKey(), newKey(), newKey()];
    const res = await post({ events: keys.map((k, i) => note(i, { idempotencyKey: k })) });
    assert.equal(res.status, 201);
    assert.equal(res.body.events.length, 3);
    for (const r of res.body.events) assert.equal(r.deduped, false);
    const seqs = res.body.events.map((r: { seq: number }) => r.seq);
    assert.deepEqual(seqs, [...seqs].sort((a, b) => a - b));
    assert.equal(new Set(seqs).size, 3);
    const { rows } = await sql<{ key: string; seq: string }>`select ${keyAsSent} as key, seq from events where ${keyAsSent} = any(${keys}) order by seq`.execute(suite.hub.db);
    assert.deepEqual(rows.map((r) => [r.key, Number(r.seq)]), keys.map((k, i) => [k, seqs[i]]));
  });

  test('accepts a batch of 1000 events', async () => {
    const before = await countEvents(suite.hub.db);
    const res = await post({ events: Array.from({ length: 1000 }, (_, i) => note(i)) });
    assert.equal(res.status, 201);
    assert.equal(res.body.events.length, 1000);
    assert.equal(await countEvents(suite.hub.db), before + 1000);
  });

  test('refuses a batch of 1001 events with a 400 and stores none', async () => {
    const before = await countEvents(suite.hub.db);
    const res = await post({ events: Array.from({ length: 1001 }, (_, i) => note(i)) });
    assertProblem(asAnswer(res), 400, 'validation_failed', /events/);
    assert.equal(await countEvents(suite.hub.db), before);
  });

  test('stores nothing when one event of the batch is invalid', async () => {
    const decision = JSON.parse(readFileSync(new URL('../fixtures/events/decision.requested.json', import.meta.url), 'utf8'));
    const before = await countEvents(suite.hub.db);
    const res = await post({ events: [note(1), { type: 'decision.requested', data: { ...decision, risk: 'extreme' } }, note(3)] });
    const problem = assertProblem(asAnswer(res), 400, 'validation_failed', /\/events\/1\/data\/risk/);
    assert.ok(problem.errors.some((e: { path: string }) => e.path === '/events/1/data/risk'));
    assert.equal(await countEvents(suite.hub.db), before);
  });

  test('a key that collides with a stored event under another payload is a 409 and stores none of the batch', async () => {
    const stored = newKey();
    await post(note(5, { idempotencyKey: stored }));
    const others = [newKey(), newKey()];
    const before = await countEvents(suite.hub.db);
    const res = await post({ events: [note(6, { idempotencyKey: others[0] }), note(7, { idempotencyKey: stored }), note(8, { idempotencyKey: others[1] })] });
    assertProblem(asAnswer(res), 409, 'idempotency_conflict', new RegExp(stored));
    assert.equal(await countEvents(suite.hub.db), before);
    for (const k of others) assert.equal(await rowsWithKey(k), 0);
  });

  test('a stored event repeated with new ones answers 201, that event deduped with its original seq', async () => {
    const stored = newKey();
    const original = await post(note(9, { idempotencyKey: stored }));
    const res = await post({ events: [note(9, { idempotencyKey: stored }), note(10, { idempotencyKey: newKey() }), note(11)] });
    assert.equal(res.status, 201);
    assert.deepEqual(res.body.events[0], { id: original.body.id, seq: original.body.seq, deduped: true });
    assert.equal(res.body.events[1].deduped, false);
    assert.equal(res.body.events[2].deduped, false);
    assert.ok(res.body.events[1].seq > original.body.seq && res.body.events[2].seq > res.body.events[1].seq);
    assert.equal(await rowsWithKey(stored), 1);
  });

  test('a batch of only stored events answers 200 with every receipt deduped', async () => {
    const keys = [newKey(), newKey()];
    const first = await post({ events: keys.map((k, i) => note(i, { idempotencyKey: k })) });
    const retry = await post({ events: keys.map((k, i) => note(i, { idempotencyKey: k })) });
    assert.equal(retry.status, 200);
    assert.deepEqual(retry.body.events, first.body.events.map((r: object) => ({ ...r, deduped: true })));
  });

  test('refuses a batch that uses the same key twice with a 400', async () => {
    const key = newKey();
    const before = await countEvents(suite.hub.db);
    const res = await post({ events: [note(1, { idempotencyKey: key }), note(2, { idempotencyKey: key })] });
    assertProblem(asAnswer(res), 400, 'validation_failed', /appears twice/);
    assert.equal(await countEvents(suite.hub.db), before);
  });

  test('refuses the Idempotency-Key header on a batch with a 400', async () => {
    const before = await countEvents(suite.hub.db);
    const res = await post({ events: [note(1)] }, { 'idempotency-key': newKey() });
    assertProblem(asAnswer(res), 400, 'validation_failed', /Idempotency-Key header.*batch/);
    assert.equal(await countEvents(suite.hub.db), before);
  });

  test('refuses an Idempotency-Key header that differs from the idempotencyKey field with a 400', async () => {
    const before = await countEvents(suite.hub.db);
    const res = await post(note(1, { idempotencyKey: newKey() }), { 'idempotency-key': newKey() });
    assertProblem(asAnswer(res), 400, 'validation_failed', /differs from the idempotencyKey field/);
    assert.equal(await countEvents(suite.hub.db), before);
  });
});

describe('event types', () => {
  test('accepts a custom x.* type with any object data, stored as sent', async () => {
    const data = { nested: { deep: [1, 'two', null, true] }, 'odd key': 1.5 };
    const res = await post({ type: 'x.deploy.preview:v2', data });
    assert.equal(res.status, 201);
    const page = await suite.hub.get(`/events?after=${res.body.seq - 1}&limit=1`);
    assert.deepEqual(page.body.events.map((e: { id: string; type: string; data: unknown }) => [e.id, e.type, e.data]), [[res.body.id, 'x.deploy.preview:v2', data]]);
  });

  test('refuses a type that is neither in the catalog nor x.* with 400 unknown_event_type', async () => {
    const before = await countEvents(suite.hub.db);
    const res = await post({ type: 'foo.bar', data: {} });
    assertProblem(asAnswer(res), 400, 'unknown_event_type', /foo\.bar.*x\./);
    assert.equal(await countEvents(suite.hub.db), before);
  });
});

describe('concurrent appends', () => {
  test('200 concurrent requests, single events and batches of 10, get distinct seqs and the log holds exactly those', async () => {
    const { rows: [head] } = await sql<{ seq: string | null }>`select max(seq) as seq from events`.execute(suite.hub.db);
    const baseline = Number(head?.seq ?? 0);
    const answers = await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        i % 2 === 0
          ? post(note(i, { idempotencyKey: newKey() }))
          : post({ events: Array.from({ length: 10 }, (_, j) => note(i * 100 + j, { idempotencyKey: newKey() })) }),
      ),
    );
    for (const a of answers) assert.equal(a.status, 201);
    const acknowledged = answers.flatMap((a) => (a.body.events ?? [a.body]).map((r: { seq: number }) => r.seq));
    assert.equal(acknowledged.length, 100 + 100 * 10);
    assert.equal(new Set(acknowledged).size, acknowledged.length, 'every seq is distinct');
    const { rows } = await sql<{ seq: string }>`select seq from events where seq > ${baseline} order by seq`.execute(suite.hub.db);
    assert.deepEqual(rows.map((r) => Number(r.seq)), [...acknowledged].sort((a, b) => a - b));
  });
});
