// What GET /overview makes of its reads, without a database: every risk and status counted, why an agent needs a look, the spend.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { agentsPart, attentionOf, decisionsPart, healOf, spendPart } from '../../server/overview/rules.ts';

describe('the overview rules', () => {
  test('pending decisions: every risk present, the total, the oldest of all', () => {
    const decisions = decisionsPart([
      { risk: 'high', count: 2, oldest: new Date('2026-01-01T10:00:00Z') },
      { risk: 'red', count: 1, oldest: new Date('2026-01-01T09:00:00Z') },
    ]);
    assert.deepEqual(decisions, { pending: 3, byRisk: { low: 0, medium: 0, high: 2, red: 1 }, oldestPendingAt: '2026-01-01T09:00:00.000Z' });
    assert.deepEqual(decisionsPart([]), { pending: 0, byRisk: { low: 0, medium: 0, high: 0, red: 0 }, oldestPendingAt: null });
  });

  test('the fleet: waiting is awaiting_decision, the total counts ended agents too', () => {
    const { attention, ...counts } = agentsPart(
      [
        { status: 'running', count: 3 },
        { status: 'awaiting_decision', count: 2 },
        { status: 'exited', count: 5 },
        { status: 'failed', count: 4 },
      ],
      1,
      [],
      60_000,
    );
    assert.deepEqual(counts, { total: 14, running: 3, waiting: 2, paused: 0, stale: 0, lost: 0, failedLastHour: 1 });
    assert.deepEqual(attention, []);
  });

  test('why an agent needs a look, in words', () => {
    const row = { id: 'a', name: 'a', since: new Date('2026-01-01T00:00:00Z'), error: null, decision: null };
    assert.equal(attentionOf({ ...row, status: 'failed', error: 'disk full' }, 60_000).reason, 'disk full');
    const waiting = attentionOf({ ...row, status: 'awaiting_decision', decision: { id: 'dec_1', title: 'Deploy?', risk: 'red' } }, 60_000);
    assert.deepEqual([waiting.reason, waiting.decisionId], ['waits on "Deploy?" (red)', 'dec_1']);
    assert.equal(attentionOf({ ...row, status: 'stale' }, 90_000).reason, 'no heartbeat or event for over 90 s');
    assert.equal(attentionOf({ ...row, status: 'lost' }, 60_000).reason, 'its runner went offline while it ran');
  });

  test("spend: today is the last day; its own limit, else the configured one", () => {
    const days = [{ day: '2026-01-01', usd: 2, limitUsd: 5 }, { day: '2026-01-02', usd: 1.5, limitUsd: null }];
    assert.deepEqual(spendPart(days, 100), { todayUsd: 1.5, dailyLimitUsd: 100, lastDays: [{ day: '2026-01-01', usd: 2 }, { day: '2026-01-02', usd: 1.5 }] });
    assert.equal(spendPart([{ day: '2026-01-02', usd: 0, limitUsd: 40 }], 100).dailyLimitUsd, 40);
  });

  test('a heal names what it did, or why it gave up', () => {
    const base = { seq: 9, id: 'evt_9', agentId: 'a', agentName: 'A', recordedAt: new Date('2026-01-01T00:00:00Z') };
    const escalated = healOf({ ...base, type: 'heal.escalated', data: { failureEventId: 'evt_1', reason: 'no playbook', decisionId: 'dec_2', attempts: 0 } });
    assert.deepEqual([escalated.action, escalated.reason, escalated.decisionId, escalated.playbook], [null, 'no playbook', 'dec_2', null]);
    const completed = healOf({ ...base, type: 'heal.completed', data: { failureEventId: 'evt_1', playbook: 'p', action: 'respawn', attempts: 1 } });
    assert.deepEqual([completed.action, completed.playbook, completed.failureEventId, completed.recordedAt], ['respawn', 'p', 'evt_1', '2026-01-01T00:00:00.000Z']);
  });
});
