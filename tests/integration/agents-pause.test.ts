import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { sql } from 'kysely';
import { hubPausedAll } from '../../server/agents/store.ts';
import { hubSuite } from '../helpers/hub-suite.ts';
import type { Answer } from '../helpers/hub.ts';
import { assertHubProblem, countEvents } from '../helpers/problem.ts';
import { bearer } from '../helpers/hub.ts';
import { agentEvents, registeredAgent } from '../helpers/agents.ts';

const suite = hubSuite();

const problem = assertHubProblem;

const registered = (id: string, body: { name?: string } = {}) => registeredAgent(suite.hub, id, body);
const eventsOf = (agentId: string, type: string) => agentEvents(suite.hub, agentId, type);

describe('POST /agents/:id/pause and /resume', () => {
  test('pausing a running agent answers its view, paused by the operator, and logs why', async () => {
    await registered('agt_p1');
    const res = await suite.hub.post('/agents/agt_p1/pause', { reason: 'looks stuck' });
    assert.equal(res.status, 200);
    assert.deepEqual(pick(res, 'status', 'pausedReason'), ['paused', 'operator']);
    const [paused] = await eventsOf('agt_p1', 'agent.paused');
    assert.equal(paused!.data.reason, 'operator');
    assert.equal(paused!.data.comment, 'looks stuck');
    assert.match(paused!.data.by, /^operator:/);
  });

  test('pausing a paused agent is a 409 naming its status; resuming makes it running; again a 409', async () => {
    await registered('agt_p2');
    assert.equal((await suite.hub.post('/agents/agt_p2/pause', {})).status, 200);
    problem(await suite.hub.post('/agents/agt_p2/pause', {}), 409, 'conflict', /already paused \(reason: operator\)/);
    const resumed = await suite.hub.post('/agents/agt_p2/resume', {});
    assert.deepEqual(pick(resumed, 'status', 'pausedReason'), ['running', null]);
    problem(await suite.hub.post('/agents/agt_p2/resume', {}), 409, 'conflict', /is running.*only a paused agent/);
  });

  test('an ended agent cannot be paused: 409', async () => {
    const headers = await registered('agt_p3');
    assert.equal((await suite.hub.post('/events', { type: 'agent.exited', data: { code: 0 } }, headers)).status, 201);
    problem(await suite.hub.post('/agents/agt_p3/pause', {}), 409, 'conflict', /is exited; only a spawning, running, awaiting_decision or stale agent/);
  });

  test('an unknown agent is a 404, a bad body a 400, an agent token a 403', async () => {
    problem(await suite.hub.post('/agents/agt_nobody/pause', {}), 404, 'not_found', /no agent "agt_nobody"/);
    problem(await suite.hub.post('/agents/agt_nobody/resume', {}), 404, 'not_found', /no agent/);
    await registered('agt_p4');
    problem(await suite.hub.post('/agents/agt_p4/pause', { reason: '' }), 400, 'validation_failed', /\/reason must NOT have fewer than 1 characters/);
    problem(await suite.hub.post('/agents/agt_p4/pause', {}, bearer(await suite.hub.mint('agent', 'agt_p4'))), 403, 'forbidden', /agent token may not call POST \/agents\/:id\/pause/);
  });
});

describe('POST /pause-all and /resume-all', () => {
  test('pause-all pauses every live agent; resume-all resumes only those, not the ones paused by an operator', async () => {
    await registered('agt_all_1');
    await registered('agt_all_2');
    await registered('agt_all_op');
    await suite.hub.post('/agents/agt_all_op/pause', {});
    const paused = await suite.hub.post('/pause-all', { reason: 'deploy freeze' });
    assert.equal(paused.status, 200);
    assert.ok(paused.body.paused.includes('agt_all_1') && paused.body.paused.includes('agt_all_2'));
    assert.ok(!paused.body.paused.includes('agt_all_op'));
    assert.equal(await hubPausedAll(suite.hub.db), true);
    assert.deepEqual(pick(await suite.hub.get('/agents/agt_all_1'), 'status', 'pausedReason'), ['paused', 'pause_all']);

    const before = await countEvents(suite.hub.db);
    const again = await suite.hub.post('/pause-all', {});
    assert.deepEqual([again.status, again.body], [200, { paused: [] }], 'pause-all twice is idempotent: nothing left to pause');
    assert.equal(await countEvents(suite.hub.db), before);

    const resumed = await suite.hub.post('/resume-all', {});
    assert.equal(resumed.status, 200);
    assert.deepEqual(resumed.body.resumed.sort(), paused.body.paused.sort());
    assert.equal(await hubPausedAll(suite.hub.db), false);
    assert.equal((await suite.hub.get('/agents/agt_all_1')).body.status, 'running');
    assert.deepEqual(pick(await suite.hub.get('/agents/agt_all_op'), 'status', 'pausedReason'), ['paused', 'operator']);
    const { rows } = await sql<{ type: string; data: any }>`select type, data from events where type like 'hub.%' order by seq`.execute(suite.hub.db);
    assert.deepEqual(rows.map((r) => r.type), ['hub.paused_all', 'hub.resumed_all']);
    assert.equal(rows[0]!.data.reason, 'deploy freeze');
    assert.deepEqual((await suite.hub.post('/resume-all', {})).body, { resumed: [] });
  });

  test('works without a body; a bad body is a 400; an agent or viewer token a 403', async () => {
    const res = await fetch(`${suite.hub.url}/resume-all`, { method: 'POST', headers: suite.hub.auth });
    assert.equal(res.status, 200);
    problem(await suite.hub.post('/pause-all', { reason: 5 }), 400, 'validation_failed', /\/reason must be string/);
    problem(await suite.hub.post('/pause-all', {}, bearer(await suite.hub.mint('viewer'))), 403, 'forbidden', /viewer token may not call POST \/pause-all/);
    problem(await suite.hub.post('/resume-all', {}, bearer(await suite.hub.mint('agent', 'agt_x'))), 403, 'forbidden', /agent token may not call POST \/resume-all/);
  });
});

function pick(res: Answer, ...keys: string[]): unknown[] {
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return keys.map((k) => res.body[k]);
}

describe('runs while paused', () => {
  const run = (headers: Record<string, string>) => suite.hub.post('/events', { type: 'run.started', data: { model: 'm', estimatedCostUsd: 0 } }, headers);

  test("a paused agent's run.started is a 409 agent_paused that says how to resume it", async () => {
    const headers = await registered('agt_run_paused');
    assert.equal((await suite.hub.post('/agents/agt_run_paused/pause', {})).status, 200);
    const before = await countEvents(suite.hub.db);
    problem(await run(headers), 409, 'agent_paused', /agent "agt_run_paused" is paused by reason operator \(POST \/agents\/agt_run_paused\/resume lifts it\)/);
    assert.equal(await countEvents(suite.hub.db), before);
    assert.equal((await suite.hub.post('/agents/agt_run_paused/resume', {})).status, 200);
    assert.equal((await run(headers)).status, 201);
  });

  test('while the hub is paused, no agent starts a run, not even one registered since', async () => {
    assert.equal((await suite.hub.post('/pause-all', {})).status, 200);
    try {
      const late = bearer(await suite.hub.mint('agent', 'agt_run_late'));
      problem(await run(late), 409, 'agent_paused', /the hub is paused \(pause-all\).*POST \/resume-all/);
    } finally {
      assert.equal((await suite.hub.post('/resume-all', {})).status, 200);
    }
    assert.equal((await run(bearer(await suite.hub.mint('agent', 'agt_run_late')))).status, 201);
  });
});
