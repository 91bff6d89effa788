// Retention: a pass moves exactly the aged events of the named types into archives (each agent's
// first and last event stay), the log refuses any other DELETE, `GET /events?archived=include`
// reads the archived events back in their places, and views rebuilt afterwards equal the live ones.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { loadContracts } from '../../contracts/index.ts';
import type { EventEnvelope } from '../../server/client/views.ts';
import { type EventDraft, newEvent } from '../../server/log/new-event.ts';
import { rebuildViews } from '../../server/log/rebuild.ts';
import { archiveAged } from '../../server/retention/archive.ts';
import { retentionRules } from '../../server/retention/model.ts';
import { ManualClock } from '../helpers/clock.ts';
import { hubSuite } from '../helpers/hub-suite.ts';
import { assertProblem, send } from '../helpers/problem.ts';

const day = 24 * 3_600_000;
const clock = new ManualClock(new Date());
const retention = { 'agent.output': '14d', 'x.noise.*': '30d' };
// Every agent here is of the project `default`; `docs` has none.
const suite = hubSuite({ retention, timers: { tickMs: 3_600_000, retentionEveryMs: 60_000 }, projects: { docs: {} } }, [], clock);
const limits = { chunkEvents: 7, passEvents: 1000 };

/** Appends as the agents and operators would, straight to the log (the seeding is not what is tested). */
const append = async (events: Array<Omit<EventDraft, 'actor'>>) => {
  const receipts = await suite.hub.appender.append(events.map((e) => newEvent({ ...e, actor: e.agentId ? `agent:${e.agentId}` : 'hub' })));
  return receipts.map((r) => r.seq);
};
const output = (agentId: string, line: string) => ({ type: 'agent.output', agentId, data: { stream: 'stdout', line } as Record<string, unknown> });
const seqsOf = async (where: ReturnType<typeof sql>) => {
  const { rows } = await sql<{ seq: string }>`SELECT seq FROM events WHERE ${where} ORDER BY seq`.execute(suite.hub.db);
  return rows.map((r) => Number(r.seq));
};
const page = async (query: string) => {
  const res = await suite.hub.get(`/events?${query}`);
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body as { events: EventEnvelope[]; next: number };
};
/** Every event of a query, page by page oldest first (or newest first with `order=desc`). */
const allPages = async (query: string, limit: number, newestFirst = false) => {
  const seen: EventEnvelope[] = [];
  let cursor: number | undefined;
  for (let i = 0; i < 100; i++) {
    const at = cursor === undefined ? (newestFirst ? '&order=desc' : '') : newestFirst ? `&before=${cursor}` : `&after=${cursor}`;
    const { events, next } = await page(`${query}&limit=${limit}${at}`);
    if (events.length === 0) return seen;
    seen.push(...events);
    cursor = next;
  }
  throw new Error('more than 100 pages');
};
const snapshot = async (tables: readonly string[]) => {
  const result: Record<string, string[]> = {};
  for (const table of tables) {
    const { rows } = await sql<Record<string, unknown>>`SELECT * FROM ${sql.table(table)}`.execute(suite.hub.db);
    result[table] = rows.map((r) => JSON.stringify(r)).sort();
  }
  return result;
};

let oldOutputs: number[];
let newOutputs: number[];
let noise: number[];
let kept: number[];
let aged: Date;

before(async () => {
  await suite.ready();
  // Agent A is first seen through an output line; B only ever writes noise.
  oldOutputs = await append([output('agt_a', 'first line of a'), ...Array.from({ length: 20 }, (_, i) => output(i % 2 ? 'agt_a' : 'agt_c', `old ${i}`))]);
  await append([{ type: 'agent.registered', agentId: 'agt_c', data: { name: 'c' } }]);
  noise = await append(Array.from({ length: 9 }, (_, i) => ({ type: 'x.noise.tick', agentId: 'agt_b', data: { i } })));
  kept = await append([{ type: 'x.keep', data: { note: 'never retained' } }, { type: 'task.created', taskId: 'tsk_ret', data: { title: 'a task', priority: 'normal', labels: [] } }]);
  await new Promise((r) => setTimeout(r, 50));
  aged = new Date();
  await new Promise((r) => setTimeout(r, 50));
  newOutputs = await append([output('agt_a', 'new 1'), output('agt_c', 'new 2'), output('agt_a', 'last line of a')]);
});

describe('a retention pass', () => {
  test('refuses a retention of what views are built from, and ages under a day, naming the entry', () => {
    const types = ['agent.output', 'agent.spawned', 'decision.requested', 'tool.requested'];
    assert.throws(() => retentionRules({ 'decision.*': '30d' }, types), /retention "decision\.\*": events a view is built from stay in the log/);
    assert.throws(() => retentionRules({ 'agent.spawned': '30d' }, types), /retention "agent\.spawned"/);
    assert.throws(() => retentionRules({ '*': '30d' }, types), /retention "\*"/);
    assert.throws(() => retentionRules({ 'agent.output': '12h' }, types), /retention "agent\.output": "12h" is under 24h/);
    assert.throws(() => retentionRules({ 'agent.outptu': '14d' }, types), /no such event type/);
    assert.deepEqual(retentionRules({ 'tool.*': '30d', 'x.*': '36h', 'agent.output': '14d' }, types), [
      { pattern: 'tool.*', ageMs: 30 * day },
      { pattern: 'x.*', ageMs: 36 * 3_600_000 },
      { pattern: 'agent.output', ageMs: 14 * day },
    ]);
  });

  test('moves exactly the aged events of the named types, keeping each agent’s first and last event', async () => {
    const rules = retentionRules(retention, loadContracts().eventTypes);
    // 14 days after `aged`: the old output lines are due, the noise (30 days) is not.
    const first = await archiveAged(suite.hub.db, rules, new Date(aged.getTime() + 14 * day), limits);
    // A and C were first seen through their first output lines.
    const [firstOfA, firstOfC] = oldOutputs as [number, number];
    assert.deepEqual(first.moved, { 'agent.output': oldOutputs.length - 2 });
    assert.ok(first.archives >= 3, `chunks of at most 7 events: ${first.archives} archives`);
    assert.deepEqual(await seqsOf(sql`type = 'agent.output'`), [firstOfA, firstOfC, ...newOutputs], 'left: the first lines of A and C and every line newer than the cutoff');
    assert.deepEqual(await seqsOf(sql`type = 'x.noise.tick'`), noise);

    const second = await archiveAged(suite.hub.db, rules, new Date(aged.getTime() + 30 * day), limits);
    // By then the newer lines are aged too: A's "new 1" goes, C's "new 2" (its latest) stays.
    assert.deepEqual(second.moved, { 'agent.output': 1, 'x.noise.tick': noise.length - 2 }, 'B’s first and last noise stay');
    assert.deepEqual(await seqsOf(sql`type = 'x.noise.tick'`), [noise[0]!, noise.at(-1)!]);
    assert.deepEqual(await seqsOf(sql`type IN ('x.keep', 'task.created')`), kept, 'types no entry names stay');
    const again = await archiveAged(suite.hub.db, rules, new Date(aged.getTime() + 30 * day), limits);
    assert.deepEqual(again, { moved: {}, archives: 0 }, 'a second pass finds nothing more');
  });

  test('the log refuses a DELETE that no archive covers', async () => {
    await assert.rejects(sql`DELETE FROM events WHERE type = 'x.keep'`.execute(suite.hub.db), /append-only/);
    await assert.rejects(sql`DELETE FROM events WHERE seq = ${oldOutputs[0]}`.execute(suite.hub.db), /append-only/, 'a kept first line is outside every archive');
  });
});

describe('archived events read back', () => {
  test('GET /events?archived=include puts them back in their places, page by page, both ways', async () => {
    const every = [...oldOutputs, ...newOutputs];
    const hot = await allPages('types=agent.output', 4);
    assert.deepEqual(hot.map((e) => e.seq), [...oldOutputs.slice(0, 2), ...newOutputs.slice(1)], 'without archived, only what is in the log');
    const forward = await allPages('types=agent.output&archived=include', 4);
    assert.deepEqual(forward.map((e) => e.seq), every);
    assert.equal(forward[1]!.data.line, 'old 0');
    assert.equal(forward[1]!.agentId, 'agt_c');
    const archived = forward.find((e) => !hot.some((h) => h.seq === e.seq))!;
    assertProblem(await send(`${suite.hub.url}/events/${archived.id}`, { headers: suite.hub.auth }), 404, 'not_found', /in the log; .*archived=include reads back the events retention moved out/);
    const listed: number[] = [];
    for await (const event of suite.hub.client.events.list({ types: 'agent.output', archived: 'include', limit: 6 })) listed.push(event.seq);
    assert.deepEqual(listed, every, 'the SDK reads them back the same way');
    const backward = await allPages('types=agent.output&archived=include', 5, true);
    assert.deepEqual(backward.map((e) => e.seq), [...every].reverse());
    const ofA = await allPages('agent=agt_a&archived=include', 3);
    assert.deepEqual(
      ofA.map((e) => e.data.line),
      ['first line of a', ...Array.from({ length: 10 }, (_, i) => `old ${2 * i + 1}`), 'new 1', 'last line of a'],
      'filtered by agent, archived and live lines in order',
    );
    const everything = await allPages('archived=include', 6);
    const { rows } = await sql<{ n: number }>`SELECT (SELECT count(*) FROM events)::int + (SELECT sum(events) FROM event_archives)::int AS n`.execute(suite.hub.db);
    assert.equal(everything.length, rows[0]!.n, 'the whole log, archives included');
    assert.deepEqual(everything.map((e) => e.seq), [...everything.map((e) => e.seq)].sort((a, b) => a - b));
  });

  test("a project's token reads back the archived events of its project's agents only", async () => {
    const tokenOf = async (projectId: string) => {
      const res = await suite.hub.post('/tokens', { role: 'viewer', projectId }, { authorization: `Bearer ${suite.hub.adminToken}` });
      assert.equal(res.status, 201, JSON.stringify(res.body));
      return { authorization: `Bearer ${res.body.token}` };
    };
    const read = async (headers: Record<string, string>) => {
      const res = await suite.hub.get('/events?types=agent.output&archived=include&limit=1000', headers);
      assert.equal(res.status, 200, JSON.stringify(res.body));
      return (res.body.events as EventEnvelope[]).map((e) => e.seq);
    };
    assert.deepEqual(await read(await tokenOf('default')), [...oldOutputs, ...newOutputs]);
    assert.deepEqual(await read(await tokenOf('docs')), [], 'none of the archived lines is about an agent of docs');
  });

  test('bad archived parameters are a 400 that says what to send', async () => {
    assertProblem(await send(`${suite.hub.url}/events?archived=yes`, { headers: suite.hub.auth }), 400, 'validation_failed', /archived must be include/);
    assertProblem(await send(`${suite.hub.url}/events?archived=include&q=old`, { headers: suite.hub.auth }), 400, 'validation_failed', /search \(q\) covers the events in the log only/);
    assertProblem(
      await send(`${suite.hub.url}/events?archived=include`, { headers: { ...suite.hub.auth, accept: 'text/event-stream' } }),
      400,
      'validation_failed',
      /archived/,
    );
  });
});

test('views rebuilt after retention equal the live ones', async () => {
  const tables = suite.hub.projections.flatMap((p) => p.tables ?? []);
  const live = await snapshot(tables);
  assert.ok(live.agents!.some((row) => row.includes('agt_a')), 'agent A is in the view');
  await rebuildViews(suite.hub.db, suite.hub.projections);
  assert.deepEqual(await snapshot(tables), live);
});

test('the hub runs retention on its timer', async () => {
  await append([output('agt_a', 'one more line'), output('agt_a', 'and the last')]);
  const before = await seqsOf(sql`type = 'agent.output'`);
  clock.advance(15 * day);
  assert.equal(await suite.hub.timers.tick(), true);
  const after = await seqsOf(sql`type = 'agent.output'`);
  assert.ok(after.length < before.length, `${before.length} lines before the tick, ${after.length} after`);
  // The tick marked A and C stale as well: their latest activity is still their latest output line.
  assert.deepEqual(after, [...oldOutputs.slice(0, 2), newOutputs[1]!, before.at(-1)!], 'the first and latest lines of A and C stay');
  const tables = suite.hub.projections.flatMap((p) => p.tables ?? []);
  const live = await snapshot(tables);
  await rebuildViews(suite.hub.db, suite.hub.projections);
  assert.deepEqual(await snapshot(tables), live, 'the rebuilt views equal the live ones after the timer’s pass too');
});
