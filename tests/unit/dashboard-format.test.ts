import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { absoluteTime, spendRatio, timeLeft, usd, whenText } from '../../dashboard/src/state/format.ts';

/** A local time, so the assertions hold in any time zone the tests run in. */
const local = (y: number, month: number, d: number, h: number, min: number, s = 0) => new Date(y, month - 1, d, h, min, s);
const iso = (date: Date) => date.toISOString();

describe('when a moment was', () => {
  const now = local(2026, 12, 1, 14, 10).getTime();

  test('today, relative to now', () => {
    assert.equal(whenText(iso(local(2026, 12, 1, 14, 9, 48)), now), '12 s ago');
    assert.equal(whenText(iso(local(2026, 12, 1, 14, 7)), now), '3 min ago');
    assert.equal(whenText(iso(local(2026, 12, 1, 9, 30)), now), '4 h ago');
    assert.equal(whenText(iso(local(2026, 12, 1, 0, 0)), now), '14 h ago');
  });

  test('a deadline later today, ahead of now', () => {
    assert.equal(whenText(iso(local(2026, 12, 1, 14, 15)), now), 'in 5 min');
    assert.equal(whenText(iso(local(2026, 12, 1, 14, 10, 30)), now), 'in 30 s');
    assert.equal(whenText(iso(local(2026, 12, 1, 23, 59)), now), 'in 9 h');
  });

  test('a moment a few milliseconds ahead (clock skew) is now, not the future', () => {
    assert.equal(whenText(new Date(now + 400).toISOString(), now), '0 s ago');
  });

  test('another day, as its date and time; with the year when not this year', () => {
    assert.equal(whenText(iso(local(2026, 11, 30, 23, 59)), now), 'Nov 30 23:59');
    assert.equal(whenText(iso(local(2026, 11, 29, 14, 3)), now), 'Nov 29 14:03');
    assert.equal(whenText(iso(local(2026, 12, 2, 8, 5)), now), 'Dec 2 08:05');
    assert.equal(whenText(iso(local(2025, 12, 1, 14, 9)), now), 'Dec 1 2025 14:09');
  });

  test('never, without a time', () => {
    assert.equal(whenText(null, now), 'never');
    assert.equal(whenText(undefined, now), 'never');
  });

  test('the hover gives the full local date and time to the second', () => {
    assert.equal(absoluteTime(iso(local(2026, 12, 1, 14, 3, 27))), 'Tue Dec 1 2026 14:03:27');
  });
});

describe('other formats', () => {
  const now = Date.parse('2026-01-01T00:10:00.000Z');

  test('time left', () => {
    assert.equal(timeLeft('2026-01-01T00:10:42.000Z', now), '42 s left');
    assert.equal(timeLeft('2026-01-01T00:14:05.000Z', now), '4 min 05 s left');
    assert.equal(timeLeft('2026-01-01T02:20:00.000Z', now), '2 h 10 min left');
    assert.equal(timeLeft('2026-01-01T00:09:00.000Z', now), 'expired');
  });

  test('money and the spend bar', () => {
    assert.equal(usd(1.371), '$1.37');
    assert.equal(usd(0.0012), '$0.0012');
    assert.equal(spendRatio(2.5, 10), 0.25);
    assert.equal(spendRatio(12, 10), 1);
    assert.equal(spendRatio(0, 0), 0);
  });
});

