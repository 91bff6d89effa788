import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { type Decision, type DecisionAsk, type DecisionFact, validOutcomes } from '../../server/decisions/model.ts';
import { evolve, linkEscalation } from '../../server/decisions/evolve.ts';
import { askerEndedReason, decideCancel, decideExpiry, decideRequest, decideResolve, escalationOf, mayCancel, sameAsk } from '../../server/decisions/rules.ts';
import { HubError } from '../../server/errors.ts';
import { decisionRow } from '../helpers/decision-rows.ts';

const now = new Date('2026-01-01T00:00:00.000Z');
const later = '2026-01-01T01:00:00.000Z';

const ask = (over: Partial<DecisionAsk> = {}): DecisionAsk => ({
  id: 'dec_1',
  title: 'Deploy to production?',
  context: 'all tests pass',
  options: ['approve', 'deny'],
  risk: 'medium',
  expiresAt: later,
  onTimeout: 'deny',
  agentId: 'agt_1',
  taskId: 'tsk_1',
  ...over,
});

const pending = (over: Partial<Decision> = {}): Decision => decisionRow({ ...ask(), ...over }, now);

function refused(run: () => unknown, status: number, code: string, detail: RegExp): void {
  assert.throws(run, (error: unknown) => {
    assert.ok(error instanceof HubError);
    assert.equal(error.status, status);
    assert.equal(error.code, code);
    assert.match(error.message, detail);
    return true;
  });
}

describe('asking', () => {
  test('a low-risk request is approved by policy at once, and both events are logged', () => {
    assert.deepEqual(decideRequest(ask({ risk: 'low' })), [
      { type: 'decision.requested', decisionId: 'dec_1', data: { title: 'Deploy to production?', context: 'all tests pass', options: ['approve', 'deny'], risk: 'low', expiresAt: later, onTimeout: 'deny' } },
      { type: 'decision.resolved', decisionId: 'dec_1', data: { outcome: 'approve', by: 'policy', comment: 'approved by policy: low risk' } },
    ]);
  });

  for (const risk of ['medium', 'high', 'red'] as const) {
    test(`a ${risk}-risk request waits for an operator`, () => {
      assert.deepEqual(decideRequest(ask({ risk })).map((c) => c.type), ['decision.requested']);
    });
  }

  test('a red-risk request cannot be approved by its deadline passing', () => {
    refused(() => decideRequest(ask({ risk: 'red', onTimeout: 'approve' })), 400, 'validation_failed', /red.*deny.*escalate/);
  });

  test('a retry asks the same when everything but the id and deadline match', () => {
    assert.equal(sameAsk(pending(), ask({ id: 'dec_other', expiresAt: '2030-01-01T00:00:00.000Z' })), true);
    assert.equal(sameAsk(pending(), ask({ title: 'Deploy to staging?' })), false);
    assert.equal(sameAsk(pending(), ask({ options: ['deny', 'approve'] })), false);
  });
});

describe('answering', () => {
  test('valid outcomes are approve, deny and the options, each once', () => {
    assert.deepEqual(validOutcomes({ options: ['deny', 'retry', 'skip'] }), ['approve', 'deny', 'retry', 'skip']);
  });

  test('an outcome that is not an answer is a 400 listing the answers', () => {
    refused(() => decideResolve(pending({ options: ['retry'] }), { outcome: 'maybe', by: 'operator:a' }, now), 400, 'validation_failed', /approve, deny, retry/);
  });

  test('one operator resolves a medium decision, with the comment', () => {
    assert.deepEqual(decideResolve(pending(), { outcome: 'approve', by: 'operator:a', comment: 'go' }, now), [
      { type: 'decision.resolved', decisionId: 'dec_1', data: { outcome: 'approve', by: 'operator:a', comment: 'go' } },
    ]);
  });

  test('an option of the decision resolves it like approve does', () => {
    const changes = decideResolve(pending({ risk: 'high', options: ['retry', 'skip'] }), { outcome: 'skip', by: 'operator:a' }, now);
    assert.deepEqual(changes, [{ type: 'decision.resolved', decisionId: 'dec_1', data: { outcome: 'skip', by: 'operator:a' } }]);
  });

  test('a deny resolves at once, even a red decision', () => {
    assert.deepEqual(decideResolve(pending({ risk: 'red' }), { outcome: 'deny', by: 'operator:a' }, now).map((c) => c.type), ['decision.resolved']);
  });

  test('the first approval of a red decision is logged as approved_once', () => {
    assert.deepEqual(decideResolve(pending({ risk: 'red' }), { outcome: 'approve', by: 'operator:a' }, now), [
      { type: 'decision.approved_once', decisionId: 'dec_1', data: { by: 'operator:a' } },
    ]);
  });

  test('the same operator approving a red decision again changes nothing', () => {
    const once = pending({ risk: 'red', approvals: [{ by: 'operator:a', at: now.toISOString() }] });
    assert.deepEqual(decideResolve(once, { outcome: 'approve', by: 'operator:a' }, now), []);
  });

  test('a second, different operator approving a red decision resolves it', () => {
    const once = pending({ risk: 'red', approvals: [{ by: 'operator:a', at: now.toISOString() }] });
    assert.deepEqual(decideResolve(once, { outcome: 'approve', by: 'operator:b' }, now), [
      { type: 'decision.resolved', decisionId: 'dec_1', data: { outcome: 'approve', by: 'operator:b' } },
    ]);
  });

  test('the operator who asked a red decision cannot give its first approval: 403', () => {
    refused(() => decideResolve(pending({ risk: 'red', requestedBy: 'operator:a' }), { outcome: 'approve', by: 'operator:a' }, now), 403, 'forbidden', /operator:a asked.*two other people/);
  });

  test('the operator who asked a red decision cannot give its second approval: 403', () => {
    const once = pending({ risk: 'red', requestedBy: 'operator:a', approvals: [{ by: 'operator:b', at: now.toISOString() }] });
    refused(() => decideResolve(once, { outcome: 'approve', by: 'operator:a' }, now), 403, 'forbidden', /asked/);
  });

  test('the operator who asked a red decision may still deny it', () => {
    const changes = decideResolve(pending({ risk: 'red', requestedBy: 'operator:a' }), { outcome: 'deny', by: 'operator:a' }, now);
    assert.deepEqual(changes.map((c) => c.type), ['decision.resolved']);
  });

  test('a red decision takes only approve or deny', () => {
    refused(() => decideResolve(pending({ risk: 'red', options: ['retry'] }), { outcome: 'retry', by: 'operator:a' }, now), 409, 'conflict', /red.*approve.*deny/);
  });

  test('the same answer to a resolved decision changes nothing', () => {
    const resolved = pending({ status: 'resolved', outcome: 'approve', resolvedBy: 'operator:a' });
    assert.deepEqual(decideResolve(resolved, { outcome: 'approve', by: 'operator:b' }, now), []);
  });

  test('another answer to a resolved decision is a 409 naming the outcome and who gave it', () => {
    const resolved = pending({ status: 'resolved', outcome: 'approve', resolvedBy: 'operator:a' });
    refused(() => decideResolve(resolved, { outcome: 'deny', by: 'operator:b' }, now), 409, 'conflict', /already resolved "approve" by operator:a/);
  });

  test('an expired decision takes no answer', () => {
    refused(() => decideResolve(pending({ status: 'expired', outcome: 'deny' }), { outcome: 'deny', by: 'operator:a' }, now), 409, 'conflict', /expired/);
  });

  test('a cancelled decision takes no answer', () => {
    refused(() => decideResolve(pending({ status: 'cancelled', resolvedBy: 'agent:agt_1' }), { outcome: 'approve', by: 'operator:a' }, now), 409, 'conflict', /cancelled/);
  });

  test('a pending decision past its deadline takes no answer: its onTimeout applies', () => {
    refused(() => decideResolve(pending(), { outcome: 'approve', by: 'operator:a' }, new Date(later)), 409, 'conflict', /deadline.*onTimeout \(deny\)/);
  });
});

describe('deadlines', () => {
  const escalation = { id: 'dec_2', expiresAt: '2026-01-01T02:00:00.000Z' };

  test('nothing happens before the deadline', () => {
    assert.deepEqual(decideExpiry(pending(), new Date(Date.parse(later) - 1), escalation), []);
  });

  test('an answered decision does not expire', () => {
    assert.deepEqual(decideExpiry(pending({ status: 'resolved', outcome: 'approve' }), new Date(later), escalation), []);
  });

  for (const [onTimeout, outcome] of [['deny', 'deny'], ['approve', 'approve']] as const) {
    test(`onTimeout ${onTimeout} expires with outcome ${outcome}`, () => {
      assert.deepEqual(decideExpiry(pending({ onTimeout }), new Date(later), escalation), [
        { type: 'decision.expired', decisionId: 'dec_1', data: { outcome, onTimeout } },
      ]);
    });
  }

  test('onTimeout escalate expires as escalated and opens a new decision', () => {
    const changes = decideExpiry(pending({ onTimeout: 'escalate' }), new Date(later), escalation);
    assert.deepEqual(changes.map((c) => [c.type, c.decisionId]), [['decision.expired', 'dec_1'], ['decision.requested', 'dec_2']]);
    assert.deepEqual(changes[0]!.data, { outcome: 'escalated', onTimeout: 'escalate' });
    assert.equal(changes[1]!.data.expiresAt, escalation.expiresAt);
  });

  test('an escalation asks the same at least at high risk, names the expired decision and is denied if unanswered', () => {
    const asked = escalationOf(pending({ onTimeout: 'escalate' }), escalation);
    assert.deepEqual({ ...asked, context: undefined }, {
      id: 'dec_2',
      title: 'Escalated: Deploy to production?',
      context: undefined,
      options: ['approve', 'deny'],
      risk: 'high',
      expiresAt: escalation.expiresAt,
      onTimeout: 'deny',
      agentId: 'agt_1',
      taskId: 'tsk_1',
    });
    assert.match(asked.context, /^Escalated: decision dec_1 .*\n\nall tests pass$/);
    assert.equal(escalationOf(pending({ risk: 'red' }), escalation).risk, 'red');
  });

  test('an escalation keeps within the schema limits, without splitting a character', () => {
    const asked = escalationOf(pending({ title: '😀'.repeat(200), context: 'x'.repeat(16_000) }), escalation);
    assert.equal(Array.from(asked.title).length, 200);
    assert.ok(asked.title.endsWith('😀'));
    assert.equal(Array.from(asked.context).length, 16_000);
  });
});

describe('folding the log', () => {
  const fact = (type: string, data: Record<string, unknown>, at = now.toISOString()): DecisionFact => ({
    type,
    decisionId: 'dec_1',
    actor: 'agent:agt_1',
    agentId: 'agt_1',
    taskId: 'tsk_1',
    recordedAt: at,
    data,
  });
  const requested = fact('decision.requested', { title: 'Deploy to production?', context: 'all tests pass', options: ['approve', 'deny'], risk: 'medium', expiresAt: later, onTimeout: 'deny' });

  test('a request opens a pending decision', () => {
    assert.deepEqual(evolve(undefined, requested), pending());
  });

  test('a request for a decision that exists changes nothing', () => {
    const existing = pending();
    assert.equal(evolve(existing, requested), existing);
  });

  test('an event for a decision never asked is ignored', () => {
    assert.equal(evolve(undefined, fact('decision.resolved', { outcome: 'approve', by: 'operator:a' })), undefined);
  });

  test('a first red approval is recorded with its time', () => {
    const at = '2026-01-01T00:05:00.000Z';
    assert.deepEqual(evolve(pending({ risk: 'red' }), fact('decision.approved_once', { by: 'operator:a' }, at))!.approvals, [{ by: 'operator:a', at }]);
  });

  test('a resolution records outcome, who, comment, time and the approval', () => {
    const at = '2026-01-01T00:06:00.000Z';
    const resolved = evolve(pending(), fact('decision.resolved', { outcome: 'approve', by: 'operator:a', comment: 'go' }, at))!;
    assert.deepEqual(
      { status: resolved.status, outcome: resolved.outcome, resolvedBy: resolved.resolvedBy, comment: resolved.comment, resolvedAt: resolved.resolvedAt, approvals: resolved.approvals },
      { status: 'resolved', outcome: 'approve', resolvedBy: 'operator:a', comment: 'go', resolvedAt: at, approvals: [{ by: 'operator:a', at }] },
    );
  });

  test('a deny is not an approval', () => {
    assert.deepEqual(evolve(pending(), fact('decision.resolved', { outcome: 'deny', by: 'operator:a' }))!.approvals, []);
  });

  test('an expiry records the outcome applied', () => {
    const expired = evolve(pending(), fact('decision.expired', { outcome: 'deny', onTimeout: 'deny' }, later))!;
    assert.deepEqual([expired.status, expired.outcome, expired.resolvedBy, expired.resolvedAt], ['expired', 'deny', null, later]);
  });

  test('a cancellation records who and why', () => {
    const cancelled = evolve(pending(), fact('decision.cancelled', { by: 'agent:agt_1', reason: 'not needed' }))!;
    assert.deepEqual([cancelled.status, cancelled.outcome, cancelled.resolvedBy, cancelled.comment], ['cancelled', null, 'agent:agt_1', 'not needed']);
  });

  test('a decision that is no longer pending does not change', () => {
    const resolved = pending({ status: 'resolved', outcome: 'approve', resolvedBy: 'operator:a' });
    assert.equal(evolve(resolved, fact('decision.expired', { outcome: 'deny', onTimeout: 'deny' })), resolved);
  });

  test('an escalated decision points to the decision that replaced it', () => {
    const expired = pending({ status: 'expired', outcome: 'escalated' });
    assert.equal(linkEscalation(expired, 'dec_2').escalatedTo, 'dec_2');
  });
});

describe('cancelling', () => {
  test('a pending decision is withdrawn with who and why', () => {
    assert.deepEqual(decideCancel(pending(), { by: 'agent:agt_1', reason: 'no longer needed' }), [
      { type: 'decision.cancelled', decisionId: 'dec_1', data: { by: 'agent:agt_1', reason: 'no longer needed' } },
    ]);
  });

  test('a cancel without a reason logs none', () => {
    assert.deepEqual(decideCancel(pending(), { by: 'operator:tok_1' })[0]!.data, { by: 'operator:tok_1' });
  });

  test('a red decision with one approval can still be withdrawn', () => {
    assert.equal(decideCancel(pending({ risk: 'red', approvals: [{ by: 'operator:a', at: later }] }), { by: 'operator:b' }).length, 1);
  });

  for (const [status, detail] of [
    ['resolved', /already resolved "approve" by operator:tok_1/],
    ['expired', /already expired/],
    ['cancelled', /already cancelled by operator:tok_1/],
  ] as const) {
    test(`a ${status} decision is a 409 that says how it settled`, () => {
      refused(() => decideCancel(pending({ status, outcome: 'approve', resolvedBy: 'operator:tok_1' }), { by: 'operator:tok_2' }), 409, 'conflict', detail);
    });
  }

  test('operators and admins cancel any decision; agents and the healer only the ones they asked', () => {
    const asked = { id: 'dec_1', requestedBy: 'agent:agt_1' };
    assert.equal(mayCancel({ role: 'operator', actor: 'operator:tok_1' }, asked), true);
    assert.equal(mayCancel({ role: 'admin', actor: 'admin:tok_0' }, asked), true);
    assert.equal(mayCancel({ role: 'agent', actor: 'agent:agt_1' }, asked), true);
    assert.equal(mayCancel({ role: 'agent', actor: 'agent:agt_2' }, asked), false);
    assert.equal(mayCancel({ role: 'healer', actor: 'healer' }, asked), false);
    assert.equal(mayCancel({ role: 'healer', actor: 'healer' }, { id: 'dec_2', requestedBy: 'healer' }), true);
  });
});

describe('the asker ending', () => {
  test('an exit ends the asker, with its code in the reason', () => {
    assert.equal(askerEndedReason({ type: 'agent.exited', agentId: 'agt_1', data: { code: 0 } }), 'the asking agent agt_1 exited (code 0)');
    assert.equal(askerEndedReason({ type: 'agent.exited', agentId: 'agt_1', data: { code: null, signal: 'SIGTERM', stoppedBy: 'operator:ann' } }), 'the asking agent agt_1 was stopped by operator:ann');
  });

  test('a failure ends the asker, with its code and error in the reason', () => {
    assert.equal(askerEndedReason({ type: 'agent.failed', agentId: 'agt_1', data: { code: 1, error: 'ECONNRESET' } }), 'the asking agent agt_1 failed (code 1): ECONNRESET');
  });

  test('a kill names the signal', () => {
    assert.match(askerEndedReason({ type: 'agent.failed', agentId: 'agt_1', data: { code: null, signal: 'SIGKILL', error: 'killed' } })!, /was killed by SIGKILL: killed/);
  });

  test('the reason fits the event schema however long the error is', () => {
    assert.equal(Array.from(askerEndedReason({ type: 'agent.failed', agentId: 'agt_1', data: { code: 1, error: 'x'.repeat(4000) } })!).length, 4000);
  });

  for (const type of ['agent.paused', 'agent.stale', 'agent.output', 'decision.requested']) {
    test(`${type} does not end the asker`, () => {
      assert.equal(askerEndedReason({ type, agentId: 'agt_1', data: {} }), undefined);
    });
  }

  test('an event without an agent ends no one', () => {
    assert.equal(askerEndedReason({ type: 'agent.exited', data: { code: 0 } }), undefined);
  });
});
