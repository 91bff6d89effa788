// The daily brief: `GET /brief?since=` lists what a small fleet did in the window (tasks done,
// failures, decisions settled, run costs) and what waits now; a later `since` empties the window;
// bad `since` is a 400; a scoped token sees its project only; a long list is cut and says so.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import type { Brief, EventEnvelope } from '../../server/client/views.ts';
import { ManualClock } from '../helpers/clock.ts';
import { ask, bearer, call, resolve } from '../helpers/decisions.ts';
import { hubSuite } from '../helpers/hub-suite.ts';
import { assertProblem } from '../helpers/problem.ts';

const clock = new ManualClock(new Date());
const suite = hubSuite({ timers: { tickMs: 3_600_000 }, projects: { shop: {} } }, [], clock);

const brief = async (query = '', headers = suite.hub.auth): Promise<Brief> => {
  const res = await suite.hub.get(`/brief${query}`, headers);
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body as Brief;
};
const ok = async (res: Promise<{ status: number; body: any }>) => {
  const answer = await res;
  assert.ok(answer.status < 300, JSON.stringify(answer.body));
  return answer.body;
};
const task = async (title: string, body: Record<string, unknown> = {}): Promise<string> => (await ok(suite.hub.post('/tasks', { title, ...body }))).id;
const move = (id: string, ...steps: Array<string | [string, string]>) =>
  steps.reduce(async (done: Promise<unknown>, step) => {
    await done;
    const [to, reason] = Array.isArray(step) ? step : [step, undefined];
    return ok(suite.hub.post(`/tasks/${id}/transition`, { to, ...(reason ? { reason } : {}) }));
  }, Promise.resolve());
const newest = async (): Promise<EventEnvelope> => (await suite.hub.get('/events?order=desc&limit=1')).body.events[0];
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** When the window starts: just after every event the seeding logged before it. */
let since: string;
let operatorActor: string;

before(async () => {
  await suite.ready();
  operatorActor = (await suite.hub.get('/whoami')).body.actor;
  // Before the window: a task done, a question still open.
  await move(await task('Old chore'), 'in_progress', 'review', 'done');
  await ask(suite.hub, { title: 'Old question', risk: 'high' });
  since = new Date(Date.parse((await newest()).recordedAt) + 10).toISOString();
  await pause(30);

  // In the window.
  const a = bearer(await suite.hub.mint('agent', 'agt_brief_a'));
  const b = bearer(await suite.hub.mint('agent', 'agt_brief_b'));
  await ok(suite.hub.post('/events', { type: 'agent.output', data: { stream: 'stdout', line: 'hello' } }, a));
  const cart = await task('Ship the cart', { agentId: 'agt_brief_a' });
  await move(cart, 'in_progress', 'review', 'done');
  await move(await task('Write the shop docs', { projectId: 'shop' }), 'in_progress', 'review', 'done');
  await move(await task('Fix the flaky test'), ['blocked', 'waits for CI']);
  await ok(suite.hub.post('/events', { type: 'agent.failed', data: { error: 'segfault in worker', code: 139 } }, a));
  await ok(suite.hub.post('/events', { events: [
    { type: 'run.completed', data: { tokensIn: 10, tokensOut: 5, costUsd: 1.25 } },
    { type: 'run.completed', data: { tokensIn: 10, tokensOut: 5, costUsd: 0.5 } },
  ] }, a));
  await ok(suite.hub.post('/events', { type: 'run.completed', data: { tokensIn: 1, tokensOut: 1, costUsd: 0.25 } }, b));
  const deploy = await ask(suite.hub, { title: 'Deploy the cart?', risk: 'high', taskId: cart });
  await ok(resolve(suite.hub, deploy.id, 'approve'));
  await ask(suite.hub, { title: 'Rename the table?', risk: 'medium', expiresInSec: 60, onTimeout: 'deny' });
  clock.advance(61_000);
  await suite.hub.timers.tick();
  await ask(suite.hub, { title: 'Force-push the branch?', risk: 'red' });
  await ask(suite.hub, { title: 'Publish the shop docs?', risk: 'high', projectId: 'shop' });
});

describe('GET /brief', () => {
  test('lists what the fleet did since then, and what waits now', async () => {
    const got = await brief(`?since=${since}`);
    assert.equal(got.since, since);
    assert.ok(Date.parse(got.until) > Date.parse(since) && Math.abs(Date.parse(got.until) - Date.now()) < 60_000, got.until);
    assert.equal(got.project, null);

    assert.deepEqual(got.done.map((t) => [t.title, t.agentId, t.agentName, t.by]), [
      ['Write the shop docs', null, null, operatorActor],
      ['Ship the cart', 'agt_brief_a', 'agt_brief_a', operatorActor],
    ]);
    assert.deepEqual(got.failed.map((f) => [f.type, f.agentId, f.error, f.tool]), [['agent.failed', 'agt_brief_a', 'segfault in worker', null]]);
    const [failure] = (await suite.hub.get('/events?types=agent.failed&agent=agt_brief_a')).body.events as EventEnvelope[];
    assert.deepEqual([got.failed[0]!.id, got.failed[0]!.seq], [failure!.id, failure!.seq], 'the event, to read whole by its id');

    assert.deepEqual(got.decided.map((d) => [d.title, d.status, d.outcome, d.by, d.risk]), [
      ['Rename the table?', 'expired', 'deny', null, 'medium'],
      ['Deploy the cart?', 'resolved', 'approve', operatorActor, 'high'],
    ]);
    assert.ok(got.decided.every((d) => Date.parse(d.at) >= Date.parse(since)));

    assert.equal(got.cost.usd, 2);
    assert.equal(got.cost.runs, 3);
    assert.deepEqual(got.cost.byAgent, [
      { agentId: 'agt_brief_a', agentName: 'agt_brief_a', usd: 1.75, runs: 2 },
      { agentId: 'agt_brief_b', agentName: 'agt_brief_b', usd: 0.25, runs: 1 },
    ]);

    assert.deepEqual(got.waiting.decisions.map((d) => d.title), ['Old question', 'Force-push the branch?', 'Publish the shop docs?'], 'oldest first, asked before the window or in it');
    assert.deepEqual(got.waiting.blockedTasks.map((t) => [t.title, t.reason]), [['Fix the flaky test', 'waits for CI']]);
    assert.deepEqual(got.truncated, []);
  });

  test('without since, the last 24 hours', async () => {
    const got = await brief();
    assert.ok(Math.abs(Date.parse(got.until) - Date.parse(got.since) - 24 * 3600_000) < 1000, `${got.since} .. ${got.until}`);
    assert.deepEqual(got.done.map((t) => t.title), ['Write the shop docs', 'Ship the cart', 'Old chore']);
    assert.equal(got.cost.usd, 2);
  });

  test('a since in the future empties the window; what waits still waits', async () => {
    const got = await brief(`?since=${new Date(Date.now() + 3600_000).toISOString()}`);
    assert.deepEqual([got.done, got.failed, got.decided, got.cost], [[], [], [], { usd: 0, runs: 0, byAgent: [] }]);
    assert.equal(got.waiting.decisions.length, 3);
    assert.equal(got.waiting.blockedTasks.length, 1);
  });

  test('since takes an offset other than Z', async () => {
    const at = new Date(Date.parse(since));
    const plusTwo = new Date(at.getTime() + 2 * 3600_000).toISOString().replace('Z', '+02:00');
    const got = await brief(`?since=${encodeURIComponent(plusTwo)}`);
    assert.equal(got.since, since);
    assert.equal(got.done.length, 2);
  });

  test('a bad since is a 400 naming since', async () => {
    const cases: Array<[string, RegExp]> = [
      ['yesterday', /^\?since must be an RFC 3339 date-time/],
      ['2025-03-14', /^\?since must be an RFC 3339 date-time/],
      ['2025-03-14T09:00:00', /^\?since must be an RFC 3339 date-time/],
      ['2025-13-40T09:00:00Z', /^\?since must be an RFC 3339 date-time/],
      [new Date(Date.now() - 40 * 24 * 3600_000).toISOString(), /^\?since may reach back at most 31 days/],
    ];
    for (const [value, detail] of cases) {
      const res = await call(suite.hub, 'GET', `/brief?since=${encodeURIComponent(value)}`);
      assertProblem(res, 400, 'validation_failed', detail);
      assert.equal(res.body.errors[0].path, '?since', value);
    }
    assertProblem(await call(suite.hub, 'GET', '/brief?from=2025-03-14T09:00:00Z'), 400, 'validation_failed', /unknown query parameter "from"; known here: since, project/);
  });

  test('a token scoped to a project, and ?project=, see that project only', async () => {
    const minted = await ok(suite.hub.post('/tokens', { role: 'viewer', projectId: 'shop' }, bearer(suite.hub.adminToken)));
    for (const [query, headers] of [[`?since=${since}`, bearer(minted.token)], [`?since=${since}&project=shop`, suite.hub.auth]] as const) {
      const got = await brief(query, headers);
      assert.equal(got.project, 'shop');
      assert.deepEqual(got.done.map((t) => t.title), ['Write the shop docs']);
      assert.deepEqual([got.failed, got.decided, got.cost.byAgent], [[], [], []]);
      assert.deepEqual(got.waiting.decisions.map((d) => d.title), ['Publish the shop docs?']);
      assert.deepEqual(got.waiting.blockedTasks, []);
    }
    assertProblem(await call(suite.hub, 'GET', '/brief?project=default', undefined, bearer(minted.token)), 403, 'forbidden', /sees only that project/);
  });

  test('the client reads it as hub.brief.get()', async () => {
    const got = await suite.hub.client.brief.get({ since: new Date(since) });
    assert.equal(got.since, since);
    assert.equal(got.done.length, 2);
  });

  test('a list of more than 100 holds the newest 100 and is named in truncated', async () => {
    const from = new Date(Date.parse((await newest()).recordedAt) + 10).toISOString();
    await pause(30);
    const c = bearer(await suite.hub.mint('agent', 'agt_brief_c'));
    await ok(suite.hub.post('/events', { events: Array.from({ length: 101 }, (_, i) => ({ type: 'agent.failed', data: { error: `failure ${i}` } })) }, c));
    const got = await brief(`?since=${from}`);
    assert.equal(got.failed.length, 100);
    assert.deepEqual([got.failed[0]!.error, got.failed[99]!.error], ['failure 100', 'failure 1']);
    assert.deepEqual(got.truncated, ['failed']);
  });
});
