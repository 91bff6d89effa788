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

  test('an agent may not append agent.paused: 403 naming what it may append, and nothing is stored', async () => {
    const agent = bearer(await suite.hub.mint('agent', 'agt_appender'));
    await assertRefusedWithoutAppend(suite.hub.db, () => append({ type: 'agent.paused', data: { reason: 'operator', by: 'agent' } }, agent), {
      status: 403,
      code: 'forbidden',
      detail: /agent token may not append "agent\.paused"; it may append: agent\.output/,
    });
  });

  test("the healer's events carry the actor healer, not its token's id", async () => {
    const appended = await suite.hub.post('/events', { type: 'x.healer_note', data: {} }, bearer(await suite.hub.mint('healer')));
    assert.equal(appended.status, 201, JSON.stringify(appended.body));
    const page = await send(`${suite.hub.url}/events?after=${appended.body.seq - 1}&limit=1`, { headers: { accept: 'application/json', ...suite.hub.auth } });
    assert.equal(page.body.events[0].actor, 'healer');
  });
});
