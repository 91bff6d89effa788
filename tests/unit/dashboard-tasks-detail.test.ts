import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { eventDetail, incidentReport, reportFileName, utc } from '../../dashboard/src/state/incident-report.ts';
import { mergeTimeline, taskAgentIds, taskCreateRequest, taskDecisions, taskFailures, taskMoves } from '../../dashboard/src/state/task-detail.ts';
import type { EventEnvelope, TaskView } from '../../dashboard/src/state/types.ts';

let seq = 0;
function event(type: string, data: Record<string, unknown>, more: Partial<EventEnvelope> = {}): EventEnvelope {
  seq += 1;
  return { seq, id: `evt_${seq}`, type, actor: 'operator:tok_sam', taskId: 'tsk_1', recordedAt: `2026-12-01T04:0${seq}:00.000Z`, data, ...more };
}

const task: TaskView = {
  projectId: 'default',
  id: 'tsk_1',
  title: 'Migrate the billing schema',
  description: 'To v7.',
  priority: 'high',
  labels: ['db'],
  status: 'blocked',
  agentId: 'agt_a',
  blockedReason: 'waiting on staging',
  createdAt: '2026-12-01T04:01:00.000Z',
  updatedAt: '2026-12-01T04:06:00.000Z',
};

seq = 0;
const events = [
  event('task.created', { title: task.title, priority: 'high', labels: ['db'] }),
  event('task.transitioned', { from: 'todo', to: 'in_progress' }, { actor: 'agent:agt_a', agentId: 'agt_a' }),
  event('decision.requested', { title: 'Drop legacy_users?', risk: 'red' }, { actor: 'agent:agt_a', agentId: 'agt_a', decisionId: 'dec_1' }),
  event('decision.resolved', { outcome: 'deny', by: 'operator:tok_ann' }, { actor: 'operator:tok_ann', decisionId: 'dec_1' }),
  event('agent.failed', { error: 'exited with code 1' }, { actor: 'agent:agt_b', agentId: 'agt_b' }),
  event('task.transitioned', { from: 'in_progress', to: 'blocked', reason: 'waiting on staging' }),
];
const people: Record<string, string> = { 'operator:tok_sam': 'sam', 'operator:tok_ann': 'ann', 'agent:agt_a': 'claude', 'agent:agt_b': 'codex' };
const names = (actor: string) => people[actor] ?? actor;

describe("a task's history", () => {
  test('moves are read from task.transitioned, oldest first, whatever order the page came in', () => {
    const moves = taskMoves([...events].reverse());
    assert.deepEqual(
      moves.map((m) => [m.from, m.to, m.by, m.reason]),
      [
        ['todo', 'in_progress', 'agent:agt_a', undefined],
        ['in_progress', 'blocked', 'operator:tok_sam', 'waiting on staging'],
      ],
    );
  });

  test('a decision carries its last answer and who gave it', () => {
    assert.deepEqual(taskDecisions(events), [
      { id: 'dec_1', title: 'Drop legacy_users?', risk: 'red', askedBy: 'agent:agt_a', askedAt: events[2]!.recordedAt, status: 'resolved', outcome: 'deny', by: 'operator:tok_ann' },
    ]);
  });

  test('the agents are the assignee first, then every agent the events name', () => {
    assert.deepEqual(taskAgentIds(task, events), ['agt_a', 'agt_b']);
    assert.deepEqual(taskAgentIds({ agentId: null }, []), []);
  });

  test('failures keep their error', () => {
    assert.deepEqual(taskFailures(events), [{ at: events[4]!.recordedAt, agentId: 'agt_b', error: 'exited with code 1' }]);
  });

  test('an older page merges newest first without repeating an event', () => {
    const newest = [...events].reverse();
    assert.deepEqual(
      mergeTimeline(newest.slice(0, 4), newest.slice(3)).map((e) => e.seq),
      [6, 5, 4, 3, 2, 1],
    );
  });
});

describe('the new-task form', () => {
  test('empty fields are left out and labels split on commas without repeats', () => {
    assert.deepEqual(taskCreateRequest({ title: '  Fix CI ', description: ' ', priority: '', labels: '' }), { title: 'Fix CI' });
    assert.deepEqual(taskCreateRequest({ title: 'Fix CI', description: 'The flaky one.', priority: 'urgent', labels: 'ci, ci ,,flaky' }), {
      title: 'Fix CI',
      description: 'The flaky one.',
      priority: 'urgent',
      labels: ['ci', 'flaky'],
    });
  });
});

describe('the incident report', () => {
  const report = incidentReport(task, [...events].reverse(), names);

  test('starts with the title, the status and a summary line', () => {
    assert.match(report, /^# Migrate the billing schema\n/);
    assert.match(report, /- Status: \*\*Blocked\*\* \(waiting on staging\)/);
    assert.match(report, /\*\*Summary:\*\* Blocked after 2 moves, 1 decision, 1 failure, 2 agents, 6 events\./);
  });

  test('lists transitions, decisions with outcome and who, agents and failures by name', () => {
    assert.match(report, /- 2026-12-01 04:02:00 UTC: To do → In progress by claude\n/);
    assert.match(report, /- 2026-12-01 04:06:00 UTC: In progress → Blocked by sam: waiting on staging\n/);
    assert.match(report, /Drop legacy_users\? \(risk red, asked by claude\) → resolved: deny by ann/);
    assert.match(report, /## Agents\n\n- claude \(`agt_a`\)\n- codex \(`agt_b`\)\n/);
    assert.match(report, /## Failures\n\n- 2026-12-01 04:05:00 UTC: codex failed: exited with code 1\n/);
  });

  test('the timeline is oldest first, in UTC', () => {
    const timeline = report.slice(report.indexOf('## Timeline'));
    const times = [...timeline.matchAll(/^- (\S+ \S+) UTC/gm)].map((m) => m[1]);
    assert.equal(times.length, 6);
    assert.deepEqual(times, [...times].sort());
    assert.match(timeline, /`task\.created` by sam: Migrate the billing schema/);
  });

  test('an assignment names the agent, not its id', () => {
    assert.equal(eventDetail(event('task.assigned', { agentId: 'agt_b' }), names), ': to codex');
  });

  test('a task without history says so, and a newline in a title cannot break the Markdown', () => {
    const bare = incidentReport({ ...task, title: 'Two\nlines', description: null, agentId: null, status: 'todo', blockedReason: null }, [], names);
    assert.match(bare, /^# Two lines\n/);
    assert.match(bare, /## Transitions\n\nNone\./);
    assert.match(bare, /## Timeline\n\nNo events\./);
  });

  test('times are UTC and the file is task-<id>.md', () => {
    assert.equal(utc('2026-12-01T23:59:58.123Z'), '2026-12-01 23:59:58 UTC');
    assert.equal(reportFileName('tsk_1'), 'task-tsk_1.md');
  });
});
