import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { emptyState, withAgents, withDecision, withDecisions, withEvents } from '../../dashboard/src/state/dashboard-state.ts';
import { refreshPlan } from '../../dashboard/src/state/refresh-plan.ts';
import { Store } from '../../dashboard/src/state/store.ts';
import { agent, decision, envelope } from '../helpers/dashboard-fakes.ts';

describe('the store', () => {
  test('tells subscribers of a new value, not of the same one, and stops when asked', () => {
    const store = new Store(1);
    const seen: number[] = [];
    const stop = store.subscribe((v) => seen.push(v));
    store.set(2);
    store.set(2);
    store.update((v) => v + 1);
    stop();
    store.set(9);
    assert.deepEqual(seen, [2, 3]);
  });
});

describe('folding events', () => {
  test('keeps them in seq order and drops ones already seen', () => {
    let state = withEvents(emptyState, [envelope(2), envelope(1)]);
    state = withEvents(state, [envelope(2), envelope(3)]);
    assert.deepEqual(state.events.map((e) => e.seq), [1, 2, 3]);
    assert.equal(state.lastSeq, 3);
  });

  test('an empty or stale batch leaves the state object as it was', () => {
    const state = withEvents(emptyState, [envelope(5)]);
    assert.equal(withEvents(state, []), state);
    assert.equal(withEvents(state, [envelope(4)]), state);
  });

  test('keeps at most the cap, dropping the oldest', () => {
    let state = emptyState;
    for (let seq = 1; seq <= 25; seq++) state = withEvents(state, [envelope(seq)], 10);
    assert.equal(state.events.length, 10);
    assert.equal(state.events[0]?.seq, 16);
  });

  test('10,000 events in one batch of 12,000 keep the newest', () => {
    const batch = Array.from({ length: 12_000 }, (_, i) => envelope(i + 1));
    const state = withEvents(emptyState, batch);
    assert.equal(state.events.length, 10_000);
    assert.equal(state.events[0]?.seq, 2001);
  });

  test('collects heals and follows pause-all', () => {
    const state = withEvents(emptyState, [envelope(1, 'hub.paused_all'), envelope(2, 'heal.completed'), envelope(3, 'heal.escalated')]);
    assert.deepEqual(state.heals.map((h) => h.type), ['heal.completed', 'heal.escalated']);
    assert.equal(state.pausedAll, true);
    assert.equal(withEvents(state, [envelope(4, 'hub.resumed_all')]).pausedAll, false);
  });

  test("an agent's event moves its lastSeenAt forward, never back", () => {
    const state = withAgents(emptyState, [agent('a', { lastSeenAt: '2026-01-01T00:00:05.000Z' })]);
    const later = withEvents(state, [envelope(10, 'x.progress', { agentId: 'a' })]);
    assert.equal(later.agents.get('a')?.lastSeenAt, '2026-01-01T00:00:10.000Z');
    const earlier = withEvents(state, [envelope(2, 'x.progress', { agentId: 'a' })]);
    assert.equal(earlier.agents.get('a')?.lastSeenAt, '2026-01-01T00:00:05.000Z');
  });

  test('an event about an agent the view does not know, named like an inherited property, changes no agent', () => {
    const state = withAgents(emptyState, [agent('a')]);
    const next = withEvents(state, [envelope(1, 'x.progress', { agentId: 'toString' }), envelope(2, 'x.progress', { agentId: '__proto__' })]);
    assert.deepEqual([...next.agents.keys()], ['a']);
  });

  test("an event moves the lastSeenAt of an agent whose id is an inherited property's name", () => {
    const state = withAgents(emptyState, [agent('toString', { lastSeenAt: '2026-01-01T00:00:01.000Z' })]);
    const next = withEvents(state, [envelope(3, 'x.progress', { agentId: 'toString' })]);
    assert.equal(next.agents.get('toString')?.lastSeenAt, '2026-01-01T00:00:03.000Z');
    assert.equal(next.agents.get('toString')?.name, 'toString');
  });
});

describe('views', () => {
  test('decisions merge by id; a newer read replaces the row', () => {
    let state = withDecisions(emptyState, [decision('d1'), decision('d2')]);
    state = withDecisions(state, [decision('d2', { status: 'resolved' }), decision('d3')]);
    state = withDecision(state, decision('d1', { approvals: [{ by: 'operator:x', at: 't' }] }));
    assert.deepEqual([...state.decisions.keys()].sort(), ['d1', 'd2', 'd3']);
    assert.equal(state.decisions.get('d2')?.status, 'resolved');
    assert.equal(state.decisions.get('d1')?.approvals.length, 1);
  });
});

describe('what events make the dashboard read again', () => {
  test('each resource once, by id, for the events of its kind', () => {
    const plan = refreshPlan([
      envelope(1, 'agent.paused', { agentId: 'a' }),
      envelope(2, 'run.completed', { agentId: 'a' }),
      envelope(3, 'task.transitioned', { taskId: 't', agentId: 'b' }),
      envelope(4, 'decision.resolved', { decisionId: 'd', agentId: 'a' }),
      envelope(5, 'decision.approved_once', { decisionId: 'd' }),
    ]);
    assert.deepEqual(plan, { agents: ['a', 'b'], tasks: ['t'], decisions: ['d'] });
  });

  test('output lines and custom events read nothing again', () => {
    assert.deepEqual(refreshPlan([envelope(1, 'agent.output', { agentId: 'a' }), envelope(2, 'x.progress', { agentId: 'a', taskId: 't' })]), { agents: [], tasks: [], decisions: [] });
  });
});
