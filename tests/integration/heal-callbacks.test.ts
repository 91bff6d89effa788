import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { before, describe, test } from 'node:test';
import { hubSuite } from '../helpers/hub-suite.ts';
import { testDatabase } from '../helpers/database.ts';
import { testHealerSecret, testHub } from '../helpers/hub.ts';
import { assertProblem, countEvents, send } from '../helpers/problem.ts';

let failureId: string;
let logId: string;

const suite = hubSuite();
before(async () => {
  await suite.ready();
  const agent = { authorization: `Bearer ${await suite.hub.mint('agent', 'agt_broken')}` };
  assert.equal((await suite.hub.post('/agents/agt_broken/heartbeat', { name: 'config-loader' }, agent)).status, 200);
  const failed = await suite.hub.post('/events', { type: 'agent.failed', data: { code: 2, error: 'exited with code 2', stderrTail: ['Error: no such file config.yml'] } }, agent);
  assert.equal(failed.status, 201);
  failureId = failed.body.id;
  logId = (await suite.hub.get('/versionz')).body.logId;
});

/** Signs like a Standard Webhooks sender: v1,<base64 HMAC-SHA256 of "id.timestamp.body"> with the decoded secret. */
function sign(id: string, timestamp: number, body: string, secret = testHealerSecret): string {
  const key = Buffer.from(secret.slice('whsec_'.length), 'base64');
  return `v1,${createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest('base64')}`;
}

function deliver(id: string, message: unknown, options: { timestamp?: number; signature?: string; omit?: string; hubUrl?: string } = {}) {
  const body = JSON.stringify(message);
  const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'webhook-id': id,
    'webhook-timestamp': String(timestamp),
    'webhook-signature': options.signature ?? sign(id, timestamp, body),
  };
  if (options.omit) delete headers[options.omit];
  return send(`${options.hubUrl ?? suite.hub.url}/healer/callbacks`, { method: 'POST', headers, body });
}

const completed = (data: Record<string, unknown> = {}) => ({ type: 'heal.completed', logId, data: { failureEventId: failureId, playbook: 'transient-crash', action: 'respawn', attempts: 1, ...data } });
const escalated = (reason: string) => ({ type: 'heal.escalated', logId, data: { failureEventId: failureId, reason } });

describe('POST /healer/callbacks', () => {
  test('a signed heal.completed is appended once, tied to the failure and its agent', async () => {
    const res = await deliver('msg_completed_1', completed());
    assert.equal(res.status, 200);
    assert.equal(res.body.deduped, false);
    const page = await suite.hub.get(`/events?types=heal.completed&agent=agt_broken`);
    assert.equal(page.body.events.length, 1);
    assert.equal(page.body.events[0].causationId, failureId);
    assert.equal(page.body.events[0].actor, 'healer');
  });

  test('a replayed webhook-id appends nothing and answers what the first delivery appended', async () => {
    const first = await deliver('msg_replayed', completed());
    const before = await countEvents(suite.hub.db);
    const again = await deliver('msg_replayed', completed());
    assert.equal(again.status, 200);
    assert.deepEqual([again.body.eventId, again.body.deduped], [first.body.eventId, true]);
    assert.equal(await countEvents(suite.hub.db), before);
  });

  test('a signed heal.escalated opens a pending decision with retry and abandon, saying what failed', async () => {
    const res = await deliver('msg_escalated', escalated('no playbook matched'));
    assert.equal(res.status, 200);
    const decision = await suite.hub.get(`/decisions/${res.body.decisionId}`);
    assert.equal(decision.body.status, 'pending');
    assert.deepEqual(decision.body.options, ['retry', 'abandon']);
    assert.equal(decision.body.agentId, 'agt_broken');
    assert.equal(decision.body.title, 'Healer escalation: agent config-loader failed');
    assert.match(decision.body.context, /no such file config\.yml/);
    assert.match(decision.body.context, /no playbook matched/);
  });

  test('while an escalation about an agent is open, another is logged against it and opens no decision', async () => {
    const first = await deliver('msg_escalated_once', escalated('attempts ran out'));
    const pending = async () => (await suite.hub.get('/decisions?status=pending')).body.decisions.filter((d: any) => d.agentId === 'agt_broken').length;
    const open = await pending();
    for (const id of ['msg_escalated_again_1', 'msg_escalated_again_2']) {
      const again = await deliver(id, escalated('attempts ran out'));
      assert.equal(again.status, 200);
      assert.equal(again.body.decisionId, first.body.decisionId);
    }
    assert.equal(await pending(), open);
    const logged = (await suite.hub.get('/events?types=heal.escalated&agent=agt_broken')).body.events;
    assert.deepEqual(logged.slice(-2).map((e: any) => e.data.decisionId), [first.body.decisionId, first.body.decisionId]);
  });

  const refusals: Array<[string, () => Promise<Awaited<ReturnType<typeof deliver>>>, RegExp]> = [
    ['a forged signature', () => deliver('msg_forged', completed(), { signature: sign('msg_forged', Math.floor(Date.now() / 1000), '{}') }), /does not match/],
    ['a signature made with another secret', () => deliver('msg_other', completed(), { signature: sign('msg_other', Math.floor(Date.now() / 1000), JSON.stringify(completed()), `whsec_${Buffer.from('some other secret, same length!!').toString('base64')}`) }), /does not match/],
    ['a stale timestamp (over 5 minutes old)', () => deliver('msg_stale', completed(), { timestamp: Math.floor(Date.now() / 1000) - 301 }), /more than 300 s/],
    ['a timestamp from the future', () => deliver('msg_future', completed(), { timestamp: Math.floor(Date.now() / 1000) + 301 }), /more than 300 s/],
    ['no signature header', () => deliver('msg_unsigned', completed(), { omit: 'webhook-signature' }), /required/],
    ['no webhook-id header', () => deliver('msg_noid', completed(), { omit: 'webhook-id' }), /required/],
  ];
  for (const [what, request, detail] of refusals) {
    test(`${what} is a 401 and appends nothing`, async () => {
      const before = await countEvents(suite.hub.db);
      assertProblem(await request(), 401, 'unauthorized', detail);
      assert.equal(await countEvents(suite.hub.db), before);
    });
  }

  test('a signed body that is not a heal event is a 400 and appends nothing', async () => {
    const before = await countEvents(suite.hub.db);
    assertProblem(await deliver('msg_bad', { type: 'agent.failed', data: {} }), 400, 'validation_failed', /heal\.completed/);
    assertProblem(await deliver('msg_bad2', { type: 'heal.completed', logId, data: { failureEventId: failureId } }), 400, 'validation_failed', /playbook|required/);
    assert.equal(await countEvents(suite.hub.db), before);
  });

  test('a signed callback that names no log is a 400 and appends nothing', async () => {
    const before = await countEvents(suite.hub.db);
    const { logId: _, ...unnamed } = completed();
    assertProblem(await deliver('msg_no_log', unnamed), 400, 'validation_failed', /logId/);
    assert.equal(await countEvents(suite.hub.db), before);
  });

  test('a callback signed for another log is a 422 and appends nothing, though the signature holds', async () => {
    const before = await countEvents(suite.hub.db);
    assertProblem(await deliver('msg_other_log', { ...completed(), logId: 'log_00000000000000000000000000000000' }), 422, 'unprocessable', /signed for log/);
    assert.equal(await countEvents(suite.hub.db), before);
  });

  test('a callback taken from one hub and replayed to another with the same secret is refused there', async () => {
    const elsewhere = await testDatabase();
    const other = await testHub(elsewhere.url);
    try {
      const before = await countEvents(other.db);
      assertProblem(await deliver('msg_replayed_elsewhere', completed(), { hubUrl: other.url }), 422, 'unprocessable', /signed for log/);
      assert.equal(await countEvents(other.db), before);
    } finally {
      await other.close();
      await elsewhere.drop();
    }
  });

  for (const type of ['heal.completed', 'heal.escalated'] as const) {
    test(`a ${type} about a failure that is not in the log is a 422 and appends nothing`, async () => {
      const before = await countEvents(suite.hub.db);
      const data = type === 'heal.completed' ? completed({ failureEventId: 'evt_never_logged' }).data : { failureEventId: 'evt_never_logged', reason: 'no playbook matched' };
      assertProblem(await deliver(`msg_unknown_failure_${type}`, { type, logId, data }), 422, 'unprocessable', /no event evt_never_logged/);
      assert.equal(await countEvents(suite.hub.db), before);
    });
  }
});
