import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { hubSuite } from '../helpers/hub-suite.ts';
import { bearer } from '../helpers/hub.ts';
import { assertRefusedWithoutAppend, send } from '../helpers/problem.ts';

// Which event types each role may append through POST /events, written from the README, not read
// from the table in server/auth/roles.ts: the catalog types that change a view are the hub's alone.

describe('who may append what through POST /events', () => {
  const suite = hubSuite();
  const append = (body: unknown, headers: Record<string, string>) =>
    send(`${suite.hub.url}/events`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  const eventAt = async (seq: number) =>
    (await send(`${suite.hub.url}/events?after=${seq - 1}&limit=1`, { headers: { accept: 'application/json', ...suite.hub.auth } })).body.events[0];

  test('an agent may not append agent.paused: 403 naming what it may append, and nothing is stored', async () => {
    const agent = bearer(await suite.hub.mint('agent', 'agt_appender'));
    await assertRefusedWithoutAppend(suite.hub.db, () => append({ type: 'agent.paused', data: { reason: 'operator', by: 'agent' } }, agent), {
      status: 403,
      code: 'forbidden',
      detail: /agent token may not append "agent\.paused"; it may append: agent\.output/,
    });
  });

  test('an agent token naming another agent is a 403 and stores nothing', async () => {
    const agent = bearer(await suite.hub.mint('agent', 'agt_own'));
    await assertRefusedWithoutAppend(suite.hub.db, () => append({ type: 'x.note', agentId: 'agt_other', data: {} }, agent), {
      status: 403,
      code: 'forbidden',
      detail: /agent token writes events only about its own agent \("agt_own"\)/,
    });
  });

  test("an agent token's event that names no agent is about its own agent", async () => {
    const appended = await append({ type: 'x.note', data: {} }, bearer(await suite.hub.mint('agent', 'agt_named')));
    assert.equal(appended.status, 201, appended.text);
    assert.equal((await eventAt(appended.body.seq)).agentId, 'agt_named');
  });

  test("the healer's events carry the actor healer, not its token's id", async () => {
    const appended = await suite.hub.post('/events', { type: 'x.healer_note', data: {} }, bearer(await suite.hub.mint('healer')));
    assert.equal(appended.status, 201, JSON.stringify(appended.body));
    assert.equal((await eventAt(appended.body.seq)).actor, 'healer');
  });
});
