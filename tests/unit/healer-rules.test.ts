import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { loadContracts } from '../../contracts/index.ts';
import type { EventEnvelope } from '../../server/client/views.ts';
import { defaultPlaybooks } from '../../server/healer/default-playbooks.ts';
import { type Failure, failureOf } from '../../server/healer/failure.ts';
import type { HealerPlaybook } from '../../server/healer/playbook.ts';
import {
  actionFailed,
  answerOf,
  backoffFor,
  healed,
  matchPlaybook,
  nextStep,
  operatorRetry,
  respawnKey,
  retryAttempt,
  targetOf,
} from '../../server/healer/rules.ts';
import { type HealerState, acknowledge, applyEffect, callbackOf, emptyState } from '../../server/healer/state.ts';

const contracts = loadContracts();
const now = new Date('2026-01-01T00:00:00.000Z');
const day = 86_400_000;

const playbook = (over: Partial<HealerPlaybook> = {}): HealerPlaybook => ({
  name: 'transient',
  match: { type: 'agent.failed', errorPattern: 'ECONNRESET' },
  action: 'respawn',
  maxAttempts: 3,
  backoffMs: 1000,
  ...over,
});

const failure = (over: Partial<Failure> = {}): Failure => ({
  eventId: 'ev_1',
  seq: 10,
  type: 'agent.failed',
  agentId: 'agt_1',
  error: 'read ECONNRESET',
  stderrTail: [],
  code: 1,
  template: 'fixer',
  ...over,
});

describe('failureOf', () => {
  test('reads the error, the stderr tail, the code, and the origin template and task', () => {
    const event: EventEnvelope = {
      seq: 7, id: 'ev_7', type: 'agent.failed', actor: 'hub', agentId: 'agt_1', recordedAt: now.toISOString(),
      data: { code: 2, signal: null, error: 'exit 2', stderrTail: ['a', 'b'] },
    };
    assert.deepEqual(failureOf(event, { template: 'fixer', taskId: 'tsk_1' }), {
      eventId: 'ev_7', seq: 7, type: 'agent.failed', agentId: 'agt_1', taskId: 'tsk_1', error: 'exit 2', stderrTail: ['a', 'b'], code: 2, template: 'fixer',
    });
  });

  test('a failure of another type without an error reads as empty text', () => {
    const event: EventEnvelope = { seq: 8, id: 'ev_8', type: 'agent.stale', actor: 'hub', agentId: 'agt_2', recordedAt: now.toISOString(), data: { lastSeenAt: now.toISOString() } };
    const read = failureOf(event);
    assert.equal(read.error, '');
    assert.deepEqual(read.stderrTail, []);
    assert.equal(read.code, undefined);
  });
});

describe('matchPlaybook', () => {
  test('the error pattern is tested against the error and the stderr tail, joined by newlines', () => {
    const playbooks = [playbook({ match: { type: 'agent.failed', errorPattern: '^socket hang up$' } })];
    assert.equal(matchPlaybook(playbooks, failure({ error: 'boom', stderrTail: ['x', 'socket hang up'] })), undefined, 'no multiline flag: ^ is the start of the text');
    assert.ok(matchPlaybook([playbook({ match: { type: 'agent.failed', errorPattern: 'hang up' } })], failure({ error: 'boom', stderrTail: ['socket hang up'] })));
  });

  test('the first matching playbook wins', () => {
    const first = playbook({ name: 'first', match: { type: 'agent.failed' } });
    const second = playbook({ name: 'second' });
    assert.equal(matchPlaybook([first, second], failure())?.name, 'first');
  });

  test('type, exit code and template must each match when set', () => {
    assert.equal(matchPlaybook([playbook({ match: { type: 'agent.stale' } })], failure()), undefined);
    assert.equal(matchPlaybook([playbook({ match: { type: 'agent.failed', exitCode: 137 } })], failure({ code: 1 })), undefined);
    assert.ok(matchPlaybook([playbook({ match: { type: 'agent.failed', exitCode: 1 } })], failure({ code: 1 })));
    assert.equal(matchPlaybook([playbook({ match: { type: 'agent.failed', template: 'other' } })], failure()), undefined);
    assert.equal(matchPlaybook([playbook({ match: { type: 'agent.failed', template: 'fixer' } })], failure({ template: undefined })), undefined);
    assert.ok(matchPlaybook([playbook({ match: { type: 'agent.failed', template: 'fixer' } })], failure()));
  });

  test('the default transient-crash playbook knows network errors and nothing else', () => {
    for (const error of ['connect ETIMEDOUT 10.0.0.1:443', 'getaddrinfo EAI_AGAIN api', 'socket hang up', 'read ECONNRESET']) {
      assert.equal(matchPlaybook(defaultPlaybooks, failure({ error }))?.name, 'transient-crash', error);
    }
    assert.equal(matchPlaybook(defaultPlaybooks, failure({ error: 'TypeError: x is undefined' })), undefined);
  });
});

describe('nextStep', () => {
  test('a first failure is attempt 1 after the playbook backoff, in a new lineage named after it', () => {
    const step = nextStep(emptyState(), [playbook()], failure());
    assert.equal(step.kind, 'act');
    assert.ok(step.kind === 'act');
    assert.equal(step.attempt, 1);
    assert.equal(step.delayMs, 1000);
    assert.equal(step.target.lineage, 'ev_1');
  });

  test('no playbook matches: escalate with what failed and that nothing was tried', () => {
    const step = nextStep(emptyState(), [playbook()], failure({ error: 'SyntaxError: bad' }));
    assert.ok(step.kind === 'escalate');
    assert.equal(step.outcome.attempts, 0);
    assert.equal(step.outcome.playbook, undefined);
    assert.equal(step.outcome.action, 'respawn', 'what an operator retry would run');
    assert.match(step.outcome.reason, /agt_1.*SyntaxError: bad.*No playbook matches/);
  });

  test('a respawned agent that fails again counts as the next attempt of its lineage, with a doubled backoff', () => {
    const state: HealerState = { ...emptyState(), lineages: { agt_1: 'ev_1', agt_2: 'ev_1' }, attempts: { ev_1: { transient: 1 } } };
    const step = nextStep(state, [playbook()], failure({ eventId: 'ev_2', agentId: 'agt_2' }));
    assert.ok(step.kind === 'act');
    assert.equal(step.attempt, 2);
    assert.equal(step.delayMs, 2000);
    assert.equal(step.target.lineage, 'ev_1');
    assert.equal(step.target.failureEventId, 'ev_2');
  });

  test('attempts used up: escalate naming the playbook, the action and the attempts', () => {
    const state: HealerState = { ...emptyState(), lineages: { agt_3: 'ev_1' }, attempts: { ev_1: { transient: 3 } } };
    const step = nextStep(state, [playbook()], failure({ eventId: 'ev_3', agentId: 'agt_3' }));
    assert.ok(step.kind === 'escalate');
    assert.equal(step.outcome.playbook, 'transient');
    assert.equal(step.outcome.attempts, 3);
    assert.match(step.outcome.reason, /transient \(respawn\) has used all 3 attempts/);
  });

  test('attempts of one playbook do not use up another', () => {
    const state: HealerState = { ...emptyState(), lineages: { agt_1: 'ev_1' }, attempts: { ev_1: { other: 3 } } };
    const step = nextStep(state, [playbook()], failure({ eventId: 'ev_2' }));
    assert.ok(step.kind === 'act');
    assert.equal(step.attempt, 1);
  });
});

describe('backoff, keys and answers', () => {
  test('the backoff doubles per attempt', () => {
    assert.deepEqual([1, 2, 3, 4].map((n) => backoffFor(playbook({ backoffMs: 250 }), n)), [250, 500, 1000, 2000]);
  });

  test('a respawn key names the failure and the attempt', () => {
    assert.equal(respawnKey('ev_1', 2), 'heal:ev_1:2');
    assert.equal(contracts.check('events/append.schema.json#/$defs/idempotencyKey', respawnKey('V1StGXR8_Z5jdHi6B-myT', 3)).length, 0);
  });

  test('retry and approve mean try again; anything else abandons', () => {
    assert.equal(answerOf('retry'), 'retry');
    assert.equal(answerOf('approve'), 'retry');
    assert.equal(answerOf('abandon'), 'abandon');
    assert.equal(answerOf('deny'), 'abandon');
  });

  test('an operator retry runs the escalated action as the next attempt; without a playbook, a respawn', () => {
    const target = targetOf(emptyState(), failure());
    assert.deepEqual(retryAttempt({ ...target, playbook: 'transient', action: 'resume', attempts: 3 }), { target, playbook: 'transient', action: 'resume', attempt: 4 });
    assert.deepEqual(retryAttempt({ ...target, action: 'respawn', attempts: 0 }), { target, playbook: operatorRetry, action: 'respawn', attempt: 1 });
  });
});

describe('applyEffect', () => {
  const target = targetOf(emptyState(), failure());

  test('a heal records the attempt, the lineage of the new agent, queues heal.completed and advances the cursor', () => {
    const state = applyEffect(emptyState(), { outcome: healed(target, 'transient', 'respawn', 1, 'agt_9') }, 10, now, day);
    assert.equal(state.cursor, 10);
    assert.deepEqual(state.lineages, { agt_1: 'ev_1', agt_9: 'ev_1' });
    assert.deepEqual(state.attempts, { ev_1: { transient: 1 } });
    assert.equal(state.outbox.length, 1);
    assert.equal(state.outbox[0]!.webhookId, 'heal_ev_1_1_completed');
    assert.deepEqual(state.outbox[0]!.data, { failureEventId: 'ev_1', playbook: 'transient', action: 'respawn', attempts: 1 });
  });

  test('handling the same event twice queues its callback once', () => {
    const effect = { outcome: healed(target, 'transient', 'respawn', 1, 'agt_9') };
    const once = applyEffect(emptyState(), effect, 10, now, day);
    assert.deepEqual(applyEffect(once, effect, 10, now, day), once);
  });

  test('a failed action records its attempt and queues heal.escalated with what to retry', () => {
    const state = applyEffect(emptyState(), { outcome: actionFailed(target, 'transient', 'respawn', 2, 'no template "fixer"') }, 11, now, day);
    assert.deepEqual(state.attempts, { ev_1: { transient: 2 } });
    const [entry] = state.outbox;
    assert.equal(entry!.webhookId, 'heal_ev_1_2_escalated');
    assert.match(String(entry!.data.reason), /Playbook transient: respawn \(attempt 2\) failed: no template "fixer"/);
    assert.deepEqual(entry!.escalation, { ...target, playbook: 'transient', action: 'respawn', attempts: 2 });
  });

  test('an event that changes nothing only moves the cursor, and never back', () => {
    const state = { ...emptyState(), cursor: 20 };
    assert.deepEqual(applyEffect(state, {}, 25, now, day), { ...state, cursor: 25 });
    assert.equal(applyEffect(state, {}, 5, now, day).cursor, 20);
  });

  test('an acknowledged escalation is remembered under its decision; an answer closes it; an expiry moves it', () => {
    const escalated = applyEffect(emptyState(), { outcome: nextStepOutcome() }, 12, now, day);
    const acked = acknowledge(escalated, 'heal_ev_1_0_escalated', 'dec_1');
    assert.deepEqual(acked.outbox, []);
    assert.equal(acked.escalations.dec_1?.failureEventId, 'ev_1');
    const moved = applyEffect(acked, { moves: { from: 'dec_1', to: 'dec_2' } }, 13, now, day);
    assert.deepEqual(Object.keys(moved.escalations), ['dec_2']);
    assert.deepEqual(applyEffect(moved, { closes: 'dec_2' }, 14, now, day).escalations, {});
  });

  test('a callback the hub refused for good leaves the outbox without a decision', () => {
    const escalated = applyEffect(emptyState(), { outcome: nextStepOutcome() }, 12, now, day);
    const dropped = acknowledge(escalated, 'heal_ev_1_0_escalated');
    assert.deepEqual(dropped.outbox, []);
    assert.deepEqual(dropped.escalations, {});
  });

  function nextStepOutcome() {
    const step = nextStep(emptyState(), [], failure());
    assert.ok(step.kind === 'escalate');
    return step.outcome;
  }
});

describe('forgetting ended lineages', () => {
  const at = (ms: number) => new Date(now.getTime() + ms);
  const heal = (state: HealerState, f: Failure, spawned: string, when: Date): HealerState => {
    const step = nextStep(state, [playbook()], f);
    assert.ok(step.kind === 'act');
    return applyEffect(state, { outcome: healed(step.target, 'transient', 'respawn', step.attempt, spawned) }, f.seq, when, day);
  };
  const escalate = (when: Date): HealerState => {
    const step = nextStep(emptyState(), [], failure());
    assert.ok(step.kind === 'escalate');
    const escalated = applyEffect(emptyState(), { outcome: step.outcome }, 10, when, day);
    return acknowledge(escalated, 'heal_ev_1_0_escalated', 'dec_1');
  };

  test('a lineage quiet for forgetAfterMs is forgotten with its agents and attempts; until then its attempts still count', () => {
    const healedOnce = heal(emptyState(), failure(), 'agt_9', now);
    const unrelated = { ...failure({ eventId: 'ev_2', agentId: 'agt_2' }), seq: 11 };
    const dayLater = heal(healedOnce, unrelated, 'agt_8', at(day - 1));
    assert.deepEqual(dayLater.attempts.ev_1, { transient: 1 });
    const after = heal(dayLater, { ...unrelated, eventId: 'ev_3', agentId: 'agt_3', seq: 12 }, 'agt_7', at(day));
    assert.equal(after.attempts.ev_1, undefined);
    assert.equal(after.lastActiveAt.ev_1, undefined);
    assert.deepEqual(Object.keys(after.lineages).filter((agent) => after.lineages[agent] === 'ev_1'), []);
    const again = nextStep(after, [playbook()], failure({ eventId: 'ev_4', agentId: 'agt_9' }));
    assert.ok(again.kind === 'act');
    assert.equal(again.target.lineage, 'ev_4');
    assert.equal(again.attempt, 1);
  });

  test('a lineage whose agent exited cleanly is forgotten at once', () => {
    const healedOnce = heal(emptyState(), failure(), 'agt_9', now);
    const state = applyEffect(healedOnce, { ends: 'ev_1' }, 11, at(1000), day);
    assert.deepEqual([state.lineages, state.attempts, state.lastActiveAt], [{}, {}, {}]);
  });

  test('an escalation answered with abandon forgets its lineage at once', () => {
    const state = applyEffect(escalate(now), { closes: 'dec_1' }, 11, at(1000), day);
    assert.deepEqual(state.lineages, {});
    assert.deepEqual(state.lastActiveAt, {});
  });

  test('an escalation answered with retry keeps its lineage, active again', () => {
    const open = escalate(now);
    const retry = retryAttempt(open.escalations.dec_1!);
    const state = applyEffect(open, { closes: 'dec_1', outcome: healed(retry.target, retry.playbook, retry.action, retry.attempt, 'agt_9') }, 11, at(1000), day);
    assert.deepEqual(state.lineages, { agt_1: 'ev_1', agt_9: 'ev_1' });
    assert.equal(state.lastActiveAt.ev_1, at(1000).toISOString());
  });

  test('a lineage an open escalation waits on is kept past forgetAfterMs', () => {
    const state = applyEffect(escalate(now), {}, 11, at(2 * day), day);
    assert.deepEqual(state.lineages, { agt_1: 'ev_1' });
  });

  test('lineages from a state file without lastActiveAt count as active from the first event after it', () => {
    const old = { ...emptyState(), lineages: { agt_1: 'ev_1' }, attempts: { ev_1: { transient: 2 } }, lastActiveAt: {} };
    const stamped = applyEffect(old, {}, 11, now, day);
    assert.deepEqual(stamped.lastActiveAt, { ev_1: now.toISOString() });
    assert.deepEqual(applyEffect(stamped, {}, 12, at(day), day).attempts, {});
  });
});

describe('callbacks fit the contract', () => {
  const target = targetOf(emptyState(), failure({ error: 'x'.repeat(5000) }));

  test('heal.completed data is valid against its schema', () => {
    const entry = callbackOf(healed(target, 'transient', 'retry_task', 2), now);
    assert.deepEqual(contracts.check('events/heal.completed.schema.json', entry.data), []);
  });

  test('heal.escalated data is valid, its reason cut to the schema limit', () => {
    const noPlaybook = nextStep(emptyState(), [], failure({ error: 'y'.repeat(5000) }));
    assert.ok(noPlaybook.kind === 'escalate');
    for (const outcome of [noPlaybook.outcome, actionFailed(target, 'transient', 'respawn', 1, 'z'.repeat(5000))]) {
      const entry = callbackOf(outcome, now);
      assert.deepEqual(contracts.check('events/heal.escalated.schema.json', entry.data), []);
      assert.ok(String(entry.data.reason).length <= 4000);
    }
  });
});
