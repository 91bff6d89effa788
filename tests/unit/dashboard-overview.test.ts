// The overview view's state without a browser: reads driven by the live stream, throttled; the spend chart's bars.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { emptyState, withEvents } from '../../dashboard/src/state/dashboard-state.ts';
import { OverviewFeed, changesCards } from '../../dashboard/src/state/overview.ts';
import { spendChart } from '../../dashboard/src/state/spend-chart.ts';
import { Store } from '../../dashboard/src/state/store.ts';
import type { Overview } from '../../dashboard/src/state/types.ts';
import { ManualTimers, envelope } from '../helpers/dashboard-fakes.ts';

const answer = (n: number): Overview => ({
  generatedAt: new Date(n * 1000).toISOString(),
  project: null,
  decisions: { pending: n, byRisk: { low: 0, medium: 0, high: 0, red: n }, oldestPendingAt: null },
  agents: { total: 0, running: 0, waiting: 0, paused: 0, stale: 0, lost: 0, failedLastHour: 0, attention: [] },
  spend: null,
  events: { lastMinute: 0, lastHour: 0 },
  recent: { failures: [], heals: [] },
});

/** A feed on manual timers whose reads answer at once (or when the test says, with `hold`). */
function feedOn(timers: ManualTimers, options: { hold?: boolean } = {}) {
  const reads: Array<() => void> = [];
  let n = 0;
  const feed = new OverviewFeed({
    timers,
    now: () => timers.now,
    read: () =>
      new Promise<Overview>((resolve) => {
        const answerNow = () => resolve(answer(++n));
        if (options.hold) reads.push(answerNow);
        else answerNow();
      }),
  });
  return { feed, reads, count: () => n + reads.length };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));
const loaded = (lastSeq = 0) => ({ ...emptyState, loaded: true, lastSeq });

describe('the overview feed', () => {
  test('reads once when the dashboard has loaded, and again when another project is shown', async () => {
    const timers = new ManualTimers();
    const { feed, count } = feedOn(timers);
    const dashboard = new Store({ ...emptyState });
    const stop = feed.follow(dashboard);
    timers.advance(0);
    assert.equal(count(), 0, 'nothing to read before the load');
    dashboard.set(loaded());
    timers.advance(0);
    await settle();
    assert.equal(count(), 1);
    assert.equal(feed.state.value.overview?.decisions.byRisk.red, 1);
    dashboard.set({ ...loaded(), project: 'shop' });
    timers.advance(0);
    await settle();
    assert.equal(count(), 2);
    stop();
  });

  test('an event that changes a card reads again at most every 2 s, however many arrive', async () => {
    const timers = new ManualTimers();
    const { feed, count } = feedOn(timers);
    const dashboard = new Store(loaded());
    feed.follow(dashboard);
    timers.advance(0);
    await settle();
    assert.equal(count(), 1);
    for (let seq = 1; seq <= 30; seq++) {
      dashboard.set(withEvents(dashboard.value, [envelope(seq, 'decision.requested')]));
      timers.advance(100);
      await settle();
    }
    // 3 s of events: one read when the throttle allowed it (at 2 s), one more due for the rest.
    assert.equal(count(), 2);
    timers.advance(2000);
    await settle();
    assert.equal(count(), 3);
    timers.advance(10_000);
    await settle();
    assert.equal(count(), 3, 'no events, no reads: it never polls');
  });

  test('output lines and custom events only move the counts: a read 10 s after the last', async () => {
    const timers = new ManualTimers();
    const { feed, count } = feedOn(timers);
    const dashboard = new Store(loaded());
    feed.follow(dashboard);
    timers.advance(0);
    await settle();
    dashboard.set(withEvents(dashboard.value, [envelope(1, 'agent.output'), envelope(2, 'x.progress')]));
    timers.advance(9_999);
    await settle();
    assert.equal(count(), 1);
    timers.advance(1);
    await settle();
    assert.equal(count(), 2);
    assert.equal(changesCards(envelope(3, 'agent.failed')), true);
    assert.equal(changesCards(envelope(4, 'heal.completed')), true);
    assert.equal(changesCards(envelope(5, 'agent.output')), false);
  });

  test('one read at a time: events during a read cause exactly one more', async () => {
    const timers = new ManualTimers();
    const { feed, reads } = feedOn(timers, { hold: true });
    feed.refresh();
    timers.advance(0);
    assert.equal(reads.length, 1);
    feed.eventsArrived([envelope(1, 'decision.requested')]);
    feed.eventsArrived([envelope(2, 'decision.resolved')]);
    timers.advance(5000);
    assert.equal(reads.length, 1, 'still the first read');
    reads[0]!();
    await settle();
    timers.advance(0);
    assert.equal(reads.length, 2);
  });

  test('a failed read says why and keeps the last overview', async () => {
    const timers = new ManualTimers();
    let fail = false;
    const feed = new OverviewFeed({ timers, now: () => timers.now, read: async () => (fail ? Promise.reject(new Error('hub down')) : answer(1)) });
    feed.refresh();
    timers.advance(0);
    await settle();
    fail = true;
    feed.refresh();
    timers.advance(0);
    await settle();
    assert.equal(feed.state.value.error, 'hub down');
    assert.equal(feed.state.value.overview?.decisions.pending, 1);
  });
});

describe('the spend chart', () => {
  const days = (usd: number[]) => usd.map((u, i) => ({ day: `2026-01-0${i + 1}`, usd: u }));

  test('scales the bars to the highest day, labelled by weekday', () => {
    const chart = spendChart(days([0, 1, 2, 4, 0, 0, 0.001]), 100);
    assert.deepEqual(chart.bars.map((b) => b.label), ['Thu', 'Fri', 'Sat', 'Sun', 'Mon', 'Tue', 'Wed']);
    const [zero, one, , four] = chart.bars;
    assert.equal(zero!.height, 0);
    assert.equal(four!.height, 80, 'the highest day fills the plot');
    assert.equal(one!.height, 20);
    assert.equal(chart.bars[6]!.height, 2, 'a day with spend stays visible');
    assert.equal(chart.limitY, undefined, 'far under the limit: no limit line');
    assert.match(chart.summary, /2026-01-04 \$4\.00.*daily limit \$100\.00/);
  });

  test('shows the limit once a day came within half of it, and marks the days that reached it', () => {
    const chart = spendChart(days([30, 60, 100, 120]), 100);
    assert.equal(chart.limitY, 12 + 80 - (100 / 120) * 80, 'below the room for its label');
    assert.deepEqual(chart.bars.map((b) => b.over), [false, false, true, true]);
    assert.equal(spendChart(days([0, 0]), 100).bars.every((b) => b.height === 0), true);
  });
});
