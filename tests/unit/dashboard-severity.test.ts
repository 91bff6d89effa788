import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { agentSeverity, eventSeverity, stateSeverity } from '../../dashboard/src/state/severity.ts';
import { tone } from '../../dashboard/src/elements/styles.ts';

describe('how much an event asks for attention', () => {
  test('failures, budget stops, loops and lost agents are failures', () => {
    for (const type of ['agent.failed', 'tool.failed', 'workspace.merge_failed', 'heal.escalated', 'agent.lost', 'budget.exceeded', 'hub.loop_detected']) {
      assert.equal(eventSeverity({ type, data: {} }), 'failure', type);
    }
  });

  test('denials are failures: a decision answered deny, a tool call the policy denied', () => {
    assert.equal(eventSeverity({ type: 'decision.resolved', data: { outcome: 'deny', by: 'operator:ann' } }), 'failure');
    assert.equal(eventSeverity({ type: 'decision.resolved', data: { outcome: 'approve', by: 'operator:ann' } }), 'success');
    assert.equal(eventSeverity({ type: 'tool.requested', data: { tool: 'Bash', policy: { verdict: 'deny', rule: 'no-rm' } } }), 'failure');
    assert.equal(eventSeverity({ type: 'tool.requested', data: { tool: 'Bash', policy: { verdict: 'allow', rule: 'read-only' } } }), 'info');
  });

  test('budget warnings, stale agents and expired decisions are warnings', () => {
    for (const type of ['budget.warning', 'agent.stale', 'decision.expired']) assert.equal(eventSeverity({ type, data: {} }), 'warning', type);
  });

  test('an exit fails only with a non-zero code of its own, not when it was stopped', () => {
    assert.equal(eventSeverity({ type: 'agent.exited', data: { code: 1 } }), 'failure');
    assert.equal(eventSeverity({ type: 'agent.exited', data: { code: 0 } }), 'success');
    assert.equal(eventSeverity({ type: 'agent.exited', data: { code: null, signal: 'SIGTERM', stoppedBy: 'operator:ann' } }), 'info');
  });

  test('the rest is information', () => {
    for (const type of ['agent.output', 'tool.completed', 'task.created', 'x.deploy']) assert.equal(eventSeverity({ type, data: {} }), 'info', type);
  });
});

describe('how much a state asks for attention', () => {
  test('failed and lost agents are failures, stale and paused ones warnings', () => {
    assert.equal(agentSeverity({ status: 'failed', pausedReason: null }), 'failure');
    assert.equal(agentSeverity({ status: 'lost', pausedReason: null }), 'failure');
    assert.equal(agentSeverity({ status: 'stale', pausedReason: null }), 'warning');
    assert.equal(agentSeverity({ status: 'paused', pausedReason: 'operator' }), 'warning');
    assert.equal(agentSeverity({ status: 'running', pausedReason: null }), 'success');
  });

  test('an agent its budget paused is a budget stop', () => {
    assert.equal(agentSeverity({ status: 'paused', pausedReason: 'budget' }), 'failure');
  });

  test('verdicts and heals by the same words as their events', () => {
    assert.equal(stateSeverity('deny'), 'failure');
    assert.equal(stateSeverity('allow'), 'success');
    assert.equal(stateSeverity('heal.escalated'), 'failure');
    assert.equal(stateSeverity('heal.completed'), 'success');
    assert.equal(stateSeverity('completed'), 'success');
    assert.equal(stateSeverity('denied'), 'failure');
    assert.equal(stateSeverity('todo'), 'info');
  });

  test('the colour class follows the severity, whether given a severity or a state word', () => {
    assert.equal(tone('failure'), 'bad');
    assert.equal(tone('failed'), 'bad');
    assert.equal(tone('stale'), 'warn');
    assert.equal(tone('done'), 'ok');
    assert.equal(tone('todo'), '');
  });
});
