import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { loadContracts } from '../../contracts/index.ts';
import { hubSuite } from '../helpers/hub-suite.ts';
import { testHub } from '../helpers/hub.ts';
import { bearer } from '../helpers/hub.ts';
import { assertHubProblem, countEvents } from '../helpers/problem.ts';

const loops = { sameFailureCount: 3, handoffCount: 4, windowMs: 600_000 };
const contracts = loadContracts();

const suite = hubSuite({ loops });

type Hub = typeof suite.hub;
let agents = 0;

/** A fresh agent with a task it has started. */
async function agentAtWork(on: Hub = suite.hub): Promise<{ id: string; auth: Record<string, string>; taskId: string }> {
  const id = `agt_loop_${++agents}`;
  const auth = bearer(await on.mint('agent', id));
  const created = await on.post('/tasks', { title: `work of ${id}`, agentId: id });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  assert.equal((await on.post(`/tasks/${created.body.id}/transition`, { to: 'in_progress' }, auth)).status, 200);
  return { id, auth, taskId: created.body.id };
}

async function fail(auth: Record<string, string>, data: Record<string, unknown>, extra: Record<string, unknown> = {}, on: Hub = suite.hub): Promise<void> {
  const res = await on.post('/events', { type: 'agent.failed', data, ...extra }, auth);
  assert.equal(res.status, 201, JSON.stringify(res.body));
}

async function taskOf(taskId: string, on: Hub = suite.hub): Promise<any> {
  return (await on.get(`/tasks/${taskId}`)).body;
}

/** The `hub.loop_detected` events about a task. */
async function alertsAbout(taskId: string, on: Hub = suite.hub): Promise<any[]> {
  return (await on.get(`/events?after=0&limit=1000&types=hub.loop_detected&task=${taskId}`)).body.events;
}

describe('a repeated failure', () => {
  test('below the threshold nothing happens', async () => {
    const agent = await agentAtWork();
    for (let i = 0; i < 2; i++) await fail(agent.auth, { error: 'npm ERR! missing script: build' });
    assert.equal((await taskOf(agent.taskId)).status, 'in_progress');
    assert.deepEqual(await alertsAbout(agent.taskId), []);
  });

  test('at the threshold blocks the task and appends hub.loop_detected, as the hub', async () => {
    const agent = await agentAtWork();
    for (let i = 0; i < 3; i++) await fail(agent.auth, { error: 'npm ERR! missing script: build', code: 1 });
    const task = await taskOf(agent.taskId);
    const reason = `loop: ${agent.id} failed 3 times with npm ERR! missing script: build`;
    assert.deepEqual([task.status, task.blockedReason], ['blocked', reason]);

    const events = (await suite.hub.get(`/events?after=0&limit=1000&task=${agent.taskId}`)).body.events;
    const [block, alert] = events.slice(-2);
    assert.deepEqual([block.type, block.actor, block.data], ['task.transitioned', 'hub', { from: 'in_progress', to: 'blocked', reason }]);
    assert.deepEqual([alert.type, alert.actor, alert.taskId, alert.agentId], ['hub.loop_detected', 'hub', agent.taskId, agent.id]);
    assert.deepEqual(alert.data, { kind: 'repeated_failure', count: 3, windowSec: 600, detail: reason, agentIds: [agent.id] });
    assert.deepEqual(contracts.check('events/hub.loop_detected.schema.json', alert.data), []);
    const failures = (await suite.hub.get(`/events?after=0&limit=1000&types=agent.failed&agent=${agent.id}`)).body.events;
    assert.equal(alert.causationId, failures.at(-1).id, 'the alert names the failure that tipped it');
  });

  test('a different error does not count', async () => {
    const agent = await agentAtWork();
    await fail(agent.auth, { error: 'ECONNREFUSED 127.0.0.1:5432' });
    await fail(agent.auth, { error: 'ECONNREFUSED 127.0.0.1:5432' });
    await fail(agent.auth, { error: 'TypeError: x is undefined' });
    assert.equal((await taskOf(agent.taskId)).status, 'in_progress');
    await fail(agent.auth, { error: 'ECONNREFUSED 127.0.0.1:5432' });
    assert.equal((await taskOf(agent.taskId)).status, 'blocked');
  });

  test("another agent's failures do not count", async () => {
    const [a, b] = [await agentAtWork(), await agentAtWork()];
    await fail(a.auth, { error: 'disk full' });
    await fail(b.auth, { error: 'disk full' });
    await fail(a.auth, { error: 'disk full' });
    assert.equal((await taskOf(a.taskId)).status, 'in_progress');
    assert.equal((await taskOf(b.taskId)).status, 'in_progress');
  });

  test('the same signature counts even when the error text differs', async () => {
    const agent = await agentAtWork();
    for (let i = 0; i < 3; i++) await fail(agent.auth, { error: `connect ECONNREFUSED (attempt ${i})`, signature: 'ECONNREFUSED:postgres' });
    assert.equal((await taskOf(agent.taskId)).status, 'blocked');
  });

  test('the alert is appended once even if more failures follow while blocked', async () => {
    const agent = await agentAtWork();
    for (let i = 0; i < 6; i++) await fail(agent.auth, { error: 'segfault' });
    assert.equal((await alertsAbout(agent.taskId)).length, 1);
  });

  test('a batch that crosses the threshold twice blocks the task once', async () => {
    const agent = await agentAtWork();
    const events = Array.from({ length: 5 }, () => ({ type: 'agent.failed', data: { error: 'OOM killed' } }));
    assert.equal((await suite.hub.post('/events', { events }, agent.auth)).status, 201);
    assert.equal((await taskOf(agent.taskId)).status, 'blocked');
    assert.equal((await alertsAbout(agent.taskId)).length, 1);
    const blocks = (await suite.hub.get(`/events?after=0&limit=1000&types=task.transitioned&task=${agent.taskId}`)).body.events.filter((e: any) => e.data.to === 'blocked');
    assert.equal(blocks.length, 1);
  });

  test('the failure that names a task blocks that task', async () => {
    const agent = await agentAtWork();
    const other = await suite.hub.post('/tasks', { title: 'second task', agentId: agent.id });
    for (let i = 0; i < 3; i++) await fail(agent.auth, { error: 'lint failed' }, { taskId: other.body.id });
    assert.equal((await taskOf(other.body.id)).status, 'blocked');
    assert.equal((await taskOf(agent.taskId)).status, 'in_progress');
  });

  test('an agent without a working task is not blocked anywhere', async () => {
    const id = `agt_loop_idle_${++agents}`;
    const auth = bearer(await suite.hub.mint('agent', id));
    for (let i = 0; i < 3; i++) await fail(auth, { error: 'no work' });
    assert.deepEqual((await suite.hub.get(`/events?after=0&limit=1000&types=hub.loop_detected&agent=${id}`)).body.events, []);
  });

  test('once unblocked, only failures after the alert count', async () => {
    const agent = await agentAtWork();
    for (let i = 0; i < 3; i++) await fail(agent.auth, { error: 'flaky test' });
    assert.equal((await suite.hub.post(`/tasks/${agent.taskId}/transition`, { to: 'in_progress', reason: 'fixed the fixture' })).status, 200);
    await fail(agent.auth, { error: 'flaky test' });
    await fail(agent.auth, { error: 'flaky test' });
    assert.equal((await taskOf(agent.taskId)).status, 'in_progress');
    await fail(agent.auth, { error: 'flaky test' });
    assert.equal((await taskOf(agent.taskId)).status, 'blocked');
    assert.equal((await alertsAbout(agent.taskId)).length, 2);
  });

  test('failures further apart than the window do not add up', async () => {
    const narrow = await testHub(suite.database.url, { loops: { ...loops, windowMs: 100 } });
    try {
      const agent = await agentAtWork(narrow);
      for (let i = 0; i < 3; i++) {
        await fail(agent.auth, { error: 'slow failure' }, {}, narrow);
        await new Promise((r) => setTimeout(r, 150));
      }
      assert.equal((await taskOf(agent.taskId, narrow)).status, 'in_progress');
    } finally {
      await narrow.close();
    }
  });
});

describe('a task handed back and forth', () => {
  async function handOver(taskId: string, to: string, agentId: string): Promise<any> {
    const res = await suite.hub.post(`/tasks/${taskId}/transition`, { to, agentId });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    return res.body;
  }

  test('A, B, A: nothing happens yet', async () => {
    const { id } = (await suite.hub.post('/tasks', { title: 'ping', agentId: 'agt_pp_a1' })).body;
    await handOver(id, 'in_progress', 'agt_pp_a1');
    await handOver(id, 'review', 'agt_pp_b1');
    const back = await handOver(id, 'in_progress', 'agt_pp_a1');
    assert.equal(back.status, 'in_progress');
    assert.deepEqual(await alertsAbout(id), []);
  });

  test('A, B, A, B within the window blocks it with a ping_pong alert', async () => {
    const { id } = (await suite.hub.post('/tasks', { title: 'pong', agentId: 'agt_pp_a2' })).body;
    await handOver(id, 'in_progress', 'agt_pp_a2');
    await handOver(id, 'review', 'agt_pp_b2');
    await handOver(id, 'in_progress', 'agt_pp_a2');
    const last = await handOver(id, 'review', 'agt_pp_b2');
    const detail = `loop: task ${id} was handed back and forth between agt_pp_a2 and agt_pp_b2 4 times`;
    assert.deepEqual([last.status, last.blockedReason], ['blocked', detail], 'the answer to the move shows the block');
    const [alert] = await alertsAbout(id);
    assert.deepEqual(alert.data, { kind: 'ping_pong', count: 4, windowSec: 600, detail, agentIds: ['agt_pp_a2', 'agt_pp_b2'] });
    assert.deepEqual(contracts.check('events/hub.loop_detected.schema.json', alert.data), []);
  });

  test('a third agent in the hand-offs is no ping-pong', async () => {
    const { id } = (await suite.hub.post('/tasks', { title: 'relay', agentId: 'agt_pp_a3' })).body;
    await handOver(id, 'in_progress', 'agt_pp_a3');
    await handOver(id, 'review', 'agt_pp_b3');
    await handOver(id, 'in_progress', 'agt_pp_c3');
    assert.equal((await handOver(id, 'review', 'agt_pp_b3')).status, 'review');
  });
});

describe("an agent's reports name only its own task and decisions", () => {
  test("three agent.failed naming another agent's task are refused and do not block it", async () => {
    const victim = await agentAtWork();
    const attacker = await agentAtWork();
    const before = await countEvents(suite.hub.db);
    for (let i = 0; i < 3; i++) {
      const res = await suite.hub.post('/events', { type: 'agent.failed', data: { error: 'forged' }, taskId: victim.taskId }, attacker.auth);
      assertHubProblem(res, 403, 'forbidden', new RegExp(`agent "${attacker.id}" may name only its own task: "${victim.taskId}" is assigned to agent "${victim.id}"; name its task "${attacker.taskId}"`));
    }
    assert.equal(await countEvents(suite.hub.db), before, 'nothing was appended');
    assert.equal((await taskOf(victim.taskId)).status, 'in_progress');
  });

  test("a run charged to another agent's task, or to an unknown one, is refused", async () => {
    const victim = await agentAtWork();
    const attacker = await agentAtWork();
    const charge = (taskId: string) => suite.hub.post('/events', { type: 'run.completed', data: { tokensIn: 1, tokensOut: 1, costUsd: 1 }, taskId }, attacker.auth);
    assertHubProblem(await charge(victim.taskId), 403, 'forbidden', /may name only its own task/);
    assertHubProblem(await charge('tsk_nowhere'), 403, 'forbidden', /"tsk_nowhere" is not on the board/);
    assert.equal((await charge(attacker.taskId)).status, 201);
  });

  test("a decision an agent asks about another agent's task is refused; about its own it is asked", async () => {
    const victim = await agentAtWork();
    const asker = await agentAtWork();
    const before = await countEvents(suite.hub.db);
    assertHubProblem(await suite.hub.post('/decisions', { title: 'drop it?', risk: 'high', taskId: victim.taskId }, asker.auth), 403, 'forbidden', /may name only its own task/);
    assert.equal(await countEvents(suite.hub.db), before, 'nothing was appended');
    const own = await suite.hub.post('/decisions', { title: 'ship it?', risk: 'high', taskId: asker.taskId }, asker.auth);
    assert.equal(own.status, 201, JSON.stringify(own.body));
  });

  test('a decision another agent asked is refused; its own is accepted', async () => {
    const asker = await agentAtWork();
    const other = await agentAtWork();
    const asked = await suite.hub.post('/decisions', { title: 'ship it?', risk: 'high' }, asker.auth);
    assert.equal(asked.status, 201, JSON.stringify(asked.body));
    const note = (auth: Record<string, string>) => suite.hub.post('/events', { type: 'x.note', data: {}, decisionId: asked.body.id }, auth);
    assertHubProblem(await note(other.auth), 403, 'forbidden', new RegExp(`may name only decisions it asked: "${asked.body.id}" was asked by agent "${asker.id}"`));
    assert.equal((await note(asker.auth)).status, 201);
  });
});
