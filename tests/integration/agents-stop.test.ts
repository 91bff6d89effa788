import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { EventEnvelope } from '../../contracts/index.ts';
import { hubSuite } from '../helpers/hub-suite.ts';
import { bearer } from '../helpers/hub.ts';
import { assertHubProblem } from '../helpers/problem.ts';
import { until } from '../helpers/until.ts';

// POST /agents/:id/stop against real agent processes: SIGTERM, SIGKILL after the grace period,
// and an end logged as an exit by whoever stopped it, never as a failure.

const linger = (code: string) => ({ command: process.execPath, args: ['-e', code] });
const suite = hubSuite({
  spawn: { stopGraceMs: 300 },
  templates: {
    // Ends at once on SIGTERM, as a well-behaved agent does.
    polite: linger('setInterval(() => {}, 1000)'),
    // Ignores SIGTERM: only SIGKILL ends it.
    stubborn: linger('process.on("SIGTERM", () => console.log("ignoring SIGTERM")); console.log("ready"); setInterval(() => {}, 1000)'),
  },
});

async function spawned(template: string): Promise<string> {
  const res = await suite.hub.post('/spawn', { template });
  assert.equal(res.status, 202, JSON.stringify(res.body));
  const id = res.body.agentId as string;
  await until(`${id} running`, async () => ((await suite.hub.get(`/agents/${id}`)).body.status === 'running' ? true : undefined));
  return id;
}

async function ending(agentId: string): Promise<EventEnvelope> {
  return until(`the end of ${agentId}`, async () => ((await suite.hub.get(`/events?agent=${agentId}&types=agent.exited,agent.failed`)).body.events as EventEnvelope[])[0]);
}

describe('stopping an agent the hub started', () => {
  test('SIGTERM ends it; its end is agent.exited by the hub, naming who stopped it, and its status is exited', async () => {
    const id = await spawned('polite');
    const res = await suite.hub.post(`/agents/${id}/stop`, { reason: 'done with it' });
    assert.equal(res.status, 202, JSON.stringify(res.body));
    assert.equal(res.body.id, id);
    const [asked] = (await suite.hub.get(`/events?agent=${id}&types=agent.stop_requested`)).body.events as EventEnvelope[];
    assert.match(String(asked!.data.by), /^operator:/);
    assert.equal(asked!.data.reason, 'done with it');
    const end = await ending(id);
    assert.deepEqual([end.type, end.actor, end.data.signal, end.data.stoppedBy], ['agent.exited', `runner:${suite.hub.runner!.runner.runnerId}`, 'SIGTERM', asked!.data.by]);
    assert.equal((await suite.hub.get(`/agents/${id}`)).body.status, 'exited');
  });

  test('an agent that ignores SIGTERM gets SIGKILL once spawn.stopGraceMs has passed', async () => {
    const id = await spawned('stubborn');
    // Stopped only once it has said its SIGTERM handler is in place, or the SIGTERM could come first.
    await until(`${id} ready`, async () => (((await suite.hub.get(`/events?agent=${id}&types=agent.output`)).body.events as EventEnvelope[]).some((e) => e.data.line === 'ready') ? true : undefined));
    assert.equal((await suite.hub.post(`/agents/${id}/stop`, {})).status, 202);
    const end = await ending(id);
    assert.deepEqual([end.type, end.data.signal, end.data.code], ['agent.exited', 'SIGKILL', null]);
  });

  test('an ended agent, an unknown one and one that registered itself: a 409, a 404, a 409, nothing logged', async () => {
    const id = await spawned('polite');
    assert.equal((await suite.hub.post(`/agents/${id}/stop`, {})).status, 202);
    await ending(id);
    assertHubProblem(await suite.hub.post(`/agents/${id}/stop`, {}), 409, 'conflict', /already exited/);
    assertHubProblem(await suite.hub.post('/agents/agt_nobody/stop', {}), 404, 'not_found', /agt_nobody/);
    assert.equal((await suite.hub.post('/agents/agt_self_made/heartbeat', {}, bearer(await suite.hub.mint('agent', 'agt_self_made')))).status, 200);
    assertHubProblem(await suite.hub.post('/agents/agt_self_made/stop', {}), 409, 'conflict', /registered itself/);
    const asks = (await suite.hub.get('/events?types=agent.stop_requested')).body.events as EventEnvelope[];
    assert.equal(asks.filter((e) => e.agentId === id).length, 1, 'only the first stop of the agent was logged');
    assert.equal(asks.filter((e) => e.agentId === 'agt_self_made' || e.agentId === 'agt_nobody').length, 0);
  });

  test('a body that is not a stop request is a 400 naming the field', async () => {
    const id = await spawned('polite');
    assertHubProblem(await suite.hub.post(`/agents/${id}/stop`, { reason: '' }), 400, 'validation_failed', /\/reason/);
    assertHubProblem(await suite.hub.post(`/agents/${id}/stop`, { signal: 'SIGKILL' }), 400, 'validation_failed', /unknown property "signal"/);
    assert.equal((await suite.hub.get(`/agents/${id}`)).body.status, 'running', 'a refused stop stops nothing');
    assert.equal((await suite.hub.post(`/agents/${id}/stop`, {})).status, 202);
    await ending(id);
    const asks = (await suite.hub.get(`/events?agent=${id}&types=agent.stop_requested`)).body.events as EventEnvelope[];
    assert.equal(asks.length, 1, 'the refused stops logged nothing');
  });
});
