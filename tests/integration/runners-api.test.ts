// The runner endpoints at the edge: bad bodies and query parameters are 400s that say what to fix,
// a runner acts only for itself, and an agent no longer waiting to start is not started again.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { newEvent } from '../../server/log/new-event.ts';
import { hubSuite } from '../helpers/hub-suite.ts';
import { bearer } from '../helpers/hub.ts';
import { assertHubProblem } from '../helpers/problem.ts';

const suite = hubSuite();
const registration = { name: 'edge', labels: { os: 'linux' }, capacity: 1, templates: [], agents: [] };

async function runner(): Promise<{ headers: Record<string, string>; id: string }> {
  const headers = bearer(await suite.hub.mint('runner'));
  const res = await suite.hub.post('/runners', registration, headers);
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return { headers, id: res.body.runnerId as string };
}

describe('the runner endpoints refuse bad input', () => {
  test('a registration that is not the schema is a 400 naming the field, and registers nothing', async () => {
    const headers = bearer(await suite.hub.mint('runner'));
    for (const [body, field] of [
      [{ ...registration, capacity: 0 }, '/capacity'],
      [{ ...registration, name: 'has space' }, '/name'],
      [{ ...registration, labels: { 'bad key!': 'x' } }, '/labels'],
      [{ ...registration, agents: undefined }, 'agents'],
    ] as const) {
      const answer = assertHubProblem(await suite.hub.post('/runners', body, headers), 400, 'validation_failed', /./);
      assert.ok(JSON.stringify(answer.errors).includes(field), `${field}: ${JSON.stringify(answer.errors)}`);
    }
    assert.equal((await suite.hub.client.runners.list()).length, 0);
  });

  test('a poll with a bad cursor or wait is a 400; an unknown parameter too; one for another runner a 403', async () => {
    const { headers, id } = await runner();
    for (const query of ['after=-1', 'after=abc', 'wait=999999', 'wait=x', 'limit=5']) {
      assertHubProblem(await suite.hub.get(`/runners/${id}/work?${query}`, headers), 400, 'validation_failed', /./);
    }
    assertHubProblem(await suite.hub.get('/runners/rnr_someone_else/work?wait=0', headers), 403, 'forbidden', /acts only for its own runner/);
    assert.deepEqual((await suite.hub.get(`/runners/${id}/work?wait=0`, headers)).body, { work: [], after: 0 });
  });

  test('starting an agent not assigned to it is a 403, one that no longer waits to start a 409', async () => {
    const { headers, id } = await runner();
    assertHubProblem(await suite.hub.post(`/runners/${id}/agents/agt_nobody/start`, {}, headers), 403, 'forbidden', /not assigned to runner/);
    const agentId = 'agt_edge_ended';
    await suite.hub.appender.append([
      newEvent({ type: 'agent.spawn_requested', data: { template: 'gone', name: 'edge' }, actor: 'hub', agentId }),
      newEvent({ type: 'agent.assigned', data: { runnerId: id }, actor: 'hub', agentId }),
      newEvent({ type: 'agent.exited', data: { code: null, signal: null, stoppedBy: 'operator:x' }, actor: 'hub', agentId }),
    ]);
    assertHubProblem(await suite.hub.post(`/runners/${id}/agents/${agentId}/start`, {}, headers), 409, 'conflict', /only an agent waiting to start is started/);
  });
});
