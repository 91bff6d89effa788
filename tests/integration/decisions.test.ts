import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { sql } from 'kysely';
import { ask, bearer, call, eventTypes } from '../helpers/decisions.ts';
import { hubSuite } from '../helpers/hub-suite.ts';
import { assertProblem, assertRefusedWithoutAppend } from '../helpers/problem.ts';

const suite = hubSuite({ timers: { tickMs: 3_600_000 } });

const viewKeys = ['agentId', 'approvals', 'comment', 'context', 'createdAt', 'escalatedTo', 'expiresAt', 'id', 'onTimeout', 'options', 'outcome', 'projectId', 'requestedBy', 'resolvedAt', 'resolvedBy', 'risk', 'status', 'taskId', 'title', 'tool'];

describe('POST /decisions', () => {
  test('an operator asks a medium decision: 201 with the pending view and defaults filled in', async () => {
    const before = Date.now();
    const res = await call(suite.hub, 'POST', '/decisions', { title: 'Deploy to production?', risk: 'medium' });
    assert.equal(res.status, 201, res.text);
    const view = res.body;
    assert.deepEqual(Object.keys(view).sort(), viewKeys);
    assert.match(view.id, /^dec_[A-Za-z0-9]+$/);
    assert.deepEqual(
      { ...view, id: undefined, expiresAt: undefined, createdAt: undefined, requestedBy: undefined },
      {
        id: undefined, title: 'Deploy to production?', context: '', options: ['approve', 'deny'], risk: 'medium', status: 'pending', outcome: null, projectId: 'default',
        approvals: [], resolvedBy: null, comment: null, expiresAt: undefined, onTimeout: 'deny', agentId: null, taskId: null,
        requestedBy: undefined, createdAt: undefined, resolvedAt: null, escalatedTo: null, tool: null,
      },
    );
    assert.match(view.requestedBy, /^operator:/);
    const deadline = Date.parse(view.expiresAt) - before;
    assert.ok(Math.abs(deadline - suite.hub.config.decisions.defaultExpiresInSec * 1000) < 5000, `deadline in ${deadline} ms`);
    assert.deepEqual(await eventTypes(suite.hub, view.id), ['decision.requested']);
  });

  test('the request is logged with its data and subjects', async () => {
    const view = await ask(suite.hub, { context: 'tests pass', options: ['ship', 'hold'], risk: 'high', expiresInSec: 600, onTimeout: 'escalate', taskId: 'tsk_9', agentId: 'agt_9' });
    const { rows } = await sql<any>`select * from events where decision_id = ${view.id}`.execute(suite.hub.db);
    assert.equal(rows.length, 1);
    assert.deepEqual([rows[0].type, rows[0].agent_id, rows[0].task_id], ['decision.requested', 'agt_9', 'tsk_9']);
    assert.deepEqual(rows[0].data, { title: 'Deploy to production?', context: 'tests pass', options: ['ship', 'hold'], risk: 'high', expiresAt: view.expiresAt, onTimeout: 'escalate' });
  });

  test('a low-risk decision is approved by policy at once, and both events are logged', async () => {
    const view = await ask(suite.hub, { risk: 'low' });
    assert.deepEqual([view.status, view.outcome, view.resolvedBy, view.comment], ['resolved', 'approve', 'policy', 'approved by policy: low risk']);
    assert.deepEqual(view.approvals.map((a: any) => a.by), ['policy']);
    assert.equal(typeof view.resolvedAt, 'string');
    assert.deepEqual(await eventTypes(suite.hub, view.id), ['decision.requested', 'decision.resolved']);
  });

  test('an agent asks for itself: the decision carries its agent id', async () => {
    const agent = bearer(await suite.hub.mint('agent', 'agt_ask'));
    const view = await ask(suite.hub, {}, agent);
    assert.deepEqual([view.agentId, view.requestedBy], ['agt_ask', 'agent:agt_ask']);
    assert.equal((await ask(suite.hub, { agentId: 'agt_ask' }, agent)).agentId, 'agt_ask');
  });

  test("an agent asking for another agent is a 403", async () => {
    const agent = bearer(await suite.hub.mint('agent', 'agt_self'));
    await assertRefusedWithoutAppend(suite.hub.db, () => call(suite.hub, 'POST', '/decisions', { title: 'x', risk: 'medium', agentId: 'agt_other' }, agent), {
      status: 403,
      code: 'forbidden',
      detail: /own agent \("agt_self"\)/,
    });
  });

  test('the healer asks on behalf of an agent', async () => {
    const view = await ask(suite.hub, { agentId: 'agt_failed', risk: 'high' }, bearer(await suite.hub.mint('healer')));
    assert.deepEqual([view.agentId, view.requestedBy], ['agt_failed', 'healer']);
  });

  test('a viewer may not ask: 403', async () => {
    const viewer = bearer(await suite.hub.mint('viewer'));
    assertProblem(await call(suite.hub, 'POST', '/decisions', { title: 'x', risk: 'medium' }, viewer), 403, 'forbidden', /viewer.*POST \/decisions/);
  });

  test('a retry with the same Idempotency-Key returns the same decision: 200, one event', async () => {
    const headers = { ...suite.hub.auth, 'idempotency-key': 'ask-retry-1' };
    const first = await call(suite.hub, 'POST', '/decisions', { title: 'Retry me', risk: 'high' }, headers);
    const again = await call(suite.hub, 'POST', '/decisions', { title: 'Retry me', risk: 'high' }, headers);
    assert.deepEqual([first.status, again.status], [201, 200]);
    assert.deepEqual(again.body, first.body);
    assert.deepEqual(await eventTypes(suite.hub, first.body.id), ['decision.requested']);
  });

  test('concurrent retries under one key open one decision', async () => {
    const headers = { ...suite.hub.auth, 'idempotency-key': 'ask-concurrent-1' };
    const answers = await Promise.all(Array.from({ length: 5 }, () => call(suite.hub, 'POST', '/decisions', { title: 'Once', risk: 'high' }, headers)));
    assert.deepEqual(answers.map((a) => a.status).sort(), [200, 200, 200, 200, 201]);
    assert.equal(new Set(answers.map((a) => a.body.id)).size, 1);
  });

  test('the same key with another request is a 409 idempotency_conflict', async () => {
    const headers = { ...suite.hub.auth, 'idempotency-key': 'ask-conflict-1' };
    await ask(suite.hub, { title: 'First' }, headers);
    await assertRefusedWithoutAppend(suite.hub.db, () => call(suite.hub, 'POST', '/decisions', { title: 'Second', risk: 'medium' }, headers), {
      status: 409,
      code: 'idempotency_conflict',
      detail: /ask-conflict-1.*new key/,
    });
  });

  test("two askers' keys never meet: the same key opens a decision for each", async () => {
    const a = await ask(suite.hub, {}, { ...bearer(await suite.hub.mint('agent', 'agt_k1')), 'idempotency-key': 'k' });
    const b = await ask(suite.hub, {}, { ...bearer(await suite.hub.mint('agent', 'agt_k2')), 'idempotency-key': 'k' });
    assert.notEqual(a.id, b.id);
  });

  const badBodies: Array<[string, unknown, RegExp]> = [
    ['no title', { risk: 'medium' }, /title/],
    ['no risk', { title: 'x' }, /risk/],
    ['an unknown risk', { title: 'x', risk: 'extreme' }, /\/risk must be one of: low, medium, high, red/],
    ['an empty title', { title: '', risk: 'medium' }, /\/title/],
    ['an unknown property', { title: 'x', risk: 'medium', urgent: true }, /unknown property "urgent"/],
    ['expiresInSec 0', { title: 'x', risk: 'medium', expiresInSec: 0 }, /\/expiresInSec/],
    ['a fractional expiresInSec', { title: 'x', risk: 'medium', expiresInSec: 1.5 }, /\/expiresInSec must be integer/],
    ['no options', { title: 'x', risk: 'medium', options: [] }, /\/options/],
    ['repeated options', { title: 'x', risk: 'medium', options: ['a', 'a'] }, /\/options/],
    ['an unknown onTimeout', { title: 'x', risk: 'medium', onTimeout: 'retry' }, /\/onTimeout must be one of: deny, approve, escalate/],
    ['a NUL in the title', { title: 'a\u0000b', risk: 'medium' }, /\/title contains a NUL/],
    ['an unpaired surrogate in an option', { title: 'x', risk: 'medium', options: ['ok', '\ud800'] }, /\/options\/1 contains .*surrogate/],
    ['a red decision approved by timeout', { title: 'x', risk: 'red', onTimeout: 'approve' }, /red.*deny.*escalate/],
    ['a body that is not an object', ['x'], /must be object/],
  ];
  for (const [what, body, detail] of badBodies) {
    test(`${what} is a 400 validation_failed that says what to fix`, async () => {
      await assertRefusedWithoutAppend(suite.hub.db, () => call(suite.hub, 'POST', '/decisions', body), { status: 400, code: 'validation_failed', detail });
    });
  }

  test('a body that is not JSON is a 400 invalid_json', async () => {
    const res = await fetch(`${suite.hub.url}/decisions`, { method: 'POST', headers: { ...suite.hub.auth, 'content-type': 'application/json' }, body: '{"title":' });
    assert.equal(res.status, 400);
    assert.equal((await res.json()).code, 'invalid_json');
  });

  test('a malformed Idempotency-Key is a 400', async () => {
    await assertRefusedWithoutAppend(suite.hub.db, () => call(suite.hub, 'POST', '/decisions', { title: 'x', risk: 'medium' }, { ...suite.hub.auth, 'idempotency-key': 'has space' }), {
      status: 400,
      code: 'validation_failed',
      detail: /Idempotency-Key header/,
    });
  });
});

describe('GET /decisions and /decisions/:id', () => {
  test('one decision by id, as its view', async () => {
    const view = await ask(suite.hub, { title: 'Read me' });
    const res = await call(suite.hub, 'GET', `/decisions/${view.id}`, undefined, bearer(await suite.hub.mint('viewer')));
    assert.equal(res.status, 200);
    assert.deepEqual(res.body, view);
  });

  test('an unknown id is a 404', async () => {
    assertProblem(await call(suite.hub, 'GET', '/decisions/dec_nope'), 404, 'not_found', /no decision dec_nope/);
  });

  test('the inbox lists pending first, soonest deadline first, then the rest newest first', async () => {
    const late = await ask(suite.hub, { title: 'late', expiresInSec: 9000 });
    const soon = await ask(suite.hub, { title: 'soon', expiresInSec: 60 });
    const done1 = await ask(suite.hub, { title: 'done 1', risk: 'low' });
    const done2 = await ask(suite.hub, { title: 'done 2', risk: 'low' });
    const { body } = await call(suite.hub, 'GET', '/decisions?limit=1000');
    const ids = body.decisions.map((d: any) => d.id);
    const at = (id: string) => ids.indexOf(id);
    assert.ok(at(soon.id) < at(late.id), 'soonest deadline first');
    assert.ok(at(late.id) < at(done2.id), 'pending before the rest');
    assert.ok(at(done2.id) < at(done1.id), 'the rest newest first');
    const statuses = body.decisions.map((d: any) => d.status);
    assert.equal(statuses.lastIndexOf('pending'), statuses.filter((s: string) => s === 'pending').length - 1);
    assert.deepEqual(Object.keys(body.decisions[0]).sort(), viewKeys);
  });

  test('?status= filters', async () => {
    await ask(suite.hub, { risk: 'low' });
    await ask(suite.hub, {});
    for (const status of ['pending', 'resolved']) {
      const { body } = await call(suite.hub, 'GET', `/decisions?status=${status}`);
      assert.ok(body.decisions.length > 0);
      assert.ok(body.decisions.every((d: any) => d.status === status), status);
    }
    assert.deepEqual((await call(suite.hub, 'GET', '/decisions?status=cancelled')).body, { decisions: [] });
  });

  test('an unknown ?status= is a 400 naming the statuses', async () => {
    assertProblem(await call(suite.hub, 'GET', '/decisions?status=open'), 400, 'validation_failed', /pending, resolved, expired, cancelled/);
  });

  test('a bad ?limit= is a 400', async () => {
    assertProblem(await call(suite.hub, 'GET', '/decisions?limit=0'), 400, 'validation_failed', /limit must be an integer from 1 to 1000/);
  });
});
