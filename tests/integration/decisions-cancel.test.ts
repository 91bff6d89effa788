import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { sql } from 'kysely';
import { ask, bearer, call, eventTypes, resolve } from '../helpers/decisions.ts';
import { hubSuite } from '../helpers/hub-suite.ts';
import { assertProblem, assertRefusedWithoutAppend, send } from '../helpers/problem.ts';

const suite = hubSuite({ timers: { tickMs: 3_600_000 } });

let fresh = 0;

/** A new agent's token headers and id; its first request registers it. */
async function newAgent(): Promise<{ id: string; headers: Record<string, string> }> {
  const id = `agt_cancel_${++fresh}`;
  return { id, headers: bearer(await suite.hub.mint('agent', id)) };
}

function cancel(id: string, body: unknown, headers: Record<string, string> = suite.hub.auth) {
  return call(suite.hub, 'POST', `/decisions/${id}/cancel`, body, headers);
}

async function cancelEvent(decisionId: string): Promise<any> {
  const { rows } = await sql<any>`select * from events where decision_id = ${decisionId} and type = 'decision.cancelled'`.execute(suite.hub.db);
  assert.equal(rows.length, 1, 'one decision.cancelled');
  return rows[0];
}

describe('an asking agent that ends', () => {
  test('agent.failed cancels its pending decision, caused by the failure, and the agent no longer waits', async () => {
    const agent = await newAgent();
    const decision = await ask(suite.hub, { title: 'Push to main?' }, agent.headers);
    assert.equal((await suite.hub.get(`/agents/${agent.id}`)).body.status, 'awaiting_decision');

    const failed = await suite.hub.post('/events', { type: 'agent.failed', data: { code: 1, error: 'ECONNRESET' } }, agent.headers);
    assert.equal(failed.status, 201, JSON.stringify(failed.body));

    const view = (await suite.hub.get(`/decisions/${decision.id}`)).body;
    assert.deepEqual([view.status, view.resolvedBy, view.comment], ['cancelled', 'hub', `the asking agent ${agent.id} failed (code 1): ECONNRESET`]);
    const event = await cancelEvent(decision.id);
    assert.deepEqual([event.actor, event.causation_id, event.idempotency_key], ['hub', failed.body.id, `decision:${decision.id}:cancelled-by:${failed.body.id}`]);
    const agentView = (await suite.hub.get(`/agents/${agent.id}`)).body;
    assert.deepEqual([agentView.status, agentView.pendingDecisionId], ['failed', null]);
    const inbox = (await suite.hub.get('/decisions?status=pending')).body.decisions.map((d: any) => d.id);
    assert.ok(!inbox.includes(decision.id), 'it left the inbox');
  });

  test('agent.exited cancels every decision it still waits on, and no settled one', async () => {
    const agent = await newAgent();
    const first = await ask(suite.hub, { title: 'one' }, agent.headers);
    const second = await ask(suite.hub, { title: 'two' }, agent.headers);
    const answered = await ask(suite.hub, { title: 'three' }, agent.headers);
    assert.equal((await resolve(suite.hub, answered.id, 'approve')).status, 200);
    assert.equal((await suite.hub.post('/events', { type: 'agent.exited', data: { code: 0 } }, agent.headers)).status, 201);
    for (const id of [first.id, second.id]) assert.equal((await suite.hub.get(`/decisions/${id}`)).body.status, 'cancelled');
    assert.deepEqual(await eventTypes(suite.hub, answered.id), ['decision.requested', 'decision.resolved']);
  });

  test('a decision an operator asked about the agent stays open: the operator still wants an answer', async () => {
    const agent = await newAgent();
    await suite.hub.post(`/agents/${agent.id}/heartbeat`, {}, agent.headers);
    const decision = await ask(suite.hub, { agentId: agent.id });
    assert.equal((await suite.hub.post('/events', { type: 'agent.failed', data: { error: 'boom' } }, agent.headers)).status, 201);
    assert.equal((await suite.hub.get(`/decisions/${decision.id}`)).body.status, 'pending');
  });

  test('a wait on the cancelled decision answers the cancelled view at once', async () => {
    const agent = await newAgent();
    const decision = await ask(suite.hub, {}, agent.headers);
    assert.equal((await suite.hub.post('/events', { type: 'agent.failed', data: { error: 'boom' } }, agent.headers)).status, 201);
    const started = Date.now();
    const waited = await call(suite.hub, 'GET', `/decisions/${decision.id}/wait?timeout=30`, undefined, agent.headers);
    assert.equal(waited.body.status, 'cancelled');
    assert.ok(Date.now() - started < 5000, 'answered at once');
  });
});

describe('POST /decisions/:id/cancel', () => {
  test('the asking agent withdraws its decision with a reason: 200, the cancelled view, and it no longer waits', async () => {
    const agent = await newAgent();
    const decision = await ask(suite.hub, {}, agent.headers);
    const res = await cancel(decision.id, { reason: 'found another way' }, agent.headers);
    assert.equal(res.status, 200, res.text);
    assert.deepEqual([res.body.status, res.body.resolvedBy, res.body.comment], ['cancelled', `agent:${agent.id}`, 'found another way']);
    assert.deepEqual((await cancelEvent(decision.id)).data, { by: `agent:${agent.id}`, reason: 'found another way' });
    const agentView = (await suite.hub.get(`/agents/${agent.id}`)).body;
    assert.deepEqual([agentView.status, agentView.pendingDecisionId], ['running', null]);
  });

  test('an operator cancels any decision, with no body at all', async () => {
    const agent = await newAgent();
    const decision = await ask(suite.hub, {}, agent.headers);
    const res = await send(`${suite.hub.url}/decisions/${decision.id}/cancel`, { method: 'POST', headers: suite.hub.auth });
    assert.equal(res.status, 200, res.text);
    assert.equal(res.body.status, 'cancelled');
    assert.deepEqual((await cancelEvent(decision.id)).data, { by: res.body.resolvedBy });
  });

  test('the healer cancels a decision it asked', async () => {
    const healer = bearer(await suite.hub.mint('healer'));
    const decision = await ask(suite.hub, { risk: 'high' }, healer);
    assert.equal((await cancel(decision.id, {}, healer)).body.status, 'cancelled');
  });

  test("an agent may not cancel another agent's decision: 403, nothing logged", async () => {
    const asker = await newAgent();
    const other = await newAgent();
    const decision = await ask(suite.hub, {}, asker.headers);
    await assertRefusedWithoutAppend(suite.hub.db, () => cancel(decision.id, {}, other.headers), { status: 403, code: 'forbidden', detail: /cancels only decisions it asked.*agent:agt_cancel_/ });
  });

  test("the healer may not cancel an operator's decision: 403", async () => {
    const decision = await ask(suite.hub, {});
    const healer = bearer(await suite.hub.mint('healer'));
    await assertRefusedWithoutAppend(suite.hub.db, () => cancel(decision.id, {}, healer), { status: 403, code: 'forbidden', detail: /healer token cancels only decisions it asked/ });
  });

  test('a viewer may not cancel: 403', async () => {
    const decision = await ask(suite.hub, {});
    const viewer = bearer(await suite.hub.mint('viewer'));
    await assertRefusedWithoutAppend(suite.hub.db, () => cancel(decision.id, {}, viewer), { status: 403, code: 'forbidden', detail: /viewer.*POST \/decisions\/:id\/cancel/ });
  });

  test('an unknown decision is a 404', async () => {
    await assertRefusedWithoutAppend(suite.hub.db, () => cancel('dec_nope', {}), { status: 404, code: 'not_found', detail: /no decision dec_nope/ });
  });

  test('a resolved decision is a 409 naming the answer', async () => {
    const decision = await ask(suite.hub, {});
    assert.equal((await resolve(suite.hub, decision.id, 'deny')).status, 200);
    await assertRefusedWithoutAppend(suite.hub.db, () => cancel(decision.id, {}), { status: 409, code: 'conflict', detail: /already resolved "deny"/ });
  });

  test('cancelling twice is a 409; answering a cancelled decision is a 409', async () => {
    const decision = await ask(suite.hub, {});
    assert.equal((await cancel(decision.id, {})).status, 200);
    await assertRefusedWithoutAppend(suite.hub.db, () => cancel(decision.id, {}), { status: 409, code: 'conflict', detail: /already cancelled/ });
    assertProblem(await resolve(suite.hub, decision.id, 'approve'), 409, 'conflict', /was cancelled/);
  });

  for (const [name, body, detail] of [
    ['an unknown field', { why: 'x' }, /unknown property "why"/],
    ['a reason that is not text', { reason: 5 }, /\/reason must be string/],
    ['a reason too long', { reason: 'x'.repeat(4001) }, /\/reason must NOT have more than 4000 characters/],
    ['a reason with a NUL', { reason: 'a\u0000b' }, /\/reason contains a NUL/],
  ] as const) {
    test(`${name} is a 400 that says what to fix, and cancels nothing`, async () => {
      const decision = await ask(suite.hub, {});
      await assertRefusedWithoutAppend(suite.hub.db, () => cancel(decision.id, body), { status: 400, code: 'validation_failed', detail });
      assert.equal((await suite.hub.get(`/decisions/${decision.id}`)).body.status, 'pending');
    });
  }

  test('a body that is not JSON is a 400', async () => {
    const decision = await ask(suite.hub, {});
    await assertRefusedWithoutAppend(
      suite.hub.db,
      () => send(`${suite.hub.url}/decisions/${decision.id}/cancel`, { method: 'POST', headers: { ...suite.hub.auth, 'content-type': 'application/json' }, body: '{' }),
      { status: 400, code: 'invalid_json', detail: /not valid JSON/ },
    );
  });
});
