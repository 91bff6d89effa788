import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { EventEnvelope } from '../../contracts/index.ts';
import type { Agent } from '../../server/agents/model.ts';
import { agentsTouched, evolve } from '../../server/agents/evolve.ts';
import {
  decideHeartbeat,
  decidePause,
  decidePauseAll,
  decideResume,
  decideResumeAll,
  decideStale,
  decideStop,
  isPausedAll,
  lastSeenAt,
  recoverOnOwnEvent,
  refuseRunWhilePaused,
} from '../../server/agents/rules.ts';
import { HubError } from '../../server/errors.ts';

let seq = 0;
const t0 = Date.parse('2026-11-21T10:00:00.000Z');

/** An event about agt_1 (unless told otherwise), one second after the previous one. */
function ev(type: string, data: Record<string, unknown> = {}, extra: Partial<EventEnvelope> = {}): EventEnvelope {
  seq += 1;
  return { seq, id: `evt_${seq}`, type, actor: 'hub', agentId: 'agt_1', recordedAt: new Date(t0 + seq * 1000).toISOString(), data, ...extra };
}

/** Folds events from nothing. */
function fold(...events: EventEnvelope[]): Agent | undefined {
  return events.reduce<Agent | undefined>((agent, e) => evolve(agent, e), undefined);
}

const running = () => fold(ev('agent.registered', { via: 'heartbeat' }))!;
const awaiting = () => evolve(running(), ev('decision.requested', { risk: 'high' }, { decisionId: 'dec_1' }))!;
const paused = (reason = 'operator') => evolve(running(), ev('agent.paused', { reason }))!;
const stale = () => evolve(running(), ev('agent.stale', { lastSeenAt: new Date(t0).toISOString() }))!;

function refused(fn: () => unknown, status: number, detail: RegExp): void {
  assert.throws(fn, (error: unknown) => error instanceof HubError && error.status === status && detail.test(error.message));
}

describe('evolve: the agent statuses', () => {
  test('agent.spawn_requested creates a spawning agent with its name, template and task', () => {
    const agent = fold(ev('agent.spawn_requested', { name: 'fixer', template: 'claude', taskId: 'tsk_1' }))!;
    assert.deepEqual([agent.status, agent.name, agent.template, agent.taskId], ['spawning', 'fixer', 'claude', 'tsk_1']);
  });

  test('agent.spawned makes a spawning agent running', () => {
    const agent = fold(ev('agent.spawn_requested', { name: 'fixer', template: 'claude' }), ev('agent.spawned', { runner: 'local' }))!;
    assert.equal(agent.status, 'running');
  });

  test('agent.registered creates a running agent named by the event, or by its id', () => {
    assert.equal(fold(ev('agent.registered', { via: 'heartbeat', name: 'cli' }))!.name, 'cli');
    assert.equal(fold(ev('agent.registered', { via: 'heartbeat' }))!.name, 'agt_1');
  });

  test('any first event of an unknown agent creates it running, named by its id', () => {
    const agent = fold(ev('run.completed', { tokensIn: 1, tokensOut: 1, costUsd: 0.1 }, { actor: 'agent:agt_1' }))!;
    assert.deepEqual([agent.status, agent.name, agent.template], ['running', 'agt_1', null]);
  });

  test('an event without an agent creates nothing', () => {
    assert.equal(fold(ev('x.note', {}, { agentId: undefined })), undefined);
  });

  test('decision.requested (medium, high, red) makes it awaiting_decision with the pending decision', () => {
    const agent = awaiting();
    assert.deepEqual([agent.status, agent.pendingDecisionId], ['awaiting_decision', 'dec_1']);
  });

  test('a low-risk decision.requested leaves it running (policy answers at once)', () => {
    const agent = evolve(running(), ev('decision.requested', { risk: 'low' }, { decisionId: 'dec_low' }))!;
    assert.deepEqual([agent.status, agent.pendingDecisionId], ['running', null]);
  });

  for (const type of ['decision.resolved', 'decision.expired', 'decision.cancelled']) {
    test(`${type} of its pending decision makes it running again`, () => {
      const agent = evolve(awaiting(), ev(type, {}, { agentId: undefined, decisionId: 'dec_1' }))!;
      assert.deepEqual([agent.status, agent.pendingDecisionId], ['running', null]);
    });
  }

  test('the answer to another decision changes nothing', () => {
    const before = awaiting();
    assert.equal(evolve(before, ev('decision.resolved', {}, { agentId: undefined, decisionId: 'dec_other' })), before);
  });

  test('a decision answered while paused leaves it paused, with its reason', () => {
    const agent = [ev('agent.paused', { reason: 'operator' }), ev('decision.resolved', {}, { decisionId: 'dec_1' })].reduce((a, e) => evolve(a, e)!, awaiting());
    assert.deepEqual([agent.status, agent.pausedReason, agent.pendingDecisionId], ['paused', 'operator', null]);
  });

  test('agent.paused pauses it with the reason', () => {
    assert.deepEqual([paused('budget').status, paused('budget').pausedReason], ['paused', 'budget']);
  });

  test('agent.resumed makes it running and clears the reason', () => {
    const agent = evolve(paused(), ev('agent.resumed', { reason: 'operator' }))!;
    assert.deepEqual([agent.status, agent.pausedReason], ['running', null]);
  });

  test('agent.resumed goes back to awaiting_decision while a decision is still pending', () => {
    const agent = [ev('agent.paused', { reason: 'pause_all' }), ev('agent.resumed', { reason: 'pause_all' })].reduce((a, e) => evolve(a, e)!, awaiting());
    assert.equal(agent.status, 'awaiting_decision');
  });

  test('agent.stale makes a running agent stale', () => {
    assert.equal(stale().status, 'stale');
  });

  test('agent.stale leaves a paused agent paused', () => {
    assert.equal(evolve(paused(), ev('agent.stale', { lastSeenAt: new Date(t0).toISOString() }))!.status, 'paused');
  });

  test('agent.recovered makes a stale agent running (or awaiting_decision)', () => {
    assert.equal(evolve(stale(), ev('agent.recovered', { lastSeenAt: new Date().toISOString() }))!.status, 'running');
    const waiting = evolve(awaiting(), ev('agent.stale', { lastSeenAt: new Date(t0).toISOString() }))!;
    assert.equal(evolve(waiting, ev('agent.recovered', { lastSeenAt: new Date().toISOString() }))!.status, 'awaiting_decision');
  });

  test('agent.exited and agent.failed end it', () => {
    assert.equal(evolve(running(), ev('agent.exited', { code: 0 }))!.status, 'exited');
    assert.equal(evolve(running(), ev('agent.failed', { error: 'boom' }))!.status, 'failed');
  });

  test('an ended agent ignores pauses, resumes, staleness and decisions', () => {
    const exited = evolve(running(), ev('agent.exited', { code: 0 }))!;
    for (const e of [ev('agent.paused', { reason: 'operator' }), ev('agent.stale', { lastSeenAt: exited.createdAt }), ev('decision.requested', { risk: 'high' }, { decisionId: 'dec_x' })]) {
      assert.equal(evolve(exited, e)!.status, 'exited', e.type);
    }
  });

  test('agent.spawned or agent.registered respawns an ended agent as running', () => {
    const failed = evolve(running(), ev('agent.failed', { error: 'boom' }))!;
    assert.equal(evolve(failed, ev('agent.spawned', { runner: 'local' }))!.status, 'running');
    assert.equal(evolve(failed, ev('agent.registered', { via: 'heartbeat' }))!.status, 'running');
  });

  test('agent.spawned leaves an agent paused while it was spawning paused', () => {
    const agent = fold(ev('agent.spawn_requested', { name: 'a', template: 't' }), ev('agent.paused', { reason: 'pause_all' }), ev('agent.spawned', { runner: 'local' }))!;
    assert.equal(agent.status, 'paused');
  });

  test('task.assigned gives the assignee the task and takes it from the agent that held it', () => {
    const holder = evolve(running(), ev('task.assigned', { agentId: 'agt_1' }, { agentId: undefined, taskId: 'tsk_1' }))!;
    assert.equal(holder.taskId, 'tsk_1');
    const released = evolve(holder, ev('task.assigned', { agentId: 'agt_2' }, { agentId: undefined, taskId: 'tsk_1' }))!;
    assert.equal(released.taskId, null);
  });

  test('its own events move lastEventAt and lastSeq; agent.stale moves only lastSeq', () => {
    const agent = running();
    const later = evolve(agent, ev('agent.output', { stream: 'stdout', line: 'hi' }))!;
    assert.ok(Date.parse(later.lastEventAt!) > Date.parse(agent.lastEventAt!));
    const marked = evolve(later, ev('agent.stale', { lastSeenAt: later.lastEventAt }))!;
    assert.equal(marked.lastEventAt, later.lastEventAt);
    assert.equal(marked.lastSeq, seq);
    assert.equal(marked.statusSeq, seq);
  });

  test('agentsTouched reads nothing for an event about no agent, task or decision', () => {
    assert.equal(agentsTouched(ev('x.note', {}, { agentId: undefined })), undefined);
    assert.deepEqual(agentsTouched(ev('task.assigned', { agentId: 'agt_2' }, { taskId: 'tsk_1' })), { ids: ['agt_1', 'agt_2'], taskId: 'tsk_1', pendingDecisionId: null });
  });
});

describe('rules: liveness', () => {
  test('lastSeenAt is the later of the last heartbeat and the last event', () => {
    const agent = running();
    const later = new Date(Date.parse(agent.lastEventAt!) + 5000).toISOString();
    assert.equal(lastSeenAt(agent, later), later);
    assert.equal(lastSeenAt(agent, new Date(t0 - 5000).toISOString()), agent.lastEventAt);
    assert.equal(lastSeenAt(agent, null), agent.lastEventAt);
  });

  test('a live agent silent longer than the limit becomes stale, keyed by its last event', () => {
    const agent = running();
    const now = new Date(Date.parse(agent.lastEventAt!) + 61_000);
    const [change] = decideStale(agent, null, now, 60_000);
    assert.deepEqual(change, { type: 'agent.stale', agentId: 'agt_1', data: { lastSeenAt: agent.lastEventAt }, idempotencyKey: `agent:agt_1:stale:${agent.lastSeq}` });
  });

  test('silence of exactly the limit keeps an agent live; one millisecond more makes it stale', () => {
    const agent = running();
    const silentFor = (ms: number) => new Date(Date.parse(agent.lastEventAt!) + ms);
    assert.deepEqual(decideStale(agent, null, silentFor(60_000), 60_000), []);
    assert.equal(decideStale(agent, null, silentFor(60_001), 60_000).length, 1);
  });

  test('an agent awaiting a decision goes stale like a running one', () => {
    const agent = awaiting();
    const [change] = decideStale(agent, null, new Date(Date.parse(agent.lastEventAt!) + 61_000), 60_000);
    assert.equal(change?.type, 'agent.stale');
  });

  test('a recent heartbeat keeps it live; paused or ended agents never go stale', () => {
    const agent = running();
    const now = new Date(Date.parse(agent.lastEventAt!) + 61_000);
    assert.deepEqual(decideStale(agent, new Date(now.getTime() - 1000).toISOString(), now, 60_000), []);
    assert.deepEqual(decideStale(paused(), null, new Date(t0 + 10_000_000), 60_000), []);
  });

  test('a heartbeat registers an unknown agent, once (by key)', () => {
    assert.deepEqual(decideHeartbeat(undefined, 'agt_9', new Date(), 'cli'), [
      { type: 'agent.registered', agentId: 'agt_9', data: { via: 'heartbeat', name: 'cli' }, idempotencyKey: 'agent:agt_9:registered' },
    ]);
  });

  test('a heartbeat recovers a stale agent, keyed by its agent.stale', () => {
    const agent = stale();
    const now = new Date();
    assert.deepEqual(decideHeartbeat(agent, 'agt_1', now, undefined), [
      { type: 'agent.recovered', agentId: 'agt_1', data: { lastSeenAt: now.toISOString() }, idempotencyKey: `agent:agt_1:recovered:${agent.statusSeq}` },
    ]);
    assert.deepEqual(decideHeartbeat(running(), 'agt_1', now, undefined), []);
  });

  test('an event a stale agent appends itself recovers it; one about it by someone else does not', () => {
    const agent = stale();
    assert.equal(recoverOnOwnEvent(agent, ev('agent.output', {}, { actor: 'agent:agt_1' }))[0]?.type, 'agent.recovered');
    assert.deepEqual(recoverOnOwnEvent(agent, ev('agent.paused', { reason: 'operator' }, { actor: 'operator:tok_1' })), []);
  });
});

describe('rules: pause and resume', () => {
  test('pausing a live agent is an agent.paused by the operator', () => {
    assert.deepEqual(decidePause(running(), 'agt_1', 'operator:tok_1', 'look first'), [
      { type: 'agent.paused', agentId: 'agt_1', data: { reason: 'operator', by: 'operator:tok_1', comment: 'look first' } },
    ]);
  });

  test('pausing an unknown agent is a 404, a paused one or an ended one a 409 naming its status', () => {
    refused(() => decidePause(undefined, 'agt_x', 'op', undefined), 404, /no agent "agt_x"/);
    refused(() => decidePause(paused(), 'agt_1', 'op', undefined), 409, /already paused \(reason: operator\).*resume/);
    refused(() => decidePause(evolve(running(), ev('agent.exited', { code: 0 })), 'agt_1', 'op', undefined), 409, /is exited; only a spawning, running/);
  });

  test('resuming a paused agent is an agent.resumed; a running one is a 409', () => {
    assert.equal(decideResume(paused('budget'), 'agt_1', 'op', undefined)[0]!.type, 'agent.resumed');
    refused(() => decideResume(running(), 'agt_1', 'op', undefined), 409, /is running.*only a paused agent/);
    refused(() => decideResume(undefined, 'agt_x', 'op', undefined), 404, /no agent/);
  });

  test('an operator resumes whatever paused the agent, logged with reason operator', () => {
    for (const reason of ['operator', 'budget', 'pause_all', 'decision', 'healer']) {
      assert.equal(decideResume(paused(reason), 'agt_1', 'operator:tok_1', undefined, 'operator')[0]!.data.reason, 'operator');
    }
  });

  test('the healer resumes an agent paused by a decision or by the healer, logged with reason healer', () => {
    for (const reason of ['decision', 'healer']) {
      assert.deepEqual(decideResume(paused(reason), 'agt_1', 'healer', undefined, 'healer'), [{ type: 'agent.resumed', agentId: 'agt_1', data: { reason: 'healer', by: 'healer' } }]);
    }
  });

  test('the healer may not lift a pause of an operator, of the budget or of pause-all: 403', () => {
    for (const reason of ['operator', 'budget', 'pause_all']) {
      refused(() => decideResume(paused(reason), 'agt_1', 'healer', undefined, 'healer'), 403, new RegExp(`paused by ${reason}; the healer resumes only`));
    }
  });

  test('the hub is paused-all when the last mark is a hub.paused_all', () => {
    assert.equal(isPausedAll({ pausedSeq: null, resumedSeq: null }), false);
    assert.equal(isPausedAll({ pausedSeq: 5, resumedSeq: null }), true);
    assert.equal(isPausedAll({ pausedSeq: 5, resumedSeq: 7 }), false);
    assert.equal(isPausedAll({ pausedSeq: 9, resumedSeq: 7 }), true);
  });

  test('pause-all pauses every live agent and logs hub.paused_all once', () => {
    const agents = [running(), { ...paused(), id: 'agt_p' }, { ...awaiting(), id: 'agt_w' }];
    const first = decidePauseAll(agents, false, 'op', 'deploy');
    assert.deepEqual(first.paused, ['agt_1', 'agt_w']);
    assert.deepEqual(first.changes.map((c) => c.type), ['hub.paused_all', 'agent.paused', 'agent.paused']);
    assert.deepEqual(decidePauseAll([], true, 'op', undefined), { paused: [], changes: [] });
  });

  test('resume-all resumes only the agents pause-all paused', () => {
    const agents = [{ ...paused('pause_all'), id: 'agt_a' }, { ...paused('operator'), id: 'agt_b' }, { ...paused('budget'), id: 'agt_c' }];
    const { resumed, changes } = decideResumeAll(agents, true, 'op', undefined);
    assert.deepEqual(resumed, ['agt_a']);
    assert.deepEqual(changes.map((c) => [c.type, c.data.reason ?? null]), [['hub.resumed_all', null], ['agent.resumed', 'pause_all']]);
  });
});

describe('rules: runs while paused', () => {
  test('a run of an agent an operator paused is a 409 agent_paused that says how to lift it', () => {
    const refusal = refuseRunWhilePaused(paused('operator'), false);
    assert.ok(refusal);
    assert.equal(refusal.code, 'agent_paused');
    assert.match(refusal.message, /POST \/agents\/agt_1\/resume/);
  });

  test("a run of an agent its budget paused is left to the budget's 402", () => {
    assert.equal(refuseRunWhilePaused(paused('budget'), false), undefined);
  });
});

describe('decideStop', () => {
  const started = () => fold(ev('agent.spawn_requested', { name: 'fixer', template: 'claude' }), ev('agent.spawned', { runner: 'local' }))!;

  test('an agent the hub started and that still lives: agent.stop_requested by the caller, with the reason', () => {
    assert.deepEqual(decideStop(started(), 'agt_1', 'operator:ann', 'done'), [{ type: 'agent.stop_requested', agentId: 'agt_1', data: { by: 'operator:ann', reason: 'done' } }]);
    const paused = evolve(started(), ev('agent.paused', { reason: 'operator', by: 'operator:ann' }))!;
    assert.equal(decideStop(paused, 'agt_1', 'operator:ann', undefined).length, 1, 'a paused agent can be stopped too');
  });

  test('unknown, ended, or registered by itself: refused', () => {
    refused(() => decideStop(undefined, 'agt_1', 'op', undefined), 404, /no agent "agt_1"/);
    refused(() => decideStop(evolve(started(), ev('agent.failed', { code: 1, error: 'x' })), 'agt_1', 'op', undefined), 409, /already failed/);
    refused(() => decideStop(running(), 'agt_1', 'op', undefined), 409, /registered itself/);
  });

  test('one waiting for a runner never starts: it exits at once, stopped; one placed on a runner is asked to stop', () => {
    const queued = fold(ev('agent.spawn_requested', { name: 'fixer', template: 'claude' }));
    assert.deepEqual(decideStop(queued, 'agt_1', 'operator:ann', undefined), [
      { type: 'agent.exited', agentId: 'agt_1', data: { code: null, signal: null, stoppedBy: 'operator:ann' }, idempotencyKey: 'agent:agt_1:ended' },
    ]);
    const placed = evolve(queued, ev('agent.assigned', { runnerId: 'rnr_1' }))!;
    assert.equal(placed.runnerId, 'rnr_1');
    assert.deepEqual(decideStop(placed, 'agt_1', 'operator:ann', undefined), [{ type: 'agent.stop_requested', agentId: 'agt_1', data: { by: 'operator:ann' } }]);
  });
});
