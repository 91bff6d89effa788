import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import pg from 'pg';
import { rebuildLockKey } from '../../server/log/lock.ts';
import { rebuildViews } from '../../server/log/rebuild.ts';
import { ManualClock } from '../helpers/clock.ts';
import { hubSuite } from '../helpers/hub-suite.ts';
import { runProcess } from '../helpers/child-process.ts';

// Invariant 4: the views are a pure fold of the log. A long random history goes in through the
// API (illegal moves are refused and leave no trace), then a rebuild must give the same rows.

const root = fileURLToPath(new URL('../../', import.meta.url));
const clock = new ManualClock(new Date());
const suite = hubSuite({ timers: { tickMs: 3_600_000 }, budgets: { agentUsd: 3, taskUsd: 5, globalDailyUsd: 50, warnAt: 0.8 }, loops: { sameFailureCount: 3, handoffCount: 4, windowMs: 600_000 } }, [], clock);

/** A small seeded generator, so a failing history can be replayed. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

async function snapshot(tables: readonly string[]): Promise<Record<string, unknown[]>> {
  const result: Record<string, unknown[]> = {};
  for (const table of tables) {
    const { rows } = await sql<Record<string, unknown>>`SELECT * FROM ${sql.table(table)}`.execute(suite.hub.db);
    result[table] = rows.map((r) => JSON.stringify(r)).sort();
  }
  return result;
}

const seed = Number(process.env.REBUILD_SEED ?? Date.now() % 100_000);

before(async () => {
  await suite.ready();
  const next = random(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!;
  const agents = ['agt_r1', 'agt_r2', 'agt_r3', 'agt_r4'];
  const agentAuth = new Map<string, Record<string, string>>();
  for (const id of agents) agentAuth.set(id, { authorization: `Bearer ${await suite.hub.mint('agent', id)}` });
  const tasks: string[] = [];
  const decisions: string[] = [];
  const operators = [suite.hub.auth, { authorization: `Bearer ${await suite.hub.mint('operator')}` }];

  const seeFreshAgent = async () => {
    const fresh = `agt_seen_${Math.floor(next() * 1_000_000)}`;
    clock.advance(1_000);
    return suite.hub.post('/events', { events: [1, 2, 3].map((n) => ({ type: 'x.line', agentId: fresh, data: { n } })).concat([{ type: 'x.line', agentId: pick(agents), data: { n: 4 } }]) });
  };

  const moves: Array<() => Promise<unknown>> = [
    () => suite.hub.post(`/agents/${pick(agents)}/heartbeat`, {}, agentAuth.get(pick(agents))),
    async () => {
      const id = pick(agents);
      return suite.hub.post(`/agents/${id}/heartbeat`, {}, agentAuth.get(id));
    },
    async () => {
      const res = await suite.hub.post('/tasks', { title: `task ${tasks.length}`, priority: pick(['low', 'normal', 'high', 'urgent']), labels: [pick(['ui', 'db', 'ops'])] });
      if (res.status === 201) tasks.push(res.body.id);
    },
    async () => tasks.length && suite.hub.post(`/tasks/${pick(tasks)}/transition`, { to: pick(['in_progress', 'review', 'done', 'blocked', 'todo', 'cancelled']), reason: 'random' }, pick([suite.hub.auth, ...agentAuth.values()])),
    async () => tasks.length && suite.hub.post(`/tasks/${pick(tasks)}/transition`, { to: 'in_progress', agentId: pick(agents) }),
    async () => {
      const id = pick(agents);
      const res = await suite.hub.post('/decisions', { title: 'random ask', risk: pick(['low', 'medium', 'high', 'red']), expiresInSec: pick([30, 600]), onTimeout: pick(['deny', 'approve', 'escalate']) }, agentAuth.get(id));
      if (res.status === 201) decisions.push(res.body.id);
    },
    async () => decisions.length && suite.hub.post(`/decisions/${pick(decisions)}/resolve`, { outcome: pick(['approve', 'deny']), comment: 'random' }, pick(operators)),
    async () => {
      const id = pick(agents);
      const events = [
        { type: 'run.started', data: { model: 'm', estimatedCostUsd: 0.1 } },
        { type: 'run.completed', data: { tokensIn: 10, tokensOut: 20, costUsd: Math.round(next() * 80) / 100 }, ...(tasks.length ? { taskId: pick(tasks) } : {}) },
      ];
      for (const event of events) await suite.hub.post('/events', event, agentAuth.get(id));
    },
    async () => suite.hub.post('/events', { type: 'agent.failed', data: { error: pick(['npm ERR! build', 'timeout']), code: 1 } }, agentAuth.get(pick(agents))),
    // Runs of one agent's activity-only events in one group, which the agents view folds in one statement:
    // an agent's own batch with a run broken by an event another view folds, and an operator's naming an agent not seen yet.
    async () => {
      const id = pick(agents);
      const step = (n: number) => ({ type: 'x.step', data: { n } });
      return suite.hub.post('/events', { events: [step(1), step(2), { type: 'run.started', data: { model: 'm', estimatedCostUsd: 0.01 } }, step(3), step(4), step(5)] }, agentAuth.get(id));
    },
    seeFreshAgent,
    async () => suite.hub.post(`/agents/${pick(agents)}/${pick(['pause', 'resume'])}`, {}),
    async () => suite.hub.post(pick(['/pause-all', '/resume-all']), {}),
    async () => suite.hub.post('/budgets', { scope: 'agent', scopeId: pick(agents), limitUsd: pick([2, 5, 10]) }),
    async () => {
      clock.advance(pick([1_000, 45_000, 120_000]));
      return suite.hub.timers.tick();
    },
  ];
  for (let i = 0; i < 700; i += 1) await pick(moves)();
  // The history ends with an agent first seen through a run of lines: no later tick marks it stale,
  // which would date its status anew and hide from when the run dated it.
  await seeFreshAgent();
});

const views = () => suite.hub.projections.flatMap((p) => p.tables ?? []);

test('rebuilding every view from a long random history gives the live rows, row for row', async () => {
  const tables = views();
  assert.ok(tables.length >= 4, `views to compare: ${tables.join(', ')}`);
  const { rows } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM events`.execute(suite.hub.db);
  assert.ok(rows[0]!.n > 300, `the history has ${rows[0]!.n} events`);
  const live = await snapshot(tables);
  await rebuildViews(suite.hub.db, suite.hub.projections);
  assert.deepEqual(await snapshot(tables), live, `rebuilt rows differ (REBUILD_SEED=${seed})`);
});

test("what each view says it concerns is all it folds: a rebuild that shows every event to every view gives the live rows", async () => {
  const tables = views();
  const live = await snapshot(tables);
  const askedEverything = suite.hub.projections.map(({ concerns: _, ...projection }) => projection);
  assert.ok(suite.hub.projections.filter((p) => p.concerns !== undefined).length >= 5, 'the views name what they concern');
  await rebuildViews(suite.hub.db, askedEverything);
  assert.deepEqual(await snapshot(tables), live, `rebuilt rows differ (REBUILD_SEED=${seed})`);
});

test('npm run rebuild, run as a command on the database, folds emptied views back to the live rows', async () => {
  const tables = views();
  const live = await snapshot(tables);
  await sql`TRUNCATE ${sql.join(tables.map((t) => sql.table(t)))}`.execute(suite.hub.db);
  const { rows } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM events`.execute(suite.hub.db);
  const run = await runProcess('npm', ['run', '--silent', 'rebuild'], { cwd: root, env: { ...process.env, DATABASE_URL: suite.database.url, MC_HEALER: 'off', LOG_LEVEL: 'info' } });
  assert.equal(run.code, 0, run.stdout + run.stderr);
  assert.match(run.stdout, new RegExp(`rebuilt every view from ${rows[0]!.n} events`));
  assert.match(run.stdout, new RegExp(`rebuild: ${rows[0]!.n.toLocaleString('en-US')} of ${rows[0]!.n.toLocaleString('en-US')} events \\(100%\\)`), 'the last progress line says all were folded');
  assert.deepEqual(await snapshot(tables), live, `rebuilt rows differ (REBUILD_SEED=${seed})`);
});

/** Runs a rebuild that stops itself after its first committed step of `stepEvents`. */
async function interruptedRebuild(stepEvents: number): Promise<{ folded: number; total: number }> {
  const stop = new AbortController();
  let total = 0;
  const result = await rebuildViews(suite.hub.db, suite.hub.projections, {
    stepEvents,
    signal: stop.signal,
    onProgress: (progress) => {
      total = progress.total;
      stop.abort();
    },
  });
  assert.equal(result.finished, false);
  return { folded: result.folded, total };
}

test('an interrupted rebuild leaves the views as they were, and the next one goes on from where it stopped', async () => {
  const tables = views();
  const live = await snapshot(tables);
  await sql`TRUNCATE ${sql.join(tables.map((t) => sql.table(t)))}`.execute(suite.hub.db);
  const first = await interruptedRebuild(100);
  assert.ok(first.folded >= 100 && first.folded < first.total, `stopped after ${first.folded} of ${first.total} events`);
  const empty = Object.fromEntries(tables.map((t) => [t, []]));
  assert.deepEqual(await snapshot(tables), empty, 'the live views are untouched until the rebuild ends');
  let resumedAt: number | undefined;
  const result = await rebuildViews(suite.hub.db, suite.hub.projections, { stepEvents: 100, onResume: (folded) => (resumedAt = folded) });
  assert.equal(resumedAt, first.folded, 'the second run starts where the first stopped');
  assert.deepEqual(result, { folded: first.total, finished: true });
  assert.deepEqual(await snapshot(tables), live, `rebuilt rows differ (REBUILD_SEED=${seed})`);
  const { rows } = await sql<{ left: string | null }>`SELECT to_regclass('mc_rebuild.progress')::text AS left`.execute(suite.hub.db);
  assert.equal(rows[0]!.left, null, 'a finished rebuild leaves no copies behind');
});

test('what is appended while a rebuild is stopped is folded when it goes on', async () => {
  const tables = views();
  await interruptedRebuild(100);
  const created = await suite.hub.post('/tasks', { title: 'appended between two runs of a rebuild', priority: 'high' });
  assert.equal(created.status, 201);
  const live = await snapshot(tables);
  await rebuildViews(suite.hub.db, suite.hub.projections, { stepEvents: 100 });
  const rebuilt = await snapshot(tables);
  assert.deepEqual(rebuilt, live, `rebuilt rows differ (REBUILD_SEED=${seed})`);
  assert.ok(rebuilt.tasks!.some((row) => String(row).includes(created.body.id)), 'the new task is in the rebuilt view');
});

test('a second rebuild on the same database is refused while one runs', async () => {
  const holder = new pg.Client({ connectionString: suite.database.url });
  await holder.connect();
  try {
    // The rebuild's own lock, taken as a running rebuild would hold it.
    await holder.query('SELECT pg_advisory_lock($1)', [rebuildLockKey]);
    await assert.rejects(rebuildViews(suite.hub.db, suite.hub.projections), /another rebuild is running/);
  } finally {
    await holder.end();
  }
});
