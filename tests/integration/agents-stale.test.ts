import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { sql } from 'kysely';
import { newEvent } from '../../server/log/new-event.ts';
import { ManualClock } from '../helpers/clock.ts';
import { hubSuite } from '../helpers/hub-suite.ts';
import { bearer } from '../helpers/hub.ts';

const staleAfterMs = 60_000;
// Starts now: events are recorded at the database's time, heartbeats at this clock's.
const clock = new ManualClock(new Date());
const suite = hubSuite({ timers: { tickMs: 3_600_000 }, agents: { staleAfterMs } }, [], clock);


async function heartbeat(id: string, headers: Record<string, string>): Promise<any> {
  const res = await suite.hub.post(`/agents/${id}/heartbeat`, {}, headers);
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body;
}

async function typesOf(agentId: string): Promise<string[]> {
  const { rows } = await sql<{ type: string }>`select type from events where agent_id = ${agentId} order by seq`.execute(suite.hub.db);
  return rows.map((r) => r.type);
}

const status = async (id: string) => (await suite.hub.get(`/agents/${id}`)).body.status as string;

describe('the stale timer', () => {
  test('heartbeats keep an agent running; silence past the limit makes it stale, once; a heartbeat recovers it', async () => {
    const headers = bearer(await suite.hub.mint('agent', 'agt_beat'));
    await heartbeat('agt_beat', headers);
    clock.advance(50_000);
    const seen = clock.now().toISOString();
    assert.equal((await heartbeat('agt_beat', headers)).lastSeenAt, seen, 'lastSeenAt is the heartbeat, by the hub clock');
    clock.advance(50_000);
    assert.equal(await suite.hub.timers.tick(), true);
    assert.equal(await status('agt_beat'), 'running');

    clock.advance(staleAfterMs);
    await suite.hub.timers.tick();
    assert.equal(await status('agt_beat'), 'stale');
    await suite.hub.timers.tick();
    const { rows } = await sql<{ data: any }>`select data from events where agent_id = 'agt_beat' and type = 'agent.stale'`.execute(suite.hub.db);
    assert.deepEqual(rows.map((r) => r.data), [{ lastSeenAt: seen }], 'one agent.stale however often the timer ticks');

    const back = await heartbeat('agt_beat', headers);
    assert.equal(back.status, 'running');
    assert.equal(back.lastSeenAt, clock.now().toISOString());
    assert.deepEqual(await typesOf('agt_beat'), ['agent.registered', 'agent.stale', 'agent.recovered']);
    await heartbeat('agt_beat', headers);
    assert.equal((await typesOf('agt_beat')).length, 3, 'a second heartbeat recovers nothing more');
  });

  test('an agent that goes stale again is marked stale and recovered again', async () => {
    const headers = bearer(await suite.hub.mint('agent', 'agt_twice'));
    await heartbeat('agt_twice', headers);
    for (let round = 0; round < 2; round++) {
      clock.advance(staleAfterMs + 1000);
      await suite.hub.timers.tick();
      assert.equal(await status('agt_twice'), 'stale');
      await heartbeat('agt_twice', headers);
    }
    assert.deepEqual(await typesOf('agt_twice'), ['agent.registered', 'agent.stale', 'agent.recovered', 'agent.stale', 'agent.recovered']);
  });

  test('an event the stale agent appends itself recovers it', async () => {
    const headers = bearer(await suite.hub.mint('agent', 'agt_speaks'));
    await heartbeat('agt_speaks', headers);
    clock.advance(staleAfterMs + 1000);
    await suite.hub.timers.tick();
    assert.equal(await status('agt_speaks'), 'stale');
    assert.equal((await suite.hub.post('/events', { type: 'x.progress', data: { step: 2 } }, headers)).status, 201);
    assert.equal(await status('agt_speaks'), 'running');
    assert.deepEqual(await typesOf('agt_speaks'), ['agent.registered', 'agent.stale', 'x.progress', 'agent.recovered']);
  });

  test('an agent awaiting a decision goes stale and recovers to awaiting_decision', async () => {
    const headers = bearer(await suite.hub.mint('agent', 'agt_waits'));
    await heartbeat('agt_waits', headers);
    const data = { title: 't', context: '', options: ['approve', 'deny'], risk: 'medium', expiresAt: new Date(Date.now() + 3_600_000).toISOString(), onTimeout: 'deny' };
    await suite.hub.appender.append([newEvent({ type: 'decision.requested', data, actor: 'agent:agt_waits', agentId: 'agt_waits', decisionId: 'dec_waits' })]);
    clock.advance(staleAfterMs + 1000);
    await suite.hub.timers.tick();
    assert.equal(await status('agt_waits'), 'stale');
    assert.equal((await heartbeat('agt_waits', headers)).status, 'awaiting_decision');
  });

  test('paused and ended agents never go stale', async () => {
    const paused = bearer(await suite.hub.mint('agent', 'agt_resting'));
    await heartbeat('agt_resting', paused);
    assert.equal((await suite.hub.post('/agents/agt_resting/pause', {})).status, 200);
    const ended = bearer(await suite.hub.mint('agent', 'agt_done'));
    await heartbeat('agt_done', ended);
    assert.equal((await suite.hub.post('/events', { type: 'agent.exited', data: { code: 0 } }, ended)).status, 201);
    clock.advance(10 * staleAfterMs);
    await suite.hub.timers.tick();
    assert.equal(await status('agt_resting'), 'paused');
    assert.equal(await status('agt_done'), 'exited');
  });
});
