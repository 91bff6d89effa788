// The admin view's state without a browser: which rule a tool call met, how often each fired,
// deliveries and receivers in words, one section read at a time, and a minted secret never lost.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { type AdminHub, AdminView, adminSection, deliveryState, firedCounts, firedRule, receiverState, unlistedRules } from '../../dashboard/src/state/admin.ts';
import type { EventEnvelope } from '../../dashboard/src/state/types.ts';

const toolRequested = (seq: number, rule: string, decisionId?: string): EventEnvelope => ({
  seq,
  id: `evt_${seq}`,
  type: 'tool.requested',
  actor: 'coder:tok_1',
  agentId: 'cc-1',
  ...(decisionId ? { decisionId } : {}),
  recordedAt: '2026-12-01T10:00:00.000Z',
  data: { tool: 'Bash', input: { command: 'ls' }, policy: { rule, verdict: rule === 'unmatched' ? 'high' : 'allow', reason: 'why', source: 'shipped' } },
});

describe('admin state', () => {
  test('a tool.requested event names its rule, verdict and decision; other events none', () => {
    assert.deepEqual(firedRule(toolRequested(7, 'unmatched', 'dec_1')), { seq: 7, at: '2026-12-01T10:00:00.000Z', agentId: 'cc-1', tool: 'Bash', rule: 'unmatched', verdict: 'high', source: 'shipped', decisionId: 'dec_1' });
    assert.equal(firedRule({ ...toolRequested(8, 'x'), type: 'tool.completed' }), undefined);
  });

  test('counts how often each rule fired', () => {
    const fired = [toolRequested(1, 'tests'), toolRequested(2, 'tests'), toolRequested(3, 'unmatched')].map((e) => firedRule(e)!);
    assert.deepEqual([...firedCounts(fired)], [['tests', 2], ['unmatched', 1]]);
  });

  test('rules that fired but are not listed get a row each: no rule matched, or a rule since removed', () => {
    const fired = [toolRequested(3, 'unmatched'), toolRequested(2, 'tests'), toolRequested(1, 'unmatched'), toolRequested(0, 'gone')].map((e) => firedRule(e)!);
    const rules = [{ name: 'tests', source: 'shipped' as const, verdict: 'allow' as const, match: {}, message: null }];
    assert.deepEqual(
      unlistedRules(rules, fired).map((r) => [r.name, r.verdict, r.message]),
      [
        ['unmatched', 'high', 'no rule matched'],
        ['gone', 'allow', null],
      ],
    );
  });

  test('deliveries and receivers in words', () => {
    assert.equal(deliveryState({ status: 'delivered' } as never), 'ok');
    assert.equal(deliveryState({ status: 'failed' } as never), 'failed');
    assert.equal(receiverState({ pausedAt: null, pausedReason: null, consecutiveFailures: 0 }), 'ok');
    assert.equal(receiverState({ pausedAt: null, pausedReason: null, consecutiveFailures: 3 }), 'failing (3 in a row)');
    assert.equal(receiverState({ pausedAt: '2026-12-01T10:00:00Z', pausedReason: 'the receiver answered 410', consecutiveFailures: 0 }), 'paused: the receiver answered 410');
  });

  test('an unknown section is the tokens section', () => {
    assert.equal(adminSection('runners'), 'runners');
    assert.equal(adminSection('toString'), 'tokens');
    assert.equal(adminSection(undefined), 'tokens');
  });

  test('a later section read wins over a slower earlier one', async () => {
    let release: () => void = () => undefined;
    const slow = new Promise<void>((resolve) => (release = resolve));
    const hub = {
      tokens: { list: async () => (await slow, [{ id: 'tok_late' }]) },
      runners: { list: async () => [{ id: 'rnr_1' }] },
    } as unknown as AdminHub;
    const view = new AdminView(hub);
    const tokens = view.load('tokens');
    await view.load('runners');
    release();
    await tokens;
    assert.deepEqual([view.state.value.section, view.state.value.tokens, view.state.value.runners.length], ['runners', [], 1]);
  });

  test('a mint whose list re-read fails still hands back the secret, and shows the error', async () => {
    const hub = {
      tokens: {
        create: async () => ({ id: 'tok_new', token: 'mc_secret', role: 'viewer', agentId: null, name: null, expiresAt: null }),
        list: async () => {
          throw new Error('the hub is away');
        },
      },
    } as unknown as AdminHub;
    const view = new AdminView(hub);
    assert.equal((await view.mint({ role: 'viewer' })).token, 'mc_secret');
    await new Promise((resolve) => setTimeout(resolve, 0));
    assert.match(view.state.value.error ?? '', /away/);
  });
});
