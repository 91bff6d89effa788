import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { ThroughputResult } from '../bench/load.ts';
import { type Rounds, formatRatio, median, medianRate, medianRound, roundRatios } from '../bench/rounds.ts';

const window = (eventsPerSecond: number): ThroughputResult => ({ eventsPerSecond, events: eventsPerSecond * 8, seconds: 8, errors: 0 });

describe('the bench rounds', () => {
  test('the median is the middle value, or the mean of the two middle ones', () => {
    assert.equal(median([3, 1, 2]), 2);
    assert.equal(median([4, 1, 3, 2]), 2.5);
    assert.ok(Number.isNaN(median([])));
  });

  test('a ratio compares each round with the same round of the reference, skipping failed rounds', () => {
    const hub: Rounds = [window(30), { failed: 'connection refused' }, window(45)];
    const reference: Rounds = [window(20), window(50), { failed: 'timeout' }];
    assert.deepEqual(roundRatios(hub, reference), [1.5]);
    assert.deepEqual(roundRatios([window(30), window(40), window(90)], [window(30), window(20), window(100)]), [1, 2, 0.9]);
  });

  test('a row reads as the median of its measured rounds, and its ratio with their range', () => {
    assert.equal(medianRate([window(10), { failed: 'x' }, window(30), window(20)]), 20);
    assert.equal(medianRound([window(10), window(30), window(20)])?.eventsPerSecond, 20);
    assert.equal(medianRound([window(10), window(40), window(20), window(100)])?.eventsPerSecond, 40);
    assert.equal(medianRound([{ failed: 'x' }]), undefined);
    assert.equal(formatRatio('ceiling', [1, 2, 0.9]), '1.00x ceiling, rounds 0.90x-2.00x');
    assert.equal(formatRatio('ceiling', [1.234]), '1.23x ceiling');
    assert.equal(formatRatio('Emmett', []), 'no Emmett');
  });
});
