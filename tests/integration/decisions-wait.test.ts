import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ask, bearer, call, resolve } from '../helpers/decisions.ts';
import { hubSuite } from '../helpers/hub-suite.ts';
import { assertProblem } from '../helpers/problem.ts';

// A request timeout shorter than the waits: a long-poll must outlive it.
const suite = hubSuite({ timers: { tickMs: 3_600_000 }, http: { headersTimeoutMs: 1000, requestTimeoutMs: 1000 } });

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Waits for `n` fan-out subscribers (the waits listening), or fails after 5 s. */
async function subscribers(n: number): Promise<void> {
  for (let waited = 0; suite.hub.fanout.subscriberCount !== n; waited += 10) {
    if (waited > 5000) assert.fail(`expected ${n} fan-out subscribers, have ${suite.hub.fanout.subscriberCount}`);
    await sleep(10);
  }
}

describe('GET /decisions/:id/wait', () => {
  test('a resolution stored before the wait is answered at once', async () => {
    const agent = bearer(await suite.hub.mint('agent', 'agt_late'));
    const { id } = await ask(suite.hub, {}, agent);
    await resolve(suite.hub, id, 'approve', suite.hub.auth, 'go ahead');
    const started = Date.now();
    const res = await call(suite.hub, 'GET', `/decisions/${id}/wait?timeout=30`, undefined, agent);
    // Far below the 30 s timeout, with room for a loaded machine: how fast is for npm run bench.
    assert.ok(Date.now() - started < 10_000, `took ${Date.now() - started} ms`);
    assert.deepEqual([res.status, res.body.status, res.body.outcome, res.body.comment], [200, 'resolved', 'approve', 'go ahead']);
  });

  test('an agent waits; an operator resolves 200 ms later; the wait answers with the outcome, long before its timeout', async () => {
    const agent = bearer(await suite.hub.mint('agent', 'agt_wait'));
    const { id } = await ask(suite.hub, {}, agent);
    const started = Date.now();
    const waiting = call(suite.hub, 'GET', `/decisions/${id}/wait?timeout=30`, undefined, agent);
    await sleep(200);
    assert.equal((await resolve(suite.hub, id, 'deny', suite.hub.auth, 'not today')).status, 200);
    const res = await waiting;
    const took = Date.now() - started;
    assert.ok(took < 10_000, `took ${took} ms of a 30 s timeout`);
    assert.deepEqual([res.status, res.body.id, res.body.status, res.body.outcome, res.body.comment], [200, id, 'resolved', 'deny', 'not today']);
    await subscribers(0);
  });

  test('a wait still pending at its timeout answers 200 with the pending view, after about the timeout', async () => {
    const { id } = await ask(suite.hub, {});
    const started = Date.now();
    const res = await call(suite.hub, 'GET', `/decisions/${id}/wait?timeout=1`);
    const took = Date.now() - started;
    assert.ok(took >= 950 && took < 10_000, `took ${took} ms`);
    assert.deepEqual([res.status, res.body.id, res.body.status], [200, id, 'pending']);
    await subscribers(0);
  });

  test('a long-poll outlives the request timeout of the server', async () => {
    const { id } = await ask(suite.hub, {});
    const res = await call(suite.hub, 'GET', `/decisions/${id}/wait?timeout=2`);
    assert.deepEqual([res.status, res.body.status], [200, 'pending']);
  });

  test('the first of two red approvals does not end the wait', async () => {
    const { id } = await ask(suite.hub, { risk: 'red' }, bearer(suite.hub.adminToken));
    const waiting = call(suite.hub, 'GET', `/decisions/${id}/wait?timeout=1`);
    await subscribers(1);
    await resolve(suite.hub, id, 'approve');
    const res = await waiting;
    assert.deepEqual([res.body.status, res.body.approvals.length], ['pending', 1]);
  });

  test('waits on other decisions are not woken', async () => {
    const mine = await ask(suite.hub, {});
    const other = await ask(suite.hub, {});
    const started = Date.now();
    const waiting = call(suite.hub, 'GET', `/decisions/${mine.id}/wait?timeout=1`);
    await subscribers(1);
    await resolve(suite.hub, other.id, 'approve');
    const res = await waiting;
    assert.ok(Date.now() - started >= 950);
    assert.equal(res.body.status, 'pending');
  });

  test('many waiters on one decision all get the answer', async () => {
    const { id } = await ask(suite.hub, {});
    const waits = Array.from({ length: 10 }, () => call(suite.hub, 'GET', `/decisions/${id}/wait?timeout=30`));
    await subscribers(10);
    await resolve(suite.hub, id, 'approve');
    const answers = await Promise.all(waits);
    assert.deepEqual(new Set(answers.map((a) => `${a.status} ${a.body.outcome}`)), new Set(['200 approve']));
    await subscribers(0);
  });

  test('a client that goes away stops listening', async () => {
    const { id } = await ask(suite.hub, {});
    const controller = new AbortController();
    const waiting = fetch(`${suite.hub.url}/decisions/${id}/wait?timeout=60`, { headers: suite.hub.auth, signal: controller.signal }).catch(() => undefined);
    await subscribers(1);
    controller.abort();
    await waiting;
    await subscribers(0);
  });

  for (const timeout of ['0', '301', 'abc', '1.5', '-1']) {
    test(`timeout=${timeout} is a 400`, async () => {
      const { id } = await ask(suite.hub, {});
      assertProblem(await call(suite.hub, 'GET', `/decisions/${id}/wait?timeout=${timeout}`), 400, 'validation_failed', /timeout must be an integer from 1 to 300 seconds/);
    });
  }

  test('an unknown decision is a 404', async () => {
    assertProblem(await call(suite.hub, 'GET', '/decisions/dec_unknown/wait?timeout=1'), 404, 'not_found', /no decision dec_unknown/);
  });

  test("an agent may not wait on another agent's decision: 403", async () => {
    const { id } = await ask(suite.hub, {}, bearer(await suite.hub.mint('agent', 'agt_owner')));
    const stranger = bearer(await suite.hub.mint('agent', 'agt_stranger'));
    assertProblem(await call(suite.hub, 'GET', `/decisions/${id}/wait?timeout=1`, undefined, stranger), 403, 'forbidden', /own decisions/);
  });

  test("an agent may not wait on an operator's decision that is not about it: 403", async () => {
    const { id } = await ask(suite.hub, {});
    const agent = bearer(await suite.hub.mint('agent', 'agt_nosy'));
    assertProblem(await call(suite.hub, 'GET', `/decisions/${id}/wait?timeout=1`, undefined, agent), 403, 'forbidden', /own decisions/);
  });

  test('an agent waits on a decision the healer asked for it', async () => {
    const { id } = await ask(suite.hub, { agentId: 'agt_healed' }, bearer(await suite.hub.mint('healer')));
    await resolve(suite.hub, id, 'approve');
    const res = await call(suite.hub, 'GET', `/decisions/${id}/wait?timeout=1`, undefined, bearer(await suite.hub.mint('agent', 'agt_healed')));
    assert.deepEqual([res.status, res.body.outcome], [200, 'approve']);
  });

  test('a viewer may not wait: 403', async () => {
    const { id } = await ask(suite.hub, {});
    assertProblem(await call(suite.hub, 'GET', `/decisions/${id}/wait`, undefined, bearer(await suite.hub.mint('viewer'))), 403, 'forbidden', /viewer/);
  });
});
