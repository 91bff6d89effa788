import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { anotherOperator, ask, bearer, call, eventTypes, resolve } from '../helpers/decisions.ts';
import { hubSuite } from '../helpers/hub-suite.ts';
import { assertProblem, assertRefusedWithoutAppend } from '../helpers/problem.ts';

const suite = hubSuite({ timers: { tickMs: 3_600_000 } });

describe('POST /decisions/:id/resolve', () => {
  test('an operator approves a medium decision: 200 with the resolved view', async () => {
    const { id } = await ask(suite.hub, {});
    const res = await resolve(suite.hub, id, 'approve', suite.hub.auth, 'looks good');
    assert.equal(res.status, 200, res.text);
    assert.deepEqual([res.body.status, res.body.outcome, res.body.comment], ['resolved', 'approve', 'looks good']);
    assert.match(res.body.resolvedBy, /^operator:/);
    assert.deepEqual(res.body.approvals.map((a: any) => a.by), [res.body.resolvedBy]);
    assert.equal(typeof res.body.resolvedAt, 'string');
    assert.deepEqual(await eventTypes(suite.hub, id), ['decision.requested', 'decision.resolved']);
  });

  test('an option of the decision is an answer', async () => {
    const { id } = await ask(suite.hub, { options: ['retry', 'skip'] });
    const res = await resolve(suite.hub, id, 'skip');
    assert.deepEqual([res.status, res.body.outcome], [200, 'skip']);
  });

  test('the same answer again is idempotent: 200, no new event', async () => {
    const { id } = await ask(suite.hub, {});
    await resolve(suite.hub, id, 'deny');
    const again = await resolve(suite.hub, id, 'deny', await anotherOperator(suite.hub));
    assert.deepEqual([again.status, again.body.outcome], [200, 'deny']);
    assert.deepEqual(await eventTypes(suite.hub, id), ['decision.requested', 'decision.resolved']);
  });

  test('another answer after the first is a 409 naming the outcome and who gave it', async () => {
    const { id } = await ask(suite.hub, {});
    const first = await resolve(suite.hub, id, 'approve');
    await assertRefusedWithoutAppend(suite.hub.db, async () => resolve(suite.hub, id, 'deny'), {
      status: 409,
      code: 'conflict',
      detail: new RegExp(`already resolved "approve" by ${first.body.resolvedBy}`),
    });
  });

  test('an outcome that is not an answer is a 400 listing the answers', async () => {
    const { id } = await ask(suite.hub, { options: ['retry'] });
    await assertRefusedWithoutAppend(suite.hub.db, () => resolve(suite.hub, id, 'maybe'), { status: 400, code: 'validation_failed', detail: /approve, deny, retry/ });
  });

  for (const [what, body, detail] of [
    ['no outcome', { comment: 'x' }, /outcome/],
    ['an unknown property', { outcome: 'approve', by: 'someone' }, /unknown property "by"/],
    ['an empty outcome', { outcome: '' }, /\/outcome/],
    ['a NUL in the comment', { outcome: 'approve', comment: 'a\u0000' }, /\/comment contains a NUL/],
  ] as const) {
    test(`${what} is a 400`, async () => {
      const { id } = await ask(suite.hub, {});
      await assertRefusedWithoutAppend(suite.hub.db, () => call(suite.hub, 'POST', `/decisions/${id}/resolve`, body), { status: 400, code: 'validation_failed', detail });
    });
  }

  test('an unknown decision is a 404', async () => {
    assertProblem(await resolve(suite.hub, 'dec_missing', 'approve'), 404, 'not_found', /no decision dec_missing/);
  });

  for (const role of ['agent', 'healer', 'viewer'] as const) {
    test(`a ${role} may not resolve: 403`, async () => {
      const { id } = await ask(suite.hub, {});
      const headers = bearer(await suite.hub.mint(role, role === 'agent' ? 'agt_resolver' : undefined));
      assertProblem(await resolve(suite.hub, id, 'approve', headers), 403, 'forbidden', new RegExp(`${role}.*resolve`));
    });
  }

  test('an admin may resolve: the decision is resolved by the admin', async () => {
    const { id } = await ask(suite.hub, {});
    const res = await resolve(suite.hub, id, 'approve', bearer(suite.hub.adminToken));
    assert.equal(res.status, 200);
    assert.deepEqual([res.body.status, res.body.outcome], ['resolved', 'approve']);
    assert.match(res.body.resolvedBy, /^admin:/);
    assert.deepEqual(await eventTypes(suite.hub, id), ['decision.requested', 'decision.resolved']);
  });

  test('a red decision needs two different operators: the first approval leaves it pending', async () => {
    const { id } = await ask(suite.hub, { risk: 'red' }, bearer(suite.hub.adminToken));
    const first = await resolve(suite.hub, id, 'approve');
    assert.deepEqual([first.status, first.body.status, first.body.approvals.length], [200, 'pending', 1]);
    const again = await resolve(suite.hub, id, 'approve');
    assert.deepEqual([again.status, again.body.status, again.body.approvals.length], [200, 'pending', 1]);
    assert.deepEqual(await eventTypes(suite.hub, id), ['decision.requested', 'decision.approved_once']);
    const second = await resolve(suite.hub, id, 'approve', await anotherOperator(suite.hub));
    assert.deepEqual([second.status, second.body.status, second.body.outcome], [200, 'resolved', 'approve']);
    assert.equal(new Set(second.body.approvals.map((a: any) => a.by)).size, 2);
    assert.equal(second.body.resolvedBy, second.body.approvals[1].by);
    assert.deepEqual(await eventTypes(suite.hub, id), ['decision.requested', 'decision.approved_once', 'decision.resolved']);
  });

  test('the operator who asked a red decision cannot approve it: 403, nothing appended, and two others still can', async () => {
    const { id } = await ask(suite.hub, { risk: 'red' });
    await assertRefusedWithoutAppend(suite.hub.db, () => resolve(suite.hub, id, 'approve'), { status: 403, code: 'forbidden', detail: /asked.*two other people/ });
    assert.equal((await resolve(suite.hub, id, 'approve', bearer(suite.hub.adminToken))).body.status, 'pending');
    assertProblem(await resolve(suite.hub, id, 'approve'), 403, 'forbidden', /asked/);
    assert.equal((await resolve(suite.hub, id, 'approve', await anotherOperator(suite.hub))).body.status, 'resolved');
  });

  test('one deny resolves a red decision, even after a first approval', async () => {
    const { id } = await ask(suite.hub, { risk: 'red' }, bearer(suite.hub.adminToken));
    await resolve(suite.hub, id, 'approve');
    const denied = await resolve(suite.hub, id, 'deny', await anotherOperator(suite.hub));
    assert.deepEqual([denied.body.status, denied.body.outcome], ['resolved', 'deny']);
  });

  test('two operators answering differently at once: exactly one wins, the other gets 409', async () => {
    for (let round = 0; round < 5; round += 1) {
      const { id } = await ask(suite.hub, {});
      const [a, b] = await Promise.all([resolve(suite.hub, id, 'approve'), resolve(suite.hub, id, 'deny', await anotherOperator(suite.hub))]);
      assert.deepEqual([a.status, b.status].sort(), [200, 409], `${a.text} / ${b.text}`);
      const [winner, loser] = a.status === 200 ? [a, b] : [b, a];
      assert.match(loser.body.detail, new RegExp(`already resolved "${winner.body.outcome}"`));
      assert.deepEqual(await eventTypes(suite.hub, id), ['decision.requested', 'decision.resolved']);
    }
  });

  test('two operators giving the same answer at once: both 200, one event', async () => {
    const other = await anotherOperator(suite.hub);
    for (let round = 0; round < 5; round += 1) {
      const { id } = await ask(suite.hub, {});
      const answers = await Promise.all([resolve(suite.hub, id, 'approve'), resolve(suite.hub, id, 'approve', other)]);
      assert.deepEqual(answers.map((a) => a.status), [200, 200]);
      assert.deepEqual(await eventTypes(suite.hub, id), ['decision.requested', 'decision.resolved']);
    }
  });

  test('two red approvals at once by different operators: one first approval, one resolution', async () => {
    const { id } = await ask(suite.hub, { risk: 'red' }, bearer(suite.hub.adminToken));
    const answers = await Promise.all([resolve(suite.hub, id, 'approve'), resolve(suite.hub, id, 'approve', await anotherOperator(suite.hub))]);
    assert.deepEqual(answers.map((a) => a.status), [200, 200]);
    assert.deepEqual(await eventTypes(suite.hub, id), ['decision.requested', 'decision.approved_once', 'decision.resolved']);
  });

  test('a client using the key strings of an answer through POST /events does not stop the answer', async () => {
    const { id } = await ask(suite.hub, { risk: 'red' }, bearer(suite.hub.adminToken));
    const squatter = bearer(await suite.hub.mint('agent', 'agt_squatter'));
    for (const kind of ['resolved', 'approved_once']) {
      assert.equal((await call(suite.hub, 'POST', '/events', { type: 'x.squat', data: {}, idempotencyKey: `decision:${id}:${kind}` }, squatter)).status, 201);
    }
    assert.equal((await resolve(suite.hub, id, 'approve')).body.approvals.length, 1);
    assert.deepEqual((await resolve(suite.hub, id, 'approve', await anotherOperator(suite.hub))).body.status, 'resolved');
  });
});
