import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ActionController } from '../../dashboard/src/controllers/action-controller.ts';
import { contextLines, foldsContext } from '../../dashboard/src/state/inbox-context.ts';
import { inboxOrder } from '../../dashboard/src/state/inbox.ts';
import {
  answerEach,
  bulkExclusion,
  focusAfterAnswer,
  groupDecisions,
  keyOutcome,
  moveFocus,
  parseInboxGrouping,
  rememberedGrouping,
  selectableOfRisk,
  selectedPending,
  triageAction,
} from '../../dashboard/src/state/inbox-triage.ts';
import { decision } from '../helpers/dashboard-fakes.ts';

const byId = (items: ReturnType<typeof decision>[]) => new Map(items.map((item) => [item.id, item]));
const ids = (items: readonly { id: string }[]) => items.map((d) => d.id);
const at = (minutes: number) => new Date(Date.UTC(2026, 0, 1, 0, minutes)).toISOString();
const press = (key: string, extra: Partial<Parameters<typeof triageAction>[0]> = {}) => ({ key, ctrlKey: false, metaKey: false, altKey: false, shiftKey: false, typing: false, ...extra });

describe('the inbox order', () => {
  test('pending decisions by risk (red, high, medium, low), then soonest deadline first', () => {
    const { pending } = inboxOrder(
      byId([
        decision('low-soon', { risk: 'low', expiresAt: at(1) }),
        decision('medium-late', { risk: 'medium', expiresAt: at(50) }),
        decision('high-late', { risk: 'high', expiresAt: at(40) }),
        decision('medium-soon', { risk: 'medium', expiresAt: at(5) }),
        decision('red-late', { risk: 'red', expiresAt: at(59) }),
        decision('high-soon', { risk: 'high', expiresAt: at(2) }),
      ]),
    );
    assert.deepEqual(ids(pending), ['red-late', 'high-soon', 'high-late', 'medium-soon', 'medium-late', 'low-soon']);
  });
});

describe('grouping', () => {
  const pending = [decision('r', { risk: 'red', agentId: 'ag_2', projectId: 'shop' }), decision('h', { agentId: 'ag_1' }), decision('m', { risk: 'medium', agentId: 'ag_2' }), decision('l', { risk: 'low' })];

  test('by agent: a group where its most urgent decision comes, the order kept inside, decisions of no agent together', () => {
    assert.deepEqual(
      groupDecisions(pending, 'agent').map((g) => [g.key, ids(g.decisions)]),
      [['ag_2', ['r', 'm']], ['ag_1', ['h']], [null, ['l']]],
    );
  });

  test('by project, and none: one group of all', () => {
    assert.deepEqual(groupDecisions(pending, 'project').map((g) => [g.key, ids(g.decisions)]), [['shop', ['r']], ['default', ['h', 'm', 'l']]]);
    assert.deepEqual(groupDecisions(pending, 'none').map((g) => [g.key, ids(g.decisions)]), [[null, ['r', 'h', 'm', 'l']]]);
  });

  test('is remembered in the storage given; anything unknown there is none', () => {
    const stored = new Map<string, string>([['mission-control.inbox-grouping', 'project']]);
    const storage = { getItem: (k: string) => stored.get(k) ?? null, setItem: (k: string, v: string) => void stored.set(k, v) };
    const grouping = rememberedGrouping(storage);
    assert.equal(grouping.value, 'project');
    grouping.set('agent');
    assert.equal(stored.get('mission-control.inbox-grouping'), 'agent');
    assert.equal(parseInboxGrouping('tasks'), 'none');
    assert.equal(parseInboxGrouping(null), 'none');
  });
});

describe('keyboard triage', () => {
  test('j and k move between the decisions on screen, from the first, stopping at the ends', () => {
    const order = ['a', 'b', 'c'];
    assert.equal(moveFocus(order, undefined, 1), 'a');
    assert.equal(moveFocus(order, 'gone', -1), 'a');
    assert.equal(moveFocus(order, 'a', 1), 'b');
    assert.equal(moveFocus(order, 'c', 1), 'c');
    assert.equal(moveFocus(order, 'a', -1), 'a');
    assert.equal(moveFocus([], undefined, 1), undefined);
  });

  test('after an answer the focus goes to the next decision still pending, else the one before', () => {
    assert.equal(focusAfterAnswer(['a', 'b', 'c'], 'b', ['a', 'c']), 'c');
    assert.equal(focusAfterAnswer(['a', 'b', 'c'], 'c', ['a', 'b']), 'b');
    // A red decision approved once stays pending: the focus still moves on.
    assert.equal(focusAfterAnswer(['a', 'b', 'c'], 'a', ['a', 'b', 'c']), 'b');
    // One answered elsewhere meanwhile is skipped.
    assert.equal(focusAfterAnswer(['a', 'b', 'c'], 'a', ['c']), 'c');
    assert.equal(focusAfterAnswer(['a'], 'a', []), undefined);
  });

  test('keys for operators, only j/k for viewers, none with a modifier or while typing', () => {
    assert.deepEqual(['j', 'k', 'a', 'd', 'c', 'x'].map((k) => triageAction(press(k), true)), ['next', 'previous', 'approve', 'deny', 'comment', undefined]);
    assert.deepEqual(['j', 'k', 'a', 'd', 'c'].map((k) => triageAction(press(k), false)), ['next', 'previous', undefined, undefined, undefined]);
    for (const modifier of ['ctrlKey', 'metaKey', 'altKey', 'shiftKey', 'typing'] as const) assert.equal(triageAction(press('a', { [modifier]: true }), true), undefined, modifier);
  });

  test("a and d give approve and deny, but nothing to a healer's escalation, nor a second approval by the same operator", () => {
    assert.equal(keyOutcome(decision('m', { risk: 'medium' }), 'approve', 'operator:a'), 'approve');
    assert.equal(keyOutcome(decision('m', { risk: 'medium' }), 'deny', 'operator:a'), 'deny');
    const escalation = decision('h', { options: ['retry', 'abandon'] });
    assert.equal(keyOutcome(escalation, 'approve', 'operator:a'), undefined);
    assert.equal(keyOutcome(escalation, 'deny', 'operator:a'), undefined);
    const red = decision('r', { risk: 'red', approvals: [{ by: 'operator:a', at: at(0) }] });
    assert.equal(keyOutcome(red, 'approve', 'operator:a'), undefined);
    assert.equal(keyOutcome(red, 'approve', 'operator:b'), 'approve');
    assert.equal(keyOutcome(red, 'deny', 'operator:a'), 'deny');
  });
});

describe('bulk answers', () => {
  const pending = [decision('r', { risk: 'red' }), decision('h', { options: ['retry', 'abandon'] }), decision('h2'), decision('m1', { risk: 'medium' }), decision('m2', { risk: 'medium' })];

  test('exclude red decisions and those answered with their own options, saying why', () => {
    assert.match(bulkExclusion(pending[0]!) ?? '', /two different operators/);
    assert.match(bulkExclusion(pending[1]!) ?? '', /own options \(retry, abandon\)/);
    assert.equal(bulkExclusion(pending[2]!), undefined);
  });

  test('"select all medium" picks only what may be answered in bulk', () => {
    assert.deepEqual(selectableOfRisk(pending, 'medium'), ['m1', 'm2']);
    assert.deepEqual(selectableOfRisk(pending, 'high'), ['h2']);
    assert.deepEqual(selectableOfRisk(pending, 'red'), []);
  });

  test('the selection keeps only decisions still pending and answerable, in the order shown', () => {
    assert.deepEqual(ids(selectedPending(new Set(['m2', 'gone', 'r', 'h', 'h2']), pending)), ['h2', 'm2']);
  });

  test('answers each in turn; a failure is reported on its own and the others are answered', async () => {
    const asked: string[] = [];
    const result = await answerEach(['a', 'b', 'c'], async (id) => {
      asked.push(id);
      if (id === 'b') throw new Error('decision b is already resolved');
    });
    assert.deepEqual(asked, ['a', 'b', 'c']);
    assert.deepEqual(result, { answered: ['a', 'c'], failed: [{ id: 'b', problem: 'decision b is already resolved' }] });
  });
});

describe('the context', () => {
  test("a diff's lines are marked when it holds a hunk; the policy line set apart", () => {
    const context = 'Claude Code session s1 in /home/ann/shop wants to change a.ts:\n\n--- a.ts\n+++ a.ts\n@@ -1,2 +1,2 @@\n-old\n+new\n same\n\nPolicy: rule "edits" (config) says high: edits ask';
    assert.deepEqual(
      contextLines(context).map((l) => l.kind),
      ['text', 'text', 'file', 'file', 'hunk', 'removed', 'added', 'text', 'text', 'policy'],
    );
  });

  test("a command's lines stay text, even one that starts with a dash", () => {
    assert.deepEqual(contextLines('wants to run:\n\nrm -rf build\n--force').map((l) => l.kind), ['text', 'text', 'text', 'text']);
  });

  test('folds when long', () => {
    assert.equal(foldsContext('one\ntwo'), false);
    assert.equal(foldsContext(Array.from({ length: 30 }, (_, i) => `line ${i}`).join('\n')), true);
    assert.equal(foldsContext('x'.repeat(5000)), true);
  });
});

describe('an action', () => {
  const host = () => {
    const host = { updates: 0, addController: () => undefined, removeController: () => undefined, requestUpdate: () => void host.updates++, updateComplete: Promise.resolve(true) };
    return host;
  };

  test('is busy while it runs, then not; the element is asked to render at each change', async () => {
    const element = host();
    const action = new ActionController(element);
    let busyInside = false;
    assert.equal(await action.run(async () => void (busyInside = action.busy)), true);
    assert.deepEqual([busyInside, action.busy, action.error, element.updates], [true, false, undefined, 2]);
  });

  test('a failure becomes its error in words, cleared by the next run', async () => {
    const action = new ActionController(host());
    assert.equal(await action.run(() => Promise.reject(new Error('decision dec_1 is already resolved'))), false);
    assert.deepEqual([action.busy, action.error], [false, 'decision dec_1 is already resolved']);
    await action.run(async () => undefined);
    assert.equal(action.error, undefined);
  });

  test('a later run wins: the earlier one ending neither clears busy nor sets its error', async () => {
    const action = new ActionController(host());
    let fail!: (error: Error) => void;
    const earlier = action.run(() => new Promise((_, reject) => (fail = reject)));
    let finish!: () => void;
    const later = action.run(() => new Promise<void>((resolve) => (finish = resolve)));
    fail(new Error('stale'));
    assert.equal(await earlier, false);
    assert.deepEqual([action.busy, action.error], [true, undefined]);
    finish();
    assert.equal(await later, true);
    assert.deepEqual([action.busy, action.error], [false, undefined]);
  });
});
