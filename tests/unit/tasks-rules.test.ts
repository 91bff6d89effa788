import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { EventEnvelope } from '../../contracts/index.ts';
import { HubError } from '../../server/errors.ts';
import { type TaskStatus, taskStatuses } from '../../contracts/vocabulary.ts';
import type { Task, TaskChange } from '../../server/tasks/model.ts';
import { type MoveCommand, blockForLoop, decide, evolve, loopThreshold, pingPong, repeatedFailure, transitions, windowSeconds } from '../../server/tasks/rules.ts';

function task(overrides: Partial<Task> = {}): Task {
  return {
    id: 'tsk_1',
    title: 'Fix the build',
    description: null,
    priority: 'normal',
    labels: [],
    status: 'todo',
    agentId: null,
    blockedReason: null,
    statusBeforeBlock: null,
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
    createdSeq: 1,
    lastSeq: 1,
    projectId: 'default',
    ...overrides,
  };
}

const operator = (to: TaskStatus, extra: Partial<MoveCommand> = {}): MoveCommand => ({ to, role: 'operator', agentId: null, ...extra });
const agent = (to: TaskStatus, agentId = 'agt_a', extra: Partial<MoveCommand> = {}): MoveCommand => ({ to, role: 'agent', agentId, ...extra });

function changes(decided: () => TaskChange[]): TaskChange[] {
  try {
    return decided();
  } catch (error) {
    return assert.fail(`expected events, got ${error instanceof HubError ? `${error.status} ${error.message}` : String(error)}`);
  }
}

function refused(decided: () => TaskChange[], status: number, detail: RegExp): void {
  assert.throws(decided, (error) => {
    assert.ok(error instanceof HubError, `expected a ${status}, got ${String(error)}`);
    assert.equal(error.status, status);
    assert.equal(error.code, status === 409 ? 'conflict' : 'forbidden');
    assert.match(error.message, detail);
    return true;
  });
}

function envelope(seq: number, type: string, data: Record<string, unknown>, taskId: string | null = 'tsk_1'): EventEnvelope {
  return { seq, id: `evt_${seq}`, type, actor: 'operator:op', recordedAt: `2026-01-01T00:00:0${seq}.000Z`, data, ...(taskId ? { taskId } : {}) };
}

describe('the state machine', () => {
  test('an operator may make every legal move, and it becomes one task.transitioned', () => {
    for (const from of taskStatuses) {
      for (const to of transitions[from]) {
        assert.deepEqual(changes(() => decide(task({ status: from }), operator(to))), [{ type: 'task.transitioned', data: { from, to } }]);
      }
    }
  });

  test('an admin may make the same moves as an operator', () => {
    assert.deepEqual(changes(() => decide(task({ status: 'review' }), { to: 'done', role: 'admin', agentId: null })), [{ type: 'task.transitioned', data: { from: 'review', to: 'done' } }]);
  });

  test('the legal moves are todo -> in_progress -> review -> done, review -> in_progress, blocked and cancelled', () => {
    assert.deepEqual(transitions, {
      todo: ['in_progress', 'blocked', 'cancelled'],
      in_progress: ['review', 'blocked', 'cancelled'],
      review: ['done', 'in_progress', 'blocked', 'cancelled'],
      blocked: ['todo', 'in_progress', 'cancelled'],
      done: [],
      cancelled: [],
    });
  });

  test('an illegal move is a 409 conflict that lists the moves allowed from here', () => {
    refused(() => decide(task(), operator('done')), 409, /^cannot move task tsk_1 from todo to done; allowed: in_progress, blocked, cancelled$/);
  });

  test('moving to the state the task is in is illegal', () => {
    refused(() => decide(task({ status: 'in_progress' }), operator('in_progress')), 409, /from in_progress to in_progress; allowed: review, blocked, cancelled/);
  });

  test('done and cancelled are final: every move is a 409 that says so', () => {
    for (const status of ['done', 'cancelled'] as const) refused(() => decide(task({ status }), operator('todo')), 409, new RegExp(`allowed: none \\(${status} is final\\)`));
  });

  test('the reason travels with the move', () => {
    assert.deepEqual(changes(() => decide(task({ status: 'in_progress' }), operator('blocked', { reason: 'waiting for credentials' }))), [
      { type: 'task.transitioned', data: { from: 'in_progress', to: 'blocked', reason: 'waiting for credentials' } },
    ]);
  });
});

describe('what an agent may do', () => {
  test('on its own task: todo -> in_progress, in_progress -> review, in_progress -> blocked, blocked -> in_progress', () => {
    const moves: Array<[TaskStatus, TaskStatus]> = [['todo', 'in_progress'], ['in_progress', 'review'], ['in_progress', 'blocked'], ['blocked', 'in_progress']];
    for (const [from, to] of moves) {
      assert.deepEqual(changes(() => decide(task({ status: from, agentId: 'agt_a' }), agent(to))), [{ type: 'task.transitioned', data: { from, to } }]);
    }
  });

  test('it may not finish or cancel its own task: 403 forbidden', () => {
    refused(() => decide(task({ status: 'review', agentId: 'agt_a' }), agent('done')), 403, /agent may not move a task from review to done/);
    refused(() => decide(task({ status: 'in_progress', agentId: 'agt_a' }), agent('cancelled')), 403, /from in_progress to cancelled; it may move this one to: review, blocked/);
  });

  test('it may not send a task back from review, nor return one to todo: 403 forbidden', () => {
    refused(() => decide(task({ status: 'review', agentId: 'agt_a' }), agent('in_progress')), 403, /review to in_progress/);
    refused(() => decide(task({ status: 'blocked', agentId: 'agt_a' }), agent('todo')), 403, /blocked to todo/);
  });

  test("an illegal move lists the agent's own allowed moves", () => {
    refused(() => decide(task({ agentId: 'agt_a' }), agent('done')), 409, /from todo to done; allowed: in_progress$/);
  });

  test('starting an unassigned todo task takes it: task.assigned first, then the move', () => {
    assert.deepEqual(changes(() => decide(task(), agent('in_progress'))), [
      { type: 'task.assigned', data: { agentId: 'agt_a' } },
      { type: 'task.transitioned', data: { from: 'todo', to: 'in_progress' } },
    ]);
  });

  test("another agent's task is a 403 that names its owner", () => {
    refused(() => decide(task({ status: 'in_progress', agentId: 'agt_b' }), agent('review')), 403, /assigned to agt_b; an agent moves only its own tasks/);
  });

  test('an unassigned task that is not todo is not for taking: 403', () => {
    refused(() => decide(task({ status: 'blocked' }), agent('in_progress')), 403, /unassigned and blocked/);
  });

  test('an operator moving an unassigned task does not assign it', () => {
    assert.deepEqual(changes(() => decide(task(), operator('in_progress'))), [{ type: 'task.transitioned', data: { from: 'todo', to: 'in_progress' } }]);
  });

  test('other roles may not move tasks: 403', () => {
    refused(() => decide(task(), { to: 'in_progress', role: 'viewer', agentId: null }), 403, /viewer may not move/);
  });
});

describe('the healer retries the task of a failed agent', () => {
  const healer = (to: TaskStatus, extra: Partial<MoveCommand> = {}): MoveCommand => ({ to, role: 'healer', agentId: null, ...extra });

  test('a blocked task whose agent failed goes back to todo', () => {
    assert.deepEqual(changes(() => decide(task({ status: 'blocked', agentId: 'agt_a' }), healer('todo', { assigneeFailed: true }))), [{ type: 'task.transitioned', data: { from: 'blocked', to: 'todo' } }]);
  });

  test('a task in progress or in review whose agent failed may be blocked, on the way back to todo', () => {
    for (const status of ['in_progress', 'review'] as const) {
      assert.equal(changes(() => decide(task({ status, agentId: 'agt_a' }), healer('blocked', { assigneeFailed: true })))[0]!.type, 'task.transitioned');
    }
  });

  test('a task whose agent has not failed is not the healer\'s to move: 403, even from blocked to todo', () => {
    refused(() => decide(task({ status: 'blocked', agentId: 'agt_a' }), healer('todo')), 403, /only when its agent has failed/);
    refused(() => decide(task({ status: 'blocked' }), healer('todo')), 403, /only when its agent has failed/);
  });

  test('no other move, even for a failed agent\'s task: 403', () => {
    refused(() => decide(task({ status: 'review', agentId: 'agt_a' }), healer('done', { assigneeFailed: true })), 403, /healer may not move a task from review to done/);
    refused(() => decide(task({ status: 'blocked', agentId: 'agt_a' }), healer('in_progress', { assigneeFailed: true })), 403, /healer may not move/);
  });

  test('the healer may not hand the task to another agent: 403', () => {
    refused(() => decide(task({ status: 'blocked', agentId: 'agt_a' }), healer('todo', { assigneeFailed: true, assignTo: 'agt_b' })), 403, /may not hand a task/);
  });
});

describe('handing a task over with a move', () => {
  test('an operator hands it to any agent: task.assigned first, then the move', () => {
    assert.deepEqual(changes(() => decide(task({ status: 'in_progress', agentId: 'agt_a' }), operator('review', { assignTo: 'agt_b' }))), [
      { type: 'task.assigned', data: { agentId: 'agt_b' } },
      { type: 'task.transitioned', data: { from: 'in_progress', to: 'review' } },
    ]);
  });

  test('handing it to the agent it already has appends no assignment', () => {
    assert.deepEqual(changes(() => decide(task({ status: 'in_progress', agentId: 'agt_a' }), operator('review', { assignTo: 'agt_a' }))), [
      { type: 'task.transitioned', data: { from: 'in_progress', to: 'review' } },
    ]);
  });

  test('an agent may not hand a task to another agent: 403', () => {
    refused(() => decide(task({ status: 'in_progress', agentId: 'agt_a' }), agent('review', 'agt_a', { assignTo: 'agt_b' })), 403, /may not hand a task to another agent \(agt_b\)/);
  });
});

describe('evolve', () => {
  const created = envelope(1, 'task.created', { title: 'Fix the build', priority: 'high', labels: ['ci'], description: 'It is red.' });

  test('task.created starts a todo task from its data, the id and time from the envelope', () => {
    assert.deepEqual(evolve(undefined, created), task({ priority: 'high', labels: ['ci'], description: 'It is red.', createdAt: created.recordedAt, updatedAt: created.recordedAt }));
  });

  test('a second task.created for the same id changes nothing', () => {
    const first = evolve(undefined, created)!;
    assert.equal(evolve(first, envelope(2, 'task.created', { title: 'Other', priority: 'low', labels: [] })), first);
  });

  test('task.assigned sets the agent and stamps the time and seq', () => {
    const next = evolve(task(), envelope(2, 'task.assigned', { agentId: 'agt_a' }))!;
    assert.deepEqual([next.agentId, next.lastSeq, next.updatedAt], ['agt_a', 2, '2026-01-01T00:00:02.000Z']);
  });

  test('a move to blocked keeps the reason and the state it came from', () => {
    const next = evolve(task({ status: 'review' }), envelope(2, 'task.transitioned', { from: 'review', to: 'blocked', reason: 'flaky CI' }))!;
    assert.deepEqual([next.status, next.blockedReason, next.statusBeforeBlock], ['blocked', 'flaky CI', 'review']);
  });

  test('leaving blocked clears the reason and the state before', () => {
    const blocked = task({ status: 'blocked', blockedReason: 'flaky CI', statusBeforeBlock: 'review' });
    const next = evolve(blocked, envelope(3, 'task.transitioned', { from: 'blocked', to: 'in_progress' }))!;
    assert.deepEqual([next.status, next.blockedReason, next.statusBeforeBlock], ['in_progress', null, null]);
  });

  test('events about an unknown task, or of other types, change nothing', () => {
    assert.equal(evolve(undefined, envelope(2, 'task.assigned', { agentId: 'agt_a' })), undefined);
    const t = task();
    assert.equal(evolve(t, envelope(2, 'agent.failed', { error: 'boom' })), t);
    assert.equal(evolve(undefined, envelope(2, 'task.created', { title: 't', priority: 'low', labels: [] }, null)), undefined);
  });
});

describe('loop rules', () => {
  test('the same failure below the threshold is no loop', () => {
    assert.equal(repeatedFailure('agt_a', 'ECONNREFUSED', 2, 3), undefined);
  });

  test('the same failure at the threshold is a loop whose detail names the agent, the count and the error', () => {
    assert.deepEqual(repeatedFailure('agt_a', 'ECONNREFUSED', 3, 3), { kind: 'repeated_failure', count: 3, detail: 'loop: agt_a failed 3 times with ECONNREFUSED', agentIds: ['agt_a'] });
  });

  test('a long error is cut so the reason fits in the log', () => {
    const finding = repeatedFailure('agt_a', 'x'.repeat(10_000), 3, 3)!;
    assert.ok(finding.detail.length <= 4000, `detail is ${finding.detail.length} characters`);
  });

  test('a loop needs at least two occurrences whatever the configuration says', () => {
    assert.equal(loopThreshold(1), 2);
    assert.equal(repeatedFailure('agt_a', 'boom', 1, 1), undefined);
  });

  test('the last N assignments alternating between two agents are a ping-pong', () => {
    assert.deepEqual(pingPong('tsk_1', ['agt_b', 'agt_a', 'agt_b', 'agt_a'], 4), {
      kind: 'ping_pong',
      count: 4,
      detail: 'loop: task tsk_1 was handed back and forth between agt_a and agt_b 4 times',
      agentIds: ['agt_a', 'agt_b'],
    });
  });

  test('fewer assignments, a repeat in a row, or a third agent is no ping-pong', () => {
    assert.equal(pingPong('tsk_1', ['agt_b', 'agt_a', 'agt_b'], 4), undefined);
    assert.equal(pingPong('tsk_1', ['agt_b', 'agt_a', 'agt_a', 'agt_b'], 4), undefined);
    assert.equal(pingPong('tsk_1', ['agt_b', 'agt_a', 'agt_b', 'agt_c'], 4), undefined);
  });

  test('a loop blocks a working task: the move to blocked with the detail as reason, then hub.loop_detected', () => {
    const finding = repeatedFailure('agt_a', 'boom', 3, 3)!;
    assert.deepEqual(blockForLoop(task({ status: 'in_progress', agentId: 'agt_a' }), finding, 600_000), [
      { type: 'task.transitioned', data: { from: 'in_progress', to: 'blocked', reason: 'loop: agt_a failed 3 times with boom' } },
      { type: 'hub.loop_detected', data: { kind: 'repeated_failure', count: 3, windowSec: 600, detail: 'loop: agt_a failed 3 times with boom', agentIds: ['agt_a'] } },
    ]);
  });

  test('a blocked or finished task is not blocked again', () => {
    const finding = repeatedFailure('agt_a', 'boom', 3, 3)!;
    for (const status of ['blocked', 'done', 'cancelled'] as const) assert.deepEqual(blockForLoop(task({ status }), finding, 600_000), []);
  });

  test('the window is reported in whole seconds, at least one', () => {
    assert.deepEqual([windowSeconds(600_000), windowSeconds(1), windowSeconds(1_499)], [600, 1, 1]);
  });
});
