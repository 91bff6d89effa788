import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { eventMatcher, filterEvents, isFiltered, noFilter } from '../../dashboard/src/state/feed-filter.ts';
import { catalogTypes } from '../../dashboard/src/state/catalog.ts';
import { summarize } from '../../dashboard/src/state/feed-summary.ts';
import { atEnd, visibleRows } from '../../dashboard/src/state/feed-window.ts';
import { envelope } from '../helpers/dashboard-fakes.ts';

describe('feed filters', () => {
  const events = [
    envelope(1, 'decision.requested', { agentId: 'a', taskId: 't1' }),
    envelope(2, 'decision.resolved', { agentId: 'b' }),
    envelope(3, 'agent.failed', { agentId: 'a', taskId: 't2' }),
  ];

  test('a type matches by its start, with or without a trailing *', () => {
    assert.deepEqual(filterEvents(events, { ...noFilter, type: 'decision.' }).map((e) => e.seq), [1, 2]);
    assert.deepEqual(filterEvents(events, { ...noFilter, type: 'decision.*' }).map((e) => e.seq), [1, 2]);
    assert.deepEqual(filterEvents(events, { ...noFilter, type: 'agent.failed' }).map((e) => e.seq), [3]);
  });

  test('agent and task match exactly, and all filters together', () => {
    assert.deepEqual(filterEvents(events, { type: '', agent: 'a', task: '' }).map((e) => e.seq), [1, 3]);
    assert.deepEqual(filterEvents(events, { type: 'decision', agent: 'a', task: 't1' }).map((e) => e.seq), [1]);
    assert.equal(eventMatcher({ type: '', agent: ' b ', task: '' })(events[1]!), true);
  });

  test('no filter returns the same array (nothing copied for 10,000 events)', () => {
    assert.equal(filterEvents(events, noFilter), events);
    assert.equal(isFiltered(noFilter), false);
  });
});

describe('feed rows', () => {
  test('say the main field of common events in one line', () => {
    assert.equal(summarize(envelope(1, 'task.transitioned', { data: { from: 'todo', to: 'blocked', reason: 'waiting' } })), 'todo → blocked: waiting');
    assert.equal(summarize(envelope(1, 'agent.output', { data: { stream: 'stderr', line: 'boom' } })), 'stderr: boom');
    assert.equal(summarize(envelope(1, 'decision.approved_once', { data: { by: 'operator:ann' } })), '1 of 2 approvals, by operator:ann');
    assert.equal(summarize(envelope(1, 'decision.expired', { data: { outcome: 'deny', onTimeout: 'deny' } })), 'deadline passed: deny (on timeout: deny)');
    assert.equal(summarize(envelope(1, 'decision.reminded', { data: { step: 1, people: ['ann'], channels: ['email', 'slack'], escalation: false } })), 'reminded ann by email, slack');
    assert.equal(summarize(envelope(1, 'decision.reminded', { data: { step: 2, people: ['lead'], channels: ['ntfy'], escalation: true } })), 'escalated to lead by ntfy');
    assert.equal(summarize(envelope(1, 'x.deploy', { data: { env: 'prod' } })), '{"env":"prod"}');
    assert.equal(summarize(envelope(1, 'agent.stop_requested', { data: { by: 'operator:ann', reason: 'done' } })), 'by operator:ann: done');
    assert.equal(summarize(envelope(1, 'agent.exited', { data: { code: null, signal: 'SIGTERM', stoppedBy: 'operator:ann' } })), 'stopped by operator:ann (SIGTERM)');
    assert.equal(summarize(envelope(1, 'agent.exited', { data: { code: 0 } })), 'code 0');
  });

  test("say a coding agent's tool call with its verdict and rule", () => {
    const policy = { rule: 'force-push', verdict: 'red', reason: 'x', source: 'shipped' };
    assert.equal(summarize(envelope(1, 'tool.requested', { data: { tool: 'Bash', input: { command: 'git push -f' }, policy } })), 'Bash: git push -f → red (force-push)');
    assert.equal(summarize(envelope(1, 'tool.completed', { data: { tool: 'Edit', input: { file_path: 'src/a.ts' } } })), 'Edit: src/a.ts');
    assert.equal(summarize(envelope(1, 'tool.failed', { data: { tool: 'Bash', error: 'exit 1' } })), 'Bash: exit 1');
    assert.equal(summarize(envelope(1, 'policy.rule_added', { data: { rule: { name: 'from-dec_1' }, scope: 'agent', by: 'operator:ann' } })), 'from-dec_1 for agent, by operator:ann');
  });

  test('name the people who answered, not their token ids', () => {
    const names = (actor: string) => (actor === 'operator:tok_1' ? 'ann' : actor);
    assert.equal(summarize(envelope(1, 'decision.resolved', { data: { outcome: 'approve', by: 'operator:tok_1' } }), names), 'approve by ann');
    assert.equal(summarize(envelope(1, 'decision.approved_once', { data: { by: 'operator:tok_1' } }), names), '1 of 2 approvals, by ann');
  });

  test('say what agents, budgets and assignments are about, in words, not JSON', () => {
    const names = (actor: string) => ({ 'operator:tok_1': 'ann', 'agent:agt_1': 'worker-1' })[actor] ?? actor;
    const hook = { via: 'hook', name: 'shop', vendor: 'claude-code', sessionId: 's1', cwd: '/home/ann/shop' };
    assert.equal(summarize(envelope(1, 'agent.registered', { data: hook })), 'via hook (claude-code) in /home/ann/shop');
    assert.equal(summarize(envelope(1, 'agent.registered', { data: { via: 'heartbeat' } })), 'via heartbeat');
    assert.equal(summarize(envelope(1, 'task.assigned', { data: { agentId: 'agt_1' } }), names), 'to worker-1');
    assert.equal(summarize(envelope(1, 'budget.warning', { data: { scope: 'agent', scopeId: 'agt_1', spentUsd: 4, limitUsd: 5 } }), names), 'worker-1: $4.00 of $5.00');
    assert.equal(summarize(envelope(1, 'budget.exceeded', { data: { scope: 'global', spentUsd: 51.5, limitUsd: 50 } }), names), 'all agents: $51.50 of $50.00');
    const corrected = { scope: 'task', scopeId: 'tsk_1', spentUsd: 0, reason: 'billed twice', by: 'operator:tok_1' };
    assert.equal(summarize(envelope(1, 'budget.spend_corrected', { data: corrected }), names), 'task tsk_1 spend set to $0.00 by ann: billed twice');
    assert.equal(summarize(envelope(1, 'hub.paused_all', { data: { by: 'operator:tok_1', reason: 'incident' } }), names), 'by ann: incident');
    assert.equal(summarize(envelope(1, 'run.completed', { data: { tokensIn: 1200, tokensOut: 300, costUsd: 0.42 } })), '1200 tokens in, 300 out, $0.42');
  });

  test('leave raw JSON to custom events only: every catalog type has its own line', () => {
    for (const type of catalogTypes) assert.notEqual(summarize(envelope(1, type)), '{}', type);
  });

  test("show an output line as it reads, without the terminal's escapes", () => {
    assert.equal(summarize(envelope(1, 'agent.output', { data: { stream: 'stderr', line: '\x1b[33mwarn\x1b[0m: \x1b[1;31mdisk\x1b[m low\x1b]0;title\x07' } })), 'stderr: warn: disk low');
  });

  test('are cut to a readable length', () => {
    assert.ok(summarize(envelope(1, 'x.big', { data: { text: 'y'.repeat(1000) } })).length <= 160);
  });
});

describe('the windowed list', () => {
  const base = { rowHeight: 30, viewportHeight: 300, count: 10_000, margin: 5 };

  test('renders only the visible rows plus a margin', () => {
    const win = visibleRows({ ...base, scrollTop: 30 * 1000 });
    assert.deepEqual({ start: win.start, end: win.end }, { start: 995, end: 1016 });
    assert.equal(win.before, 995 * 30);
    assert.equal(win.after, (10_000 - 1016) * 30);
    assert.ok(win.end - win.start < 30);
  });

  test('stays inside the list at both ends', () => {
    assert.equal(visibleRows({ ...base, scrollTop: 0 }).start, 0);
    const end = visibleRows({ ...base, scrollTop: 30 * 10_000 });
    assert.equal(end.end, 10_000);
    assert.equal(end.after, 0);
    assert.deepEqual(visibleRows({ ...base, count: 0, scrollTop: 0 }), { start: 0, end: 0, before: 0, after: 0 });
  });

  test('knows when it is scrolled to the end', () => {
    assert.equal(atEnd(700, 300, 1000, 30), true);
    assert.equal(atEnd(600, 300, 1000, 30), false);
  });
});
