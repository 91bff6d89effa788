import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { emptyState, withDecision, withDecisions } from '../../dashboard/src/state/dashboard-state.ts';
import {
  type DecisionWatch,
  announcements,
  atOrAbove,
  countLabel,
  defaultAlertSettings,
  newArrivals,
  parseAlertSettings,
  pendingCount,
  tabTitle,
  unprimedWatch,
} from '../../dashboard/src/state/decision-alerts.ts';
import { faviconHref } from '../../dashboard/src/elements/favicon.ts';
import type { DashboardState } from '../../dashboard/src/state/dashboard-state.ts';
import { decision } from '../helpers/dashboard-fakes.ts';

const loaded = (...decisions: ReturnType<typeof decision>[]): DashboardState => withDecisions({ ...emptyState, loaded: true }, decisions);

/** Runs the watch over a sequence of states, collecting the ids announced at each. */
function watchThrough(states: DashboardState[], watch: DecisionWatch = unprimedWatch): string[][] {
  return states.map((state) => {
    const next = newArrivals(watch, state);
    watch = next.watch;
    return next.arrived.map((d) => d.id);
  });
}

describe('the count of decisions waiting', () => {
  test('counts only the pending ones', () => {
    assert.equal(pendingCount(loaded(decision('a'), decision('b', { status: 'resolved' }), decision('c', { status: 'expired' }), decision('d')).decisions), 2);
    assert.equal(pendingCount(emptyState.decisions), 0);
  });

  test('leads the tab title, which is plain at 0', () => {
    assert.equal(tabTitle(3), '(3) Mission Control');
    assert.equal(tabTitle(0), 'Mission Control');
    assert.equal(tabTitle(120), '(99+) Mission Control');
  });

  test('fits a badge: 99+ past two digits', () => {
    assert.deepEqual([countLabel(1), countLabel(99), countLabel(100)], ['1', '99', '99+']);
  });

  test('draws a favicon with the count, and the plain one at 0', () => {
    const svg = (count: number) => decodeURIComponent(faviconHref(count).replace('data:image/svg+xml,', ''));
    assert.doesNotMatch(svg(0), /<text/);
    assert.match(svg(7), /<text[^>]*>7<\/text>/);
    assert.match(svg(250), />99\+<\/text>/);
  });
});

describe('which decisions are new', () => {
  test('what is pending when the dashboard loads is not new', () => {
    assert.deepEqual(watchThrough([emptyState, loaded(decision('before'))]), [[], []]);
  });

  test('one that arrives afterwards is new once, and never again', () => {
    const first = loaded(decision('before'));
    const arrived = withDecision(first, decision('after'));
    const approvedOnce = withDecision(arrived, decision('after', { approvals: [{ by: 'operator:a', at: 't' }] }));
    assert.deepEqual(watchThrough([first, arrived, approvedOnce, arrived]), [[], ['after'], [], []]);
  });

  test('a settled decision is not new', () => {
    const first = loaded();
    assert.deepEqual(watchThrough([first, withDecision(first, decision('done', { status: 'resolved' }))]), [[], []]);
  });

  test('a project switch loads again: what is pending in the new project is not new, a decision seen before stays seen', () => {
    const shop = loaded(decision('shop-1'));
    const docs = loaded(decision('docs-1'), decision('shop-1'));
    const later = withDecision(docs, decision('docs-2'));
    assert.deepEqual(watchThrough([shop, emptyState, docs, later]), [[], [], [], ['docs-2']]);
  });
});

describe('announcing a new decision', () => {
  const names = { ...emptyState, actors: new Map([['operator:tok_ann', 'ann']]) };

  test('ranks risks low < medium < high < red', () => {
    assert.ok(atOrAbove('red', 'high'));
    assert.ok(atOrAbove('high', 'high'));
    assert.ok(!atOrAbove('medium', 'high'));
    assert.ok(atOrAbove('low', 'low'));
  });

  test('only at or above the chosen risk, titled by the decision, saying risk and asker, leading to it in the inbox', () => {
    const due = announcements(
      [decision('dec_1', { title: 'Drop the table?', risk: 'red', requestedBy: 'operator:tok_ann' }), decision('dec_2', { risk: 'medium' }), decision('dec_3', { risk: 'high', requestedBy: 'agent:builder' })],
      { ...defaultAlertSettings, minRisk: 'high' },
      names,
    );
    assert.deepEqual(due, [
      { title: 'Drop the table?', body: 'red risk · asked by ann', tag: 'dec_1', route: '#/inbox/dec_1' },
      { title: 'dec_3', body: 'high risk · asked by builder', tag: 'dec_3', route: '#/inbox/dec_3' },
    ]);
  });
});

describe('alert settings', () => {
  test('start as: no notifications, high and above, no sound', () => {
    assert.deepEqual(parseAlertSettings(null), { notify: false, minRisk: 'high', sound: false });
  });

  test('read back what was stored', () => {
    const stored = { notify: true, minRisk: 'medium', sound: true };
    assert.deepEqual(parseAlertSettings(JSON.stringify(stored)), stored);
  });

  test('fall back to the default for anything unreadable or unknown', () => {
    assert.deepEqual(parseAlertSettings('{not json'), defaultAlertSettings);
    assert.deepEqual(parseAlertSettings('null'), defaultAlertSettings);
    assert.deepEqual(parseAlertSettings(JSON.stringify({ notify: 'yes', minRisk: 'extreme', sound: true })), { ...defaultAlertSettings, sound: true });
  });
});
