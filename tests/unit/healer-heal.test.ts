import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { pino } from 'pino';
import { HubClientError } from '../../server/client/errors.ts';
import type { EventEnvelope } from '../../server/client/views.ts';
import { type HealDeps, effectOf } from '../../server/healer/heal.ts';
import type { AgentOrigin, HealerHub } from '../../server/healer/hub-actions.ts';
import type { HealerPlaybook } from '../../server/healer/playbook.ts';
import { type HealerState, type OpenEscalation, emptyState } from '../../server/healer/state.ts';

// effectOf with a fake hub: what the healer asks of the hub for each kind of event, and what it concludes.

const origin: AgentOrigin = { template: 'fixer', taskId: 'tsk_1' };

function fakeHub(over: Partial<HealerHub> = {}) {
  const calls: string[] = [];
  const hub: HealerHub = {
    findOrigin: async (agentId) => (calls.push(`findOrigin ${agentId}`), agentId === 'agt_cli' ? undefined : origin),
    respawn: async (agentId, key) => (calls.push(`respawn ${agentId} ${key}`), `agt_new_${key}`),
    resume: async (agentId) => void calls.push(`resume ${agentId}`),
    retryTask: async (taskId, reason) => void calls.push(`retryTask ${taskId} ${reason}`),
    escalatedTo: async (id) => (calls.push(`escalatedTo ${id}`), undefined),
    inSpan: (trace) => (calls.push(`inSpan ${trace.traceId}`), hub),
    ...over,
  };
  return { hub, calls };
}

const playbook = (over: Partial<HealerPlaybook> = {}): HealerPlaybook => ({
  name: 'transient',
  match: { type: 'agent.failed', errorPattern: 'ECONNRESET' },
  action: 'respawn',
  maxAttempts: 3,
  backoffMs: 0,
  ...over,
});

function deps(hub: HealerHub, playbooks: HealerPlaybook[] = [playbook()], stopping = new AbortController().signal): HealDeps {
  return { hub, playbooks, logger: pino({ level: 'silent' }), stopping, abort: new AbortController().signal };
}

const failed = (over: Partial<EventEnvelope> = {}): EventEnvelope => ({
  seq: 10, id: 'ev_1', type: 'agent.failed', actor: 'hub', agentId: 'agt_1', recordedAt: '2026-01-01T00:00:00.000Z',
  data: { code: 1, signal: null, error: 'read ECONNRESET' },
  ...over,
});

const answer = (type: string, outcome: string | undefined, decisionId = 'dec_1'): EventEnvelope => ({
  seq: 20, id: 'ev_20', type, actor: 'operator:bob', decisionId, recordedAt: '2026-01-01T00:01:00.000Z',
  data: outcome === undefined ? { by: 'operator:bob' } : { outcome, by: 'operator:bob' },
});

const escalation: OpenEscalation = {
  failureEventId: 'ev_1', failureType: 'agent.failed', lineage: 'ev_1', agentId: 'agt_1', taskId: 'tsk_1', summary: 'agent.failed ev_1 of agent agt_1', playbook: 'transient', action: 'respawn', attempts: 3,
};
const escalated: HealerState = { ...emptyState(), escalations: { dec_1: escalation } };

describe('effectOf a failure', () => {
  test('a known failure: respawns the agent from its spawn request, keyed by failure and attempt', async () => {
    const { hub, calls } = fakeHub();
    const effect = await effectOf(deps(hub), emptyState(), failed());
    assert.deepEqual(calls, ['findOrigin agt_1', 'respawn agt_1 heal:ev_1:1']);
    assert.equal(effect.outcome?.kind, 'healed');
    assert.ok(effect.outcome?.kind === 'healed');
    assert.equal(effect.outcome.spawnedAgentId, 'agt_new_heal:ev_1:1');
    assert.equal(effect.outcome.target.taskId, 'tsk_1', 'the task comes from the spawn request');
  });

  test("a failure logged in a W3C trace: the fix is asked in a span of that trace, and the callback carries it", async () => {
    const { hub, calls } = fakeHub();
    const trace = { traceId: '4bf92f3577b34da6a3ce929d0e0e4736', spanId: '00f067aa0ba902b7' };
    const effect = await effectOf(deps(hub), emptyState(), failed(trace));
    assert.deepEqual(calls, ['findOrigin agt_1', `inSpan ${trace.traceId}`, 'respawn agt_1 heal:ev_1:1']);
    assert.deepEqual(effect.outcome?.target.trace, trace);
  });

  test('handling the same failure again asks for the same spawn', async () => {
    const { hub, calls } = fakeHub();
    await effectOf(deps(hub), emptyState(), failed());
    await effectOf(deps(hub), emptyState(), failed());
    assert.equal(calls[1], calls[3]);
  });

  test('an unknown failure: escalated without acting', async () => {
    const { hub, calls } = fakeHub();
    const effect = await effectOf(deps(hub), emptyState(), failed({ data: { error: 'SyntaxError' } }));
    assert.deepEqual(calls, ['findOrigin agt_1']);
    assert.equal(effect.outcome?.kind, 'escalated');
  });

  test('an agent the hub did not spawn cannot be respawned: escalated, the attempt counted', async () => {
    const { hub, calls } = fakeHub();
    const effect = await effectOf(deps(hub), emptyState(), failed({ agentId: 'agt_cli' }));
    assert.deepEqual(calls, ['findOrigin agt_cli']);
    assert.ok(effect.outcome?.kind === 'escalated');
    assert.equal(effect.outcome.attempts, 1);
    assert.match(effect.outcome.reason, /no agent\.spawn_requested/);
  });

  test("an agent the hub started reporting its own failure: left alone, neither respawned nor escalated", async () => {
    const { hub, calls } = fakeHub();
    const effect = await effectOf(deps(hub), emptyState(), failed({ actor: 'agent:agt_1' }));
    assert.deepEqual(calls, ['findOrigin agt_1']);
    assert.deepEqual(effect, {});
  });

  test('the hub refusing the action (a 4xx) escalates with its answer', async () => {
    const refusal = new HubClientError(409, 'conflict', 'agent agt_1 has ended', 'POST /agents/agt_1/resume failed (409 conflict): agent agt_1 has ended');
    const { hub } = fakeHub({ resume: async () => Promise.reject(refusal) });
    const effect = await effectOf(deps(hub, [playbook({ action: 'resume' })]), emptyState(), failed());
    assert.ok(effect.outcome?.kind === 'escalated');
    assert.match(effect.outcome.reason, /resume \(attempt 1\) failed: .*has ended/);
  });

  test('the hub unreachable: thrown, so the same event is handled again later', async () => {
    const down = new HubClientError(0, 'unreachable', 'connection refused', 'cannot reach the hub');
    const { hub } = fakeHub({ respawn: async () => Promise.reject(down) });
    await assert.rejects(effectOf(deps(hub), emptyState(), failed()), down);
  });

  test('retry_task moves the task back with a reason naming the failure', async () => {
    const { hub, calls } = fakeHub();
    const effect = await effectOf(deps(hub, [playbook({ action: 'retry_task' })]), emptyState(), failed());
    assert.equal(effect.outcome?.kind, 'healed');
    assert.match(calls[1]!, /^retryTask tsk_1 healer: retry after agent\.failed ev_1 of agent agt_1/);
  });

  test('a stop during the backoff acts on nothing', async () => {
    const stop = new AbortController();
    const { hub, calls } = fakeHub();
    const pending = effectOf(deps(hub, [playbook({ backoffMs: 60_000 })], stop.signal), emptyState(), failed());
    setTimeout(() => stop.abort(new Error('stopping')), 10);
    await assert.rejects(pending, /stopping/);
    assert.deepEqual(calls, ['findOrigin agt_1']);
  });
});

describe('effectOf an answer to an escalation', () => {
  test('retry: runs the action once more as the next attempt and closes the escalation', async () => {
    const { hub, calls } = fakeHub();
    const effect = await effectOf(deps(hub), escalated, answer('decision.resolved', 'retry'));
    assert.deepEqual(calls, ['findOrigin agt_1', 'respawn agt_1 heal:ev_1:4']);
    assert.equal(effect.closes, 'dec_1');
    assert.ok(effect.outcome?.kind === 'healed');
    assert.equal(effect.outcome.attempt, 4);
  });

  test('abandon: closes it and does nothing', async () => {
    const { hub, calls } = fakeHub();
    assert.deepEqual(await effectOf(deps(hub), escalated, answer('decision.resolved', 'abandon')), { closes: 'dec_1' });
    assert.deepEqual(calls, []);
  });

  test('a decision that is not an escalation of ours changes nothing', async () => {
    const { hub, calls } = fakeHub();
    assert.deepEqual(await effectOf(deps(hub), escalated, answer('decision.resolved', 'retry', 'dec_other')), {});
    assert.deepEqual(calls, []);
  });

  test('an expiry that escalated into a new decision moves the escalation there', async () => {
    const { hub } = fakeHub({ escalatedTo: async () => 'dec_2' });
    assert.deepEqual(await effectOf(deps(hub), escalated, answer('decision.expired', 'escalate')), { moves: { from: 'dec_1', to: 'dec_2' } });
  });

  test('an expiry denied, or a cancel, closes it', async () => {
    const { hub } = fakeHub();
    assert.deepEqual(await effectOf(deps(hub), escalated, answer('decision.expired', 'deny')), { closes: 'dec_1' });
    assert.deepEqual(await effectOf(deps(hub), escalated, answer('decision.cancelled', undefined)), { closes: 'dec_1' });
  });
});

describe('effectOf a clean exit', () => {
  const exited = (agentId: string): EventEnvelope => ({
    seq: 30, id: 'ev_30', type: 'agent.exited', actor: 'hub', agentId, recordedAt: '2026-01-01T00:02:00.000Z', data: { code: 0 },
  });

  test('an agent the healer respawned exited cleanly: its lineage healed, and nothing is asked of the hub', async () => {
    const { hub, calls } = fakeHub();
    const state: HealerState = { ...emptyState(), lineages: { agt_1: 'ev_1', agt_9: 'ev_1' } };
    assert.deepEqual(await effectOf(deps(hub), state, exited('agt_9')), { ends: 'ev_1' });
    assert.deepEqual(calls, []);
  });

  test('any other agent exiting changes nothing', async () => {
    const { hub } = fakeHub();
    assert.deepEqual(await effectOf(deps(hub), emptyState(), exited('agt_other')), {});
  });
});
