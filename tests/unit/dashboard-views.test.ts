import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { describe, test } from 'node:test';
import { agentActions, agentOrder } from '../../dashboard/src/state/agent-actions.ts';
import { catalogTypes } from '../../dashboard/src/state/catalog.ts';
import { answerOptions, approvalProgress, approvedBy, inboxOrder } from '../../dashboard/src/state/inbox.ts';
import { parseRoute, routeHash } from '../../dashboard/src/state/route.ts';
import { boardColumns, movesFrom, taskMoves } from '../../dashboard/src/state/task-board.ts';
import { taskBoardOrder } from '../../dashboard/src/state/types.ts';
import { transitions } from '../../server/tasks/rules.ts';
import { emptyState, withAgents } from '../../dashboard/src/state/dashboard-state.ts';
import { agent, decision, task } from '../helpers/dashboard-fakes.ts';

const byId = <T extends { id: string }>(items: T[]) => new Map(items.map((item) => [item.id, item]));

describe('the task board', () => {
  test("mirrors the hub's state machine exactly", () => {
    assert.deepEqual(taskMoves, transitions);
  });

  test('offers the moves the state machine allows from each state', () => {
    assert.deepEqual(movesFrom('todo'), ['in_progress', 'blocked', 'cancelled']);
    assert.deepEqual(movesFrom('in_progress'), ['review', 'blocked', 'cancelled']);
    assert.deepEqual(movesFrom('review'), ['done', 'in_progress', 'blocked', 'cancelled']);
    assert.deepEqual(movesFrom('blocked'), ['todo', 'in_progress', 'cancelled']);
    assert.deepEqual(movesFrom('done'), []);
    assert.deepEqual(movesFrom('cancelled'), []);
  });

  test('has a column per state, in order, most urgent first', () => {
    const columns = boardColumns(byId([task('a', { status: 'review', priority: 'low' }), task('b', { status: 'review', priority: 'urgent' }), task('c', { status: 'done' })]));
    assert.deepEqual(columns.map((c) => c.status), [...taskBoardOrder]);
    assert.deepEqual(columns.find((c) => c.status === 'review')?.tasks.map((t) => t.id), ['b', 'a']);
    assert.equal(columns.find((c) => c.status === 'todo')?.tasks.length, 0);
  });
});

describe('the inbox', () => {
  test('pending first by deadline, then the settled ones newest first', () => {
    const { pending, history } = inboxOrder(
      byId([
        decision('late', { expiresAt: '2026-01-01T02:00:00.000Z' }),
        decision('soon', { expiresAt: '2026-01-01T00:10:00.000Z' }),
        decision('old', { status: 'resolved', resolvedAt: '2026-01-01T00:01:00.000Z' }),
        decision('new', { status: 'expired', resolvedAt: '2026-01-01T00:05:00.000Z' }),
      ]),
    );
    assert.deepEqual(pending.map((d) => d.id), ['soon', 'late']);
    assert.deepEqual(history.map((d) => d.id), ['new', 'old']);
  });

  test('a red decision counts its approvals; the others need one answer', () => {
    assert.equal(approvalProgress(decision('r', { risk: 'red', approvals: [{ by: 'operator:a', at: 't' }] })), '1 of 2 approvals');
    assert.equal(approvalProgress(decision('h', { risk: 'high' })), undefined);
  });

  test("offers the asker's own answers, approve and deny first; a healer's escalation only retry and abandon; a red decision only approve and deny", () => {
    assert.deepEqual(answerOptions(decision('d', { options: ['retry', 'deny', 'approve'] })), ['approve', 'deny', 'retry']);
    assert.deepEqual(answerOptions(decision('h', { options: ['retry', 'abandon'] })), ['retry', 'abandon']);
    assert.deepEqual(answerOptions(decision('r', { risk: 'red', options: ['approve', 'deny'] })), ['approve', 'deny']);
  });

  test('knows who approved already', () => {
    const d = decision('d', { risk: 'red', approvals: [{ by: 'operator:a', at: 't' }] });
    assert.equal(approvedBy(d, 'operator:a'), true);
    assert.equal(approvedBy(d, 'operator:b'), false);
  });
});

describe('agents', () => {
  test('offer pause to live agents, resume to paused ones, messages to reachable ones', () => {
    assert.deepEqual(agentActions(agent('a', { status: 'running' })), { pause: true, resume: false, inject: true, stop: false });
    assert.deepEqual(agentActions(agent('a', { status: 'paused' })), { pause: false, resume: true, inject: true, stop: false });
    assert.deepEqual(agentActions(agent('a', { status: 'exited' })), { pause: false, resume: false, inject: false, stop: false });
  });

  test('list the live ones first', () => {
    assert.deepEqual(agentOrder(byId([agent('z'), agent('a', { status: 'failed' })])).map((a) => a.id), ['z', 'a']);
  });

  test('list agents whose ids are names every object inherits, like any other', () => {
    const ids = ['toString', '__proto__', 'constructor', 'hasOwnProperty'];
    const state = withAgents(emptyState, ids.map((id) => agent(id)));
    assert.deepEqual(agentOrder(state.agents).map((a) => a.id).sort(), [...ids].sort());
  });
});

describe('routes', () => {
  test('a hash names a view and optionally what to show', () => {
    assert.deepEqual(parseRoute('#/inbox/dec_1'), { view: 'inbox', id: 'dec_1' });
    assert.deepEqual(parseRoute('#/tasks'), { view: 'tasks' });
    assert.deepEqual(parseRoute('#/feed'), { view: 'feed' });
    assert.deepEqual(parseRoute('#/nowhere'), { view: 'overview' });
    assert.deepEqual(parseRoute(''), { view: 'overview' }, 'the overview is the landing view');
    assert.equal(routeHash({ view: 'inbox', id: 'dec_1' }), '#/inbox/dec_1');
  });
});

describe('the event catalog the live stream listens to', () => {
  test('is every event type in contracts/events', () => {
    const files = readdirSync(new URL('../../contracts/events/', import.meta.url)).filter((f) => f.endsWith('.schema.json'));
    const types = files.map((f) => f.replace('.schema.json', '')).filter((t) => t.includes('.') && t !== 'x');
    assert.deepEqual([...catalogTypes].sort(), types.sort());
  });
});
